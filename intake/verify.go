package intake

import (
	"bytes"
	"context"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/lebot-dev/lebot/legal"
)

// VerifyConfig configures sender verification.
type VerifyConfig struct {
	// LookupTXT resolves DKIM key records; nil uses net.DefaultResolver.
	LookupTXT func(name string) ([]string, error)
	// OfficialDomains are extra sender domains treated as official
	// (exact or parent match), from OFFICIAL_DOMAINS.
	OfficialDomains []string
}

// Verify checks the sender of raw (parsed as m): DKIM and the
// official-domain policy.
func Verify(ctx context.Context, raw []byte, m *Message, cfg VerifyConfig) legal.Verification {
	v := legal.Verification{DKIM: "none"}
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{LookupTXT: cfg.LookupTXT})
	if err == nil && len(vs) > 0 {
		v.DKIM = "fail"
		v.DKIMDomain = vs[0].Domain
		for _, s := range vs {
			if s.Err == nil {
				v.DKIM = "pass"
				v.DKIMDomain = s.Domain
				break
			}
		}
	}
	v.Official = OfficialDomain(m.From.Domain(), cfg.OfficialDomains)
	return v
}
