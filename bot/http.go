package bot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// Reply is what a Handler answers. By default it is shown only to the
// user who asked (ephemeral).
type Reply struct {
	Text            string
	Blocks          []slack.Block
	InChannel       bool // visible to the channel
	ReplaceOriginal bool // replace the message the interaction came from
	// View answers a view submission (errors, update); nil closes the modal.
	View *slack.ViewSubmissionResponse
}

// Handler does the work behind Slack requests; package commands
// implements it and internal/app wires it in, so bot never imports commands.
// Implementations must be safe for concurrent use and honour ctx. A nil
// *Reply means there is nothing to tell the user.
type Handler interface {
	Command(ctx context.Context, cmd slack.SlashCommand) *Reply
	Interaction(ctx context.Context, ic slack.InteractionCallback) *Reply
	Event(ctx context.Context, ev slackevents.EventsAPIEvent)
}

// Deduper records keys once; store.Store satisfies it.
type Deduper interface {
	// MarkSent reports whether this call marked key (true once per key
	// within ttl).
	MarkSent(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// How long dedup marks live. Slack retries events for about 5 minutes;
// a double click lands within a second or two.
const (
	retryWindow = time.Hour
	clickWindow = 5 * time.Second
	maxBody     = 1 << 20
)

// ServerConfig configures the Slack transport.
type ServerConfig struct {
	SigningSecret string // required for HTTP; unused in Socket Mode
	Handler       Handler
	Dedup         Deduper
	Now           func() time.Time // default time.Now
	Logger        *slog.Logger     // default discards
	// AckWithin is how long a handler may run before the request is
	// acknowledged and its answer sent later through response_url
	// (default 2s, inside Slack's 3s budget).
	AckWithin time.Duration
	// WorkTimeout bounds the work done after the ack (default 1m).
	WorkTimeout time.Duration
	HTTPClient  *http.Client // for response_url; default http.DefaultClient
}

// Server receives Slack's HTTP requests and Socket Mode envelopes and
// feeds both to the same Handler.
type Server struct {
	cfg ServerConfig
	log *slog.Logger
	wg  sync.WaitGroup
}

// NewServer validates cfg and fills defaults.
func NewServer(cfg ServerConfig) (*Server, error) {
	if cfg.Handler == nil {
		return nil, errors.New("bot server: no handler")
	}
	if cfg.Dedup == nil {
		return nil, errors.New("bot server: no dedup store")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.AckWithin <= 0 {
		cfg.AckWithin = 2 * time.Second
	}
	if cfg.WorkTimeout <= 0 {
		cfg.WorkTimeout = time.Minute
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	return &Server{cfg: cfg, log: cfg.Logger}, nil
}

// Register adds the three Slack endpoints to mux.
func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /slack/commands", s.handleCommands)
	mux.HandleFunc("POST /slack/interactions", s.handleInteractions)
	mux.HandleFunc("POST /slack/events", s.handleEvents)
}

// Wait blocks until work continued after an ack has finished (for
// graceful shutdown and tests).
func (s *Server) Wait() { s.wg.Wait() }

// readVerified reads and verifies the body and restores r.Body so the
// form parsers can read it again. It answers 401/400 itself on failure.
func (s *Server) readVerified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if s.cfg.SigningSecret == "" {
		s.log.Error("slack request refused: no signing secret configured")
		http.Error(w, "not configured", http.StatusServiceUnavailable)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return nil, false
	}
	if err := verify(s.cfg.SigningSecret, r.Header, body, s.cfg.Now()); err != nil {
		s.log.Warn("slack request refused", "path", r.URL.Path, "reason", err.Error())
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return nil, false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, true
}

// first marks key and reports whether this is its first delivery. When
// the store fails we process anyway: the store's optimistic concurrency
// still guards each change, and dropping a real request is worse.
func (s *Server) first(ctx context.Context, key string, ttl time.Duration) bool {
	ok, err := s.cfg.Dedup.MarkSent(ctx, key, ttl)
	if err != nil {
		s.log.Error("slack dedup unavailable", "err", err)
		return true
	}
	return ok
}

func (s *Server) handleCommands(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readVerified(w, r)
	if !ok {
		return
	}
	cmd, err := slack.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "bad command", http.StatusBadRequest)
		return
	}
	s.command(r.Context(), cmd, body, func(v any) { writeJSON(w, v) })
}

// command runs a slash command with dedup and the ack deadline; ack
// writes the immediate answer (nil: an empty 200).
func (s *Server) command(ctx context.Context, cmd slack.SlashCommand, raw []byte, ack func(any)) {
	if !s.first(ctx, "slack:cmd:"+keyOr(cmd.TriggerID, raw), retryWindow) {
		ack(nil)
		return
	}
	s.respond(ctx, cmd.ResponseURL, &Reply{Text: "Working on it…"}, ack, func(ctx context.Context) *Reply {
		return s.cfg.Handler.Command(ctx, cmd)
	})
}

func (s *Server) handleInteractions(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readVerified(w, r)
	if !ok {
		return
	}
	ic, err := slack.InteractionCallbackParse(r)
	if err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	s.interaction(r.Context(), ic, body, func(v any) { writeJSON(w, v) })
}

// interaction dedups retries (same trigger) and double clicks (the same
// action on the same message by the same user within clickWindow), then
// runs the handler with the ack deadline.
func (s *Server) interaction(ctx context.Context, ic slack.InteractionCallback, raw []byte, ack func(any)) {
	if !s.first(ctx, "slack:ia:"+keyOr(ic.TriggerID, raw), retryWindow) {
		ack(nil)
		return
	}
	if k := clickKey(ic); k != "" && !s.first(ctx, k, clickWindow) {
		ack(nil)
		return
	}
	url := ic.ResponseURL
	if url == "" && len(ic.ResponseURLs) > 0 {
		url = ic.ResponseURLs[0].ResponseURL
	}
	// A block action is acknowledged with an empty 200 and a view
	// submission must not get a message body, so neither has a holding reply.
	s.respond(ctx, url, nil, ack, func(ctx context.Context) *Reply {
		return s.cfg.Handler.Interaction(ctx, ic)
	})
}

// clickKey identifies a block action by who clicked what on which
// message, or "" for other interactions.
func clickKey(ic slack.InteractionCallback) string {
	if ic.Type != slack.InteractionTypeBlockActions || len(ic.ActionCallback.BlockActions) == 0 {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s", ic.User.ID, ic.Container.ChannelID, ic.Container.MessageTs, ic.View.ID)
	for _, a := range ic.ActionCallback.BlockActions {
		fmt.Fprintf(h, "\x00%s\x00%s\x00%s\x00%s", a.BlockID, a.ActionID, a.Value, a.SelectedOption.Value)
		for _, o := range a.SelectedOptions {
			fmt.Fprintf(h, "\x01%s", o.Value)
		}
	}
	return "slack:click:" + hex.EncodeToString(h.Sum(nil))
}

// keyOr returns id, or a digest of raw when Slack sent no id.
func keyOr(id string, raw []byte) string {
	if id != "" {
		return id
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// eventEnvelope is the part of an Events API body we read ourselves:
// slackevents does not expose event_id.
type eventEnvelope struct {
	Type      string `json:"type"`
	Challenge string `json:"challenge"`
	EventID   string `json:"event_id"`
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readVerified(w, r)
	if !ok {
		return
	}
	var env eventEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	if env.Type == slackevents.URLVerification {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, env.Challenge)
		return
	}
	if err := s.event(r.Context(), body); err != nil {
		w.Header().Set("X-Slack-No-Retry", "1")
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// event dedups on event_id (Slack retries carry the same id, over HTTP
// and in Socket Mode) and handles the event after the ack.
func (s *Server) event(ctx context.Context, raw []byte) error {
	var env eventEnvelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return err
	}
	ev, err := slackevents.ParseEvent(raw, slackevents.OptionNoVerifyToken())
	if err != nil {
		return err
	}
	if !s.first(ctx, "slack:event:"+keyOr(env.EventID, raw), retryWindow) {
		return nil
	}
	s.goWork(ctx, func(ctx context.Context) { s.cfg.Handler.Event(ctx, ev) })
	return nil
}

// respond runs work and acks with its reply when it finishes within
// AckWithin; otherwise it acks with hold (nil: an empty 200) and the
// reply goes to responseURL when ready.
func (s *Server) respond(ctx context.Context, responseURL string, hold *Reply, ack func(any), work func(context.Context) *Reply) {
	var (
		mu    sync.Mutex
		acked bool
		done  = make(chan *Reply, 1)
	)
	s.goWork(ctx, func(ctx context.Context) {
		rep := work(ctx)
		mu.Lock()
		late := acked
		if !late {
			done <- rep
		}
		mu.Unlock()
		if late {
			s.postResponse(ctx, responseURL, rep)
		}
	})
	t := time.NewTimer(s.cfg.AckWithin)
	defer t.Stop()
	select {
	case rep := <-done:
		ack(replyBody(rep))
		return
	case <-t.C:
	}
	mu.Lock()
	select {
	case rep := <-done:
		mu.Unlock()
		ack(replyBody(rep))
		return
	default:
		acked = true
	}
	mu.Unlock()
	if responseURL == "" {
		hold = nil
	}
	ack(replyBody(hold))
}

// goWork runs f detached from the request (which ends with the ack),
// bounded by WorkTimeout, recovering panics.
func (s *Server) goWork(ctx context.Context, f func(context.Context)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.WorkTimeout)
		defer cancel()
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("slack handler panicked", "panic", fmt.Sprint(p))
			}
		}()
		f(ctx)
	}()
}

// postResponse sends a late reply through response_url.
func (s *Server) postResponse(ctx context.Context, url string, rep *Reply) {
	if rep == nil || url == "" {
		return
	}
	msg, ok := replyBody(rep).(*slack.WebhookMessage)
	if !ok {
		return // view responses cannot be sent late
	}
	if err := slack.PostWebhookCustomHTTPContext(ctx, url, s.cfg.HTTPClient, msg); err != nil {
		s.log.Error("slack response_url post failed", "err", withoutURL(err))
	}
}

// replyBody is the JSON Slack expects for rep: a message, a view
// submission response, or nothing.
func replyBody(rep *Reply) any {
	switch {
	case rep == nil:
		return nil
	case rep.View != nil:
		return rep.View
	case rep.Text == "" && len(rep.Blocks) == 0:
		return nil
	}
	msg := &slack.WebhookMessage{Text: rep.Text, ResponseType: slack.ResponseTypeEphemeral,
		ReplaceOriginal: rep.ReplaceOriginal}
	if rep.InChannel {
		msg.ResponseType = slack.ResponseTypeInChannel
	}
	if len(rep.Blocks) > 0 {
		msg.Blocks = &slack.Blocks{BlockSet: rep.Blocks}
	}
	return msg
}

func writeJSON(w http.ResponseWriter, v any) {
	if v == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
