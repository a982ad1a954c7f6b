package bot

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The fuzz targets for what Slack (or anyone on the internet) sends the
// HTTP endpoints: signature headers, and correctly signed bodies of any
// shape. Seeds are in testdata/fuzz/<FuzzName>/.

var fuzzNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// FuzzVerify: any headers and body are refused with a reason unless the
// signature is the HMAC of exactly that timestamp and body and the
// timestamp is within MaxSkew; a genuine signature always passes.
func FuzzVerify(f *testing.F) {
	f.Add(strconv.FormatInt(fuzzNow.Unix(), 10), "v0=00", []byte("token=x&text=hi"))
	f.Add(vectorTS, vectorSig, []byte(vectorBody))
	f.Add("", "", []byte{})
	f.Add("-9223372036854775808", "v0=", []byte("payload=%7B%7D"))
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set("X-Slack-Request-Timestamp", ts)
		h.Set("X-Slack-Signature", sig)
		err := verify(testSecret, h, body, fuzzNow)
		good := sign(testSecret, h.Get("X-Slack-Request-Timestamp"), body)
		if err == nil && h.Get("X-Slack-Signature") != good {
			t.Fatalf("accepted signature %q for ts %q, want only %q", sig, ts, good)
		}
		if err == nil {
			sec, perr := strconv.ParseInt(h.Get("X-Slack-Request-Timestamp"), 10, 64)
			if d := fuzzNow.Sub(time.Unix(sec, 0)); perr != nil || d > MaxSkew || d < -MaxSkew {
				t.Fatalf("accepted timestamp %q outside the skew", ts)
			}
		}
		// The same body signed properly now is always accepted.
		r := httptest.NewRequest(http.MethodPost, "/slack/commands", nil)
		SignRequest(r, testSecret, body, fuzzNow)
		if err := verify(testSecret, r.Header, body, fuzzNow); err != nil {
			t.Fatalf("refused a genuine signature: %v", err)
		}
	})
}

// FuzzSlackEndpoints posts a correctly signed body of any shape to one of
// the three Slack endpoints over real HTTP: the answer is never a 5xx
// (Slack would retry, and a 5xx means a bug) and the server never
// panics. form wraps the input as the field Slack puts JSON in.
func FuzzSlackEndpoints(f *testing.F) {
	f.Add(uint8(1), true, `{"type":"block_actions","user":{"id":"U0LEGAL1"},"trigger_id":"t1","actions":[{"action_id":"claim","value":"LE-2026-0001"}]}`)
	f.Add(uint8(1), true, `{"type":"view_submission","view":{"callback_id":"due","private_metadata":"LE-2026-0001","state":{"values":{}}}}`)
	f.Add(uint8(0), false, "command=%2Flegal&text=list&user_id=U1&trigger_id=t2")
	f.Add(uint8(2), false, `{"type":"url_verification","challenge":"abc"}`)
	f.Add(uint8(2), false, `{"type":"event_callback","event_id":"Ev1","event":{"type":"app_home_opened","user":"U1"}}`)
	f.Add(uint8(1), true, "null")

	h := &recorder{reply: &Reply{Text: "ok"}}
	srv, err := NewServer(ServerConfig{SigningSecret: testSecret, Handler: h,
		Dedup: &memDedup{now: func() time.Time { return fuzzNow }, keys: map[string]time.Time{}},
		Now:   func() time.Time { return fuzzNow }, AckWithin: time.Second})
	if err != nil {
		f.Fatal(err)
	}
	mux := http.NewServeMux()
	srv.Register(mux)
	ts := httptest.NewServer(mux)
	f.Cleanup(ts.Close)
	paths := []string{"/slack/commands", "/slack/interactions", "/slack/events"}

	f.Fuzz(func(t *testing.T, which uint8, form bool, in string) {
		path := paths[int(which)%len(paths)]
		body := in
		if form {
			body = url.Values{"payload": {in}}.Encode()
		}
		req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		SignRequest(req, testSecret, []byte(body), fuzzNow)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusUnauthorized {
			t.Fatalf("POST %s with a signed %q: got %d, want 2xx or 4xx (not 401)", path, body, resp.StatusCode)
		}
	})
}
