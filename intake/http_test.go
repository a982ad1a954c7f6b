package intake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type inboundReply struct {
	status     int
	retryAfter string
	ID         string `json:"id"`
	Created    bool   `json:"created"`
	Error      string `json:"error"`
}

// post sends body to the endpoint over real HTTP.
func post(tb testing.TB, url, method, auth string, body []byte) inboundReply {
	tb.Helper()
	req, err := http.NewRequest(method, url+"/inbound/email", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "message/rfc822")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s: %v", method, err)
	}
	defer resp.Body.Close()
	var r inboundReply
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &r); err != nil {
		tb.Fatalf("reply %q is not JSON: %v", b, err)
	}
	r.status, r.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	return r
}

func mustInbound(tb testing.TB, acc Accepter, secret string) string {
	tb.Helper()
	h, err := NewInboundHandler(HTTPConfig{Accepter: acc, Secret: secret, MaxBytes: 64 << 10})
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/inbound/email", h)
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return srv.URL
}

func TestInboundHTTP(t *testing.T) {
	ts := mustRedisStore(t)
	url := mustInbound(t, mustService(t, storeSink{ts}), "s3cret-token")
	msg := testMessage("http-1@fbi.gov")

	first := post(t, url, "POST", "Bearer s3cret-token", msg)
	if first.status != http.StatusCreated || !first.Created || !strings.HasPrefix(first.ID, "LE-") {
		t.Fatalf("first delivery: got %+v, want 201 with a new id", first)
	}
	tests := []struct {
		name   string
		method string
		auth   string
		body   []byte
		want   int
		wantID string
	}{
		{"same message again", "POST", "Bearer s3cret-token", msg, http.StatusOK, first.ID},
		{"scheme in lower case", "POST", "bearer s3cret-token", msg, http.StatusOK, first.ID},
		{"no token", "POST", "", msg, http.StatusUnauthorized, ""},
		{"wrong token", "POST", "Bearer s3cret-tokem", msg, http.StatusUnauthorized, ""},
		{"token prefix only", "POST", "Bearer s3cret", msg, http.StatusUnauthorized, ""},
		{"basic auth", "POST", "Basic czNjcmV0LXRva2Vu", msg, http.StatusUnauthorized, ""},
		{"too large", "POST", "Bearer s3cret-token", bytes.Repeat([]byte("a\r\n"), 30<<10), http.StatusRequestEntityTooLarge, ""},
		{"empty body", "POST", "Bearer s3cret-token", nil, http.StatusBadRequest, ""},
		{"GET", "GET", "Bearer s3cret-token", nil, http.StatusMethodNotAllowed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := post(t, url, tt.method, tt.auth, tt.body)
			if got.status != tt.want || got.ID != tt.wantID {
				t.Errorf("got %d %+v, want %d id %q", got.status, got, tt.want, tt.wantID)
			}
		})
	}
	t.Run("too large without Content-Length", func(t *testing.T) {
		body := io.MultiReader(bytes.NewReader(bytes.Repeat([]byte("a\r\n"), 30<<10))) // hides the length: chunked
		req, _ := http.NewRequest("POST", url+"/inbound/email", body)
		req.Header.Set("Authorization", "Bearer s3cret-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("got %d, want 413", resp.StatusCode)
		}
	})
	if n := len(ts.mustRequests(t)); n != 1 {
		t.Errorf("got %d requests stored, want 1", n)
	}

	t.Run("store down", func(t *testing.T) {
		ts.proxy.Down()
		defer ts.proxy.Up()
		got := post(t, url, "POST", "Bearer s3cret-token", testMessage("http-2@fbi.gov"))
		if got.status != http.StatusServiceUnavailable || got.retryAfter == "" {
			t.Errorf("got %d Retry-After %q, want 503 with Retry-After", got.status, got.retryAfter)
		}
		if strings.Contains(strings.ToLower(got.Error), "redis") || strings.Contains(got.Error, "127.0.0.1") {
			t.Errorf("reply %q leaks internals", got.Error)
		}
	})
}

func TestInboundHTTPWithoutSecret(t *testing.T) {
	acc := &fakeAccepter{}
	url := mustInbound(t, acc, "")
	for _, auth := range []string{"", "Bearer ", "Bearer anything"} {
		if got := post(t, url, "POST", auth, testMessage("x@y")); got.status != http.StatusServiceUnavailable {
			t.Errorf("auth %q: got %d, want 503 while INBOUND_SECRET is unset", auth, got.status)
		}
	}
	if acc.calls.Load() != 0 {
		t.Errorf("got %d stores, want none", acc.calls.Load())
	}
}
