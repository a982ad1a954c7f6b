// Package fakeslack is a fake Slack Web API for tests: a loopback HTTP
// server that records every call and answers the methods lebot uses the way Slack
// does, with fault injection (HTTP 500s, 429 with Retry-After, Slack error
// codes). Point slack-go at it with slack.OptionAPIURL(srv.URL()).
//
//	srv := fakeslack.New(t)
//	api := slack.New("xoxb-test", slack.OptionAPIURL(srv.URL()))
//	srv.RateLimit("chat.postMessage", 1, 30*time.Second)
//	...
//	if got := srv.TopLevel("C1"); len(got) != 1 { ... }
//
// Methods served: auth.test, chat.postMessage, chat.update,
// chat.postEphemeral, conversations.history, conversations.replies,
// conversations.open, views.open, views.publish, views.update, views.push,
// usergroups.users.list, users.info, chat.getPermalink, files.getUploadURLExternal, the upload URL it
// hands out, files.completeUploadExternal, apps.connections.open (Socket
// Mode); plus response_url posts. Any other method answers ok:false
// unknown_method.
//
// The fake is as strict as Slack's documentation, so a test fails where
// a real workspace would:
//   - Block Kit and views are validated element by element (blocks.go,
//     views.go);
//   - channels exist only when added (AddChannel): others answer
//     channel_not_found, or not_in_channel for a public channel the bot
//     is not in;
//   - a method whose scope the app's manifest lacks answers missing_scope
//     (New reads slack-app-manifest.yaml);
//   - a trigger_id opens one modal within 3 seconds, a response_url takes
//     5 posts within 30 minutes;
//   - what users do reaches lebot as Slack sends it (SlashCommand, Click,
//     Submit, AppHomeOpened), over HTTP or Socket Mode, and lebot's ack
//     is read as Slack reads it: a block_actions ack body is ignored, a
//     view_submission ack must be empty or a response_action, an ack
//     later than 3 seconds is an operation_timeout, a Socket Mode ack of
//     20 KB or more is dropped.
//
// Every token is accepted except an empty one (not_authed) and those passed
// to RejectToken (invalid_auth). A Server is safe for concurrent use.
//
// The package imports neither testing nor net/http/httptest: `lebot demo`
// runs it as its Slack stand-in (Start), and a binary must not link test
// code.
package fakeslack

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Call is one recorded request.
type Call struct {
	Method string     // "chat.postMessage", "upload", "response"
	Params url.Values // form fields; for JSON bodies each top-level key, non-strings as JSON
	Body   []byte     // the raw body (JSON or form); empty for uploads
	Token  string     // from the form or the Authorization header
	At     time.Time  // the server clock at the call
	// Fault is the injected fault that answered the call, nil when served.
	Fault *Fault
	// Error is the Slack error code answered (ok:false), "" when ok.
	Error string
	// TS is the ts of the message a chat.postMessage or chat.update
	// answered with, "" for other calls.
	TS string
	// Refusal says which field broke which rule when the fake refused the
	// call's blocks or view ("blocks[3].text: 3001 characters, at most
	// 3000"); "" otherwise.
	Refusal string
}

// Fault is an injected failure.
type Fault struct {
	// Status is the HTTP status to answer (500, 503, 429 ...); 0 means 200
	// with ok:false and Error.
	Status int
	// RetryAfter is sent as the Retry-After header (whole seconds) when set.
	RetryAfter time.Duration
	// Error is the Slack error code for an ok:false answer.
	Error string
	// AfterApply: the call takes effect (a message is posted) but the
	// answer is still the fault, like a response lost on the way back.
	AfterApply bool
}

// Server is the fake. Create it with New.
type Server struct {
	srv  *http.Server
	base string // http://127.0.0.1:PORT
	mux  *http.ServeMux

	mu         sync.Mutex
	now        func() time.Time
	seq        int
	calls      []Call
	faults     map[string][]Fault // method ("" for any) -> queue
	rejected   map[string]bool
	messages   []*Message
	ephemeral  []*Message
	views      []*View
	usergroups map[string][]string
	uploads    map[string]*File // file id -> pending or completed file
	responses  []Call
	emails     map[string]string // users.info profile e-mails
	hook       func(Call)
	channels   map[string]*channel
	scopes     []string // nil: every scope
	triggers   map[string]*trigger
	urls       map[string]*responseURL
	app        app     // where deliveries go over HTTP
	socket     *socket // the Socket Mode side
	answers    []Answer
	retries    []time.Duration // event redelivery delays

	// refusal and extra are set by a method handler (under mu) and read
	// by serve: why blocks were refused, extra fields of an error answer.
	refusal string
	extra   map[string]any
}

// TB is the part of testing.TB that New uses; *testing.T and *testing.B
// satisfy it. It is declared here so the package does not import testing.
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// New starts a fake Slack and closes it when tb's test ends. It grants the
// bot the scopes of the repository's slack-app-manifest.yaml (found in the
// working directory or a parent), so a method lebot needs but the
// manifest does not ask for fails the test.
func New(tb TB) *Server {
	tb.Helper()
	path, err := findManifest()
	if err != nil {
		tb.Fatalf("fakeslack: %v", err)
	}
	scopes, err := ManifestScopes(path)
	if err != nil {
		tb.Fatalf("fakeslack: %v", err)
	}
	s, err := Start()
	if err != nil {
		tb.Fatalf("fakeslack: %v", err)
	}
	s.SetScopes(scopes...)
	tb.Cleanup(s.Close)
	return s
}

// Start starts a fake Slack on a free loopback port outside a test (lebot
// demo shows what lebot sends through it); Close stops it.
func Start() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &Server{
		mux:        http.NewServeMux(),
		now:        time.Now,
		faults:     map[string][]Fault{},
		rejected:   map[string]bool{},
		usergroups: map[string][]string{},
		uploads:    map[string]*File{},
		channels:   map[string]*channel{},
		triggers:   map[string]*trigger{},
		urls:       map[string]*responseURL{},
		socket:     newSocket(),
		base:       "http://" + ln.Addr().String(),
	}
	s.routes()
	s.srv = &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server and closes its connections (Socket Mode ones
// too).
func (s *Server) Close() {
	s.socket.close()
	s.srv.Close()
}

// OnCall calls f after each call (API method or response_url post) is
// answered, outside the server's lock, so f may read the server; calls
// arrive concurrently when lebot makes them concurrently.
func (s *Server) OnCall(f func(Call)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = f
}

// notify passes c to the OnCall hook, if any.
func (s *Server) notify(c Call) {
	s.mu.Lock()
	f := s.hook
	s.mu.Unlock()
	if f != nil {
		f(c)
	}
}

// URL is the API base URL with the trailing slash slack-go needs.
func (s *Server) URL() string { return s.base + "/api/" }

// SetClock sets the clock used for call times and message timestamps.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// RejectToken makes every call with token answer invalid_auth.
func (s *Server) RejectToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected[token] = true
}

// Inject answers the next n calls of method ("" for any method) with f.
func (s *Server) Inject(method string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[method] = append(s.faults[method], f)
	}
}

// Fail answers the next n calls of method with HTTP 500.
func (s *Server) Fail(method string, n int) {
	s.Inject(method, n, Fault{Status: http.StatusInternalServerError})
}

// RateLimit answers the next n calls of method with 429 and Retry-After.
func (s *Server) RateLimit(method string, n int, retryAfter time.Duration) {
	s.Inject(method, n, Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter})
}

// Calls returns the recorded calls of method, or all calls when method is "".
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) routes() {
	api := map[string]func(*request) (any, string){
		"auth.test":                    s.authTest,
		"chat.postMessage":             s.postMessage,
		"chat.update":                  s.update,
		"chat.postEphemeral":           s.postEphemeral,
		"conversations.history":        s.history,
		"conversations.replies":        s.replies,
		"conversations.open":           s.open,
		"views.open":                   s.viewsOpen,
		"views.publish":                s.viewsPublish,
		"views.update":                 s.viewsUpdate,
		"views.push":                   s.viewsPush,
		"usergroups.users.list":        s.usergroupMembers,
		"files.getUploadURLExternal":   s.getUploadURL,
		"files.completeUploadExternal": s.completeUpload,
		"users.info":                   s.usersInfo,
		"chat.getPermalink":            s.permalink,
		"apps.connections.open":        s.connectionsOpen,
	}
	s.mux.HandleFunc("POST /api/{method}", func(w http.ResponseWriter, r *http.Request) {
		method := r.PathValue("method")
		h, ok := api[method]
		if !ok {
			h = func(*request) (any, string) { return nil, "unknown_method" }
		}
		s.notify(s.serve(w, r, method, h))
	})
	s.mux.HandleFunc("GET /api/{method}", func(w http.ResponseWriter, r *http.Request) {
		method := r.PathValue("method")
		if h, ok := api[method]; ok {
			s.notify(s.serve(w, r, method, h))
			return
		}
		writeJSON(w, map[string]any{"ok": false, "error": "unknown_method"})
	})
	s.mux.HandleFunc("POST /upload/{id}", s.upload)
	s.mux.HandleFunc("POST /response/{id}", s.response)
	s.mux.HandleFunc("GET /socket/{ticket}", s.serveSocket)
}

// request is a parsed API call handed to a method handler, which runs
// with s.mu held.
