package bot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/lebot-dev/lebot/internal/metrics"
)

// authErrorCodes are the Slack errors that mean the bot token no longer
// works: lebot is not ready until it is replaced (and serve restarted).
var authErrorCodes = map[string]bool{
	"invalid_auth": true, "not_authed": true, "token_revoked": true, "token_expired": true,
	"account_inactive": true,
}

// tokenState is the last thing known about the bot token.
type tokenState struct {
	mu      sync.Mutex
	checked bool   // auth.test answered or a call was refused for the token
	ok      bool   // the last word on the token was good
	reason  string // why not, when !ok
}

func (t *tokenState) set(ok bool, reason string) {
	t.mu.Lock()
	t.checked, t.ok, t.reason = true, ok, reason
	t.mu.Unlock()
}

// TokenState reports whether Slack accepted the bot token: true after a
// successful CheckAuth, false again once any call is refused with
// invalid_auth, token_revoked or the like. reason says why not, for
// GET /readyz; it names the Slack error code only, never the token.
func (s *Slack) TokenState() (ok bool, reason string) {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	if !s.auth.checked {
		return false, "slack token not checked yet"
	}
	return s.auth.ok, s.auth.reason
}

// slackTransport watches every Slack Web API call: it counts failures by
// method and code (429s too) and notices a token Slack stopped accepting.
// Calls to other hosts (file upload URLs) pass through unobserved, so no
// URL-derived label can grow without bound.
type slackTransport struct {
	base   http.RoundTripper
	apiURL string
	met    *metrics.Metrics
	token  *tokenState
	pace   *pacer // nil: no pausing
}

func (t *slackTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	u := req.URL.String()
	if !strings.HasPrefix(u, t.apiURL) {
		return t.base.RoundTrip(req)
	}
	method, _, _ := strings.Cut(strings.TrimPrefix(u, t.apiURL), "?")
	var sc string
	if t.pace != nil {
		var err error
		if sc, req, err = scope(req, method); err != nil {
			t.met.SlackError(method, "transport")
			return nil, err
		}
		if left := t.pace.left(sc); left > 0 {
			return pausedResponse(req, left), nil
		}
	}
	resp, err := t.base.RoundTrip(req)
	switch {
	case err != nil:
		t.met.SlackError(method, "transport")
		return resp, err
	case resp.StatusCode == http.StatusTooManyRequests:
		t.met.SlackError(method, "ratelimited")
		if t.pace != nil {
			t.pace.pause(sc, retryAfter(resp.Header))
		}
		return resp, nil
	case resp.StatusCode != http.StatusOK:
		t.met.SlackError(method, fmt.Sprintf("http_%d", resp.StatusCode))
		return resp, nil
	}
	if code := t.errorCode(resp); code != "" {
		t.met.SlackError(method, code)
		if authErrorCodes[code] {
			t.token.set(false, "slack refused the bot token ("+code+")")
		}
	} else if method == "auth.test" {
		t.token.set(true, "")
	}
	return resp, nil
}

// maxPeek is the largest body read to find an error code: Slack's error
// answers are tiny, and larger bodies (history pages) are successes.
const maxPeek = 16 << 10

// errorCode reads the "error" of a {"ok": false} answer, leaving the body
// for slack-go to read again.
func (t *slackTransport) errorCode(resp *http.Response) string {
	head, err := io.ReadAll(io.LimitReader(resp.Body, maxPeek+1))
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	if err != nil || len(head) > maxPeek {
		return ""
	}
	var r struct {
		OK    *bool  `json:"ok"`
		Error string `json:"error"`
	}
	if json.Unmarshal(head, &r) != nil || r.OK == nil || *r.OK {
		return ""
	}
	if r.Error == "" || len(r.Error) > 64 {
		return "unknown"
	}
	return r.Error
}

type readCloser struct {
	io.Reader
	io.Closer
}

// withoutURL drops the URL from a *url.Error in err: a response_url
// carries a token, and logs must not.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
