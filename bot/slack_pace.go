package bot

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Slack rate-limits per method and, for posting, per channel; a 429
// carries Retry-After for that channel's queue, not for one message
// (docs.slack.dev/apis/web-api/rate-limits). The pacer makes the whole
// queue honour it: after a 429 for a channel, every call naming that
// channel is answered here with a 429 for the time left, without
// reaching Slack, so the rest of a batch waits instead of posting at once
// (the outbox sends each back for the time left, as Throttled; order
// within a thread is the store's order groups). A call naming no channel
// is paused by method. The pause is per process: another replica learns
// it from its own first 429.

// maxPacedBody is the largest request body read to find its channel.
const maxPacedBody = 1 << 20

// pacer holds the pauses in force, by scope ("channel:C…", "method:…").
type pacer struct {
	now   func() time.Time
	mu    sync.Mutex
	until map[string]time.Time
}

func newPacer(now func() time.Time) *pacer {
	return &pacer{now: now, until: map[string]time.Time{}}
}

// left is how long scope stays paused (0: not paused). Ended pauses are
// dropped, so the map holds only the ones in force.
func (p *pacer) left(scope string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	for k, t := range p.until {
		if !t.After(now) {
			delete(p.until, k)
		}
	}
	return p.until[scope].Sub(now)
}

// pause holds scope for d, or longer if already held longer.
func (p *pacer) pause(scope string, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if end := p.now().Add(d); end.After(p.until[scope]) {
		p.until[scope] = end
	}
}

// scope is what a Web API call's pause applies to: the channel it names,
// else its method. Reading the body consumes it, so it returns the
// request to send: a copy carrying the body read (req itself is not
// changed, as a RoundTripper must not).
func scope(req *http.Request, method string) (string, *http.Request, error) {
	ch := req.URL.Query().Get("channel")
	if ch == "" && req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(io.LimitReader(req.Body, maxPacedBody+1))
		if err != nil {
			req.Body.Close()
			return "", nil, err
		}
		out := req.Clone(req.Context())
		if len(body) > maxPacedBody { // too large to look into: send it whole
			out.Body = readCloser{io.MultiReader(bytes.NewReader(body), req.Body), req.Body}
			return "method:" + method, out, nil
		}
		req.Body.Close()
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		out.ContentLength = int64(len(body))
		req = out
		ch = channelOf(req.Header.Get("Content-Type"), body)
	}
	if ch != "" {
		return "channel:" + ch, req, nil
	}
	return "method:" + method, req, nil
}

// channelOf finds the channel (or channel_id) of a form or JSON body.
func channelOf(contentType string, body []byte) string {
	if strings.HasPrefix(contentType, "application/json") {
		var v struct {
			Channel   string `json:"channel"`
			ChannelID string `json:"channel_id"`
		}
		_ = json.Unmarshal(body, &v)
		return firstOf(v.Channel, v.ChannelID)
	}
	q, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	return firstOf(q.Get("channel"), q.Get("channel_id"))
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// retryAfter reads a 429's Retry-After (whole seconds; 1 when missing or
// unreadable, as slack-go does not retry sooner either).
func retryAfter(h http.Header) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After")))
	if err != nil || n < 1 {
		n = 1
	}
	return time.Duration(n) * time.Second
}

// pausedResponse is the 429 the pacer answers for a paused scope, with
// the time left rounded up to whole seconds.
func pausedResponse(req *http.Request, left time.Duration) *http.Response {
	secs := int(math.Ceil(left.Seconds()))
	h := http.Header{"Retry-After": {strconv.Itoa(max(secs, 1))}, "Content-Type": {"application/json"}}
	body := `{"ok":false,"error":"ratelimited"}`
	return &http.Response{StatusCode: http.StatusTooManyRequests, Status: "429 Too Many Requests", Header: h,
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: req,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
}
