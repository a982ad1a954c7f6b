package bot

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

// Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
const (
	vectorSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	vectorTS     = "1531420618"
	vectorBody   = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	vectorSig    = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestSignMatchesSlackVector(t *testing.T) {
	if got := sign(vectorSecret, vectorTS, []byte(vectorBody)); got != vectorSig {
		t.Fatalf("sign: got %s, want %s", got, vectorSig)
	}
}

func TestVerify(t *testing.T) {
	at := time.Unix(1531420618, 0)
	tests := []struct {
		name   string
		secret string
		ts     string
		sig    string
		body   string
		now    time.Time
		want   error
	}{
		{"documented vector", vectorSecret, vectorTS, vectorSig, vectorBody, at, nil},
		{"4m59s later", vectorSecret, vectorTS, vectorSig, vectorBody, at.Add(299 * time.Second), nil},
		{"6 minutes later", vectorSecret, vectorTS, vectorSig, vectorBody, at.Add(6 * time.Minute), errStaleTimestamp},
		{"6 minutes early", vectorSecret, vectorTS, vectorSig, vectorBody, at.Add(-6 * time.Minute), errStaleTimestamp},
		{"wrong secret", "another-secret", vectorTS, vectorSig, vectorBody, at, errBadSignature},
		{"modified body", vectorSecret, vectorTS, vectorSig, vectorBody + "&x=1", at, errBadSignature},
		{"other timestamp", vectorSecret, "1531420619", vectorSig, vectorBody, at, errBadSignature},
		{"no v0 prefix", vectorSecret, vectorTS, vectorSig[3:], vectorBody, at, errBadSignature},
		{"missing signature", vectorSecret, vectorTS, "", vectorBody, at, errMissingHeaders},
		{"missing timestamp", vectorSecret, "", vectorSig, vectorBody, at, errMissingHeaders},
		{"garbage timestamp", vectorSecret, "soon", vectorSig, vectorBody, at, errBadTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.ts != "" {
				h.Set("X-Slack-Request-Timestamp", tt.ts)
			}
			if tt.sig != "" {
				h.Set("X-Slack-Signature", tt.sig)
			}
			if got := verify(tt.secret, h, []byte(tt.body), tt.now); !errors.Is(got, tt.want) {
				t.Fatalf("verify: got %v, want %v", got, tt.want)
			}
		})
	}
}
