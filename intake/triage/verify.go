package triage

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/lebot-dev/lebot/legal"
)

// VerifyConfig configures sender verification.
type VerifyConfig struct {
	// LookupTXT resolves DKIM key records (selector._domainkey.domain);
	// nil uses net.DefaultResolver with Verify's context.
	LookupTXT func(name string) ([]string, error)
	// OfficialDomains are extra sender domains treated as official
	// (exact or parent match), from OFFICIAL_DOMAINS.
	OfficialDomains []string
}

// maxDKIMSignatures bounds the signatures checked (each costs a DNS
// lookup and an RSA verification).
const maxDKIMSignatures = 5

// Verify checks the sender of raw (already parsed as m): DKIM, its
// alignment with the From domain, the official-domain policy on the From
// domain, and a Reply-To that differs from From. Official is the domain
// policy alone; DKIM results and the other findings are separate signals
// and Flags. Callback is set when the sender must be confirmed by phone:
// a domain that is not official, or a DKIM signature that fails.
func Verify(ctx context.Context, raw []byte, m *Message, cfg VerifyConfig) legal.Verification {
	from := m.From.Domain()
	v := checkDKIM(ctx, raw, from, cfg.LookupTXT)
	official, callback, flags := domainPolicy(from, cfg.OfficialDomains)
	v.Official, v.Callback = official, callback
	v.Flags = append(flags, v.Flags...)
	switch {
	case v.DKIM == "fail":
		v.Callback = true
	case v.DKIM == "pass" && !v.Aligned:
		v.Flags = append(v.Flags, fmt.Sprintf("DKIM signature by %s is not aligned with the From domain %s", v.DKIMDomain, from))
	}
	if m.ReplyTo != nil && !strings.EqualFold(strings.TrimSpace(m.ReplyTo.Email), strings.TrimSpace(m.From.Email)) {
		v.Flags = append(v.Flags, fmt.Sprintf("Reply-To %s differs from From %s", m.ReplyTo.Email, m.From.Email))
	}
	return v
}

// checkDKIM verifies every DKIM signature: "pass" when one verifies,
// "fail" when there are signatures and none verifies, "none" when there
// are none. DKIMDomain is the d= of the best passing signature (aligned
// first), else of the first signature.
func checkDKIM(ctx context.Context, raw []byte, fromDomain string, lookup func(string) ([]string, error)) legal.Verification {
	v := legal.Verification{DKIM: "none"}
	if lookup == nil {
		lookup = func(name string) ([]string, error) { return net.DefaultResolver.LookupTXT(ctx, name) }
	}
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{
		LookupTXT:        lookup,
		MaxVerifications: maxDKIMSignatures,
	})
	if err != nil {
		// The whole check failed (unreadable header, too many signatures).
		if hasDKIMSignature(raw) {
			v.DKIM, v.DKIMTemporary = "fail", dkim.IsTempFail(err)
			v.Flags = append(v.Flags, "DKIM could not be checked: "+dkimReason(err))
		}
		return v
	}
	if len(vs) == 0 {
		return v
	}
	v.DKIM, v.DKIMDomain = "fail", vs[0].Domain
	for _, s := range vs {
		if s.Err != nil {
			continue
		}
		aligned := Aligned(s.Domain, fromDomain)
		if v.DKIM != "pass" || (aligned && !v.Aligned) {
			v.DKIM, v.DKIMDomain, v.Aligned = "pass", s.Domain, aligned
		}
	}
	if v.DKIM == "fail" {
		v.DKIMTemporary = true
		for _, s := range vs {
			v.DKIMTemporary = v.DKIMTemporary && dkim.IsTempFail(s.Err)
			v.Flags = append(v.Flags, fmt.Sprintf("DKIM signature by %s does not verify: %s", s.Domain, dkimReason(s.Err)))
		}
	}
	return v
}

// dkimReason names a DKIM failure for people; DNS trouble is not forgery.
func dkimReason(err error) string {
	switch {
	case dkim.IsTempFail(err):
		return "key lookup failed temporarily (" + err.Error() + ")"
	default:
		return err.Error()
	}
}

func hasDKIMSignature(raw []byte) bool {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	if end < 0 {
		end = bytes.Index(raw, []byte("\n\n"))
	}
	if end < 0 {
		end = len(raw)
	}
	return bytes.Contains(bytes.ToLower(raw[:end]), []byte("dkim-signature:"))
}

// Aligned reports DMARC relaxed alignment: the signing domain and the
// From domain share an organizational domain (public suffix plus one).
func Aligned(signing, from string) bool {
	s, f := cleanDomain(signing), cleanDomain(from)
	if s == "" || f == "" {
		return false
	}
	return s == f || orgDomain(s) == orgDomain(f)
}
