package intake

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/store"
)

var requestIDRE = regexp.MustCompile(`^LE-\d{4}-\d{4,}$`)

// FuzzInboundEmail posts arbitrary bodies, with the right bearer token,
// to POST /inbound/email over real HTTP into a real store. Every answer
// must be one the handler documents for an authorized POST (200, 201,
// 400, 413; 503 only when the store fails, which it does not here), and
// a 201 must have stored the body verbatim.
func FuzzInboundEmail(f *testing.F) {
	f.Add([]byte("Message-ID: <fz1@fbi.gov>\r\nFrom: a@fbi.gov\r\nSubject: Subpoena\r\n\r\nProduce records.\r\n"))
	f.Add([]byte(""))
	f.Add([]byte("no header at all"))
	f.Add(make([]byte, 70<<10)) // over the 64 KiB limit: 413
	// The first seed's Message-ID on another message (a forgery), and the
	// first seed again through a relay (a duplicate).
	f.Add([]byte("Message-ID: <fz1@fbi.gov>\r\nFrom: a@evil.example\r\nSubject: hi\r\n\r\nnothing\r\n"))
	f.Add([]byte("Received: from relay.example.net\r\nMessage-ID: <fz1@fbi.gov>\r\nFrom: a@fbi.gov\r\nSubject: Subpoena\r\n\r\nProduce records.\r\n"))

	redisURL := testredis.URL(f)
	st, err := store.Open(context.Background(), store.Config{RedisURL: redisURL,
		KeyPrefix: testredis.PrefixCleanup(f, redisURL)})
	if err != nil {
		f.Fatalf("open store: %v", err)
	}
	f.Cleanup(func() { st.Close() })
	url := mustInbound(f, mustService(f, storeSink{st}), "fuzz-secret")

	f.Fuzz(func(t *testing.T, body []byte) {
		r := post(t, url, "POST", "Bearer fuzz-secret", body)
		switch r.status {
		case 200, 201:
			if !requestIDRE.MatchString(r.ID) {
				t.Fatalf("status %d: got id %q, want LE-YYYY-NNNN", r.status, r.ID)
			}
			if r.status == 201 {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				raw, err := st.RawMessage(ctx, r.ID)
				if err != nil || string(raw) != string(body) {
					t.Fatalf("201 %s: stored raw differs from the body (err %v)", r.ID, err)
				}
			}
			if r.status == 200 {
				// A duplicate is the same message: a reused Message-ID
				// with another body is a request of its own.
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				raw, err := st.RawMessage(ctx, r.ID)
				if err != nil || !bytes.Equal(sansTrace(raw), sansTrace(body)) {
					t.Fatalf("200 %s: a duplicate of a message with another body (err %v)", r.ID, err)
				}
			}
		case 400:
			if len(body) != 0 {
				t.Fatalf("got 400 (%s) for a %d-byte body, want 400 only for an empty one", r.Error, len(body))
			}
		case 413:
			if len(body) <= 64<<10 {
				t.Fatalf("got 413 for a %d-byte body under the 64 KiB limit", len(body))
			}
		default:
			t.Fatalf("got status %d (%s), want 200, 201, 400 or 413", r.status, r.Error)
		}
	})
}

// sansTrace is raw without the header fields a relay adds on each
// delivery (Received, Return-Path, ...; folded lines included): what two
// deliveries of one message have in common. Its own reading, so the
// store's is checked, not repeated.
func sansTrace(raw []byte) []byte {
	var out []byte
	lines := bytes.SplitAfter(raw, []byte("\n"))
	inHeader, dropping := true, false
	for _, l := range lines {
		if !inHeader {
			out = append(out, l...)
			continue
		}
		if len(bytes.TrimRight(l, "\r\n")) == 0 {
			inHeader = false
			out = append(out, l...)
			continue
		}
		if l[0] == ' ' || l[0] == '\t' { // a folded line belongs to the field above
			if !dropping {
				out = append(out, l...)
			}
			continue
		}
		name, _, _ := bytes.Cut(l, []byte(":"))
		n := strings.ToLower(strings.TrimSpace(string(name)))
		dropping = n == "received" || n == "x-received" || n == "return-path" || n == "delivered-to" ||
			n == "x-original-to" || n == "received-spf" || n == "authentication-results" || strings.HasPrefix(n, "arc-")
		if !dropping {
			out = append(out, l...)
		}
	}
	return out
}
