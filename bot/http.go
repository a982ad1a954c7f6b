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
	// MaxWork bounds the handlers running at once (default 32); beyond
	// it work waits for a slot, while acks still go out on time.
	MaxWork    int
	HTTPClient *http.Client // for response_url; default http.DefaultClient
	// Ephemeral answers a button click that came without a response_url
	// (chat.postEphemeral to the clicker); *slack.Client satisfies it.
	// nil: such an answer is logged and dropped.
	Ephemeral EphemeralPoster
}

// EphemeralPoster posts a message only user sees; *slack.Client
// satisfies it.
type EphemeralPoster interface {
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
}

var _ EphemeralPoster = (*slack.Client)(nil)

// Server receives Slack's HTTP requests and Socket Mode envelopes and
// feeds both to the same Handler.
type Server struct {
	cfg  ServerConfig
	log  *slog.Logger
	wg   sync.WaitGroup
	work chan struct{} // MaxWork slots
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
	if cfg.MaxWork <= 0 {
		cfg.MaxWork = 32
	}
	return &Server{cfg: cfg, log: cfg.Logger, work: make(chan struct{}, cfg.MaxWork)}, nil
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
	s.command(r.Context(), cmd, body, func(v any) { writeJSON(w, v) }, s.cfg.AckWithin)
}

// command runs a slash command with dedup. Its answer is the ack when
// ready within wait, else it goes to the command's response_url and the
// ack says it is coming; ack writes the immediate answer (nil: an empty
// 200).
func (s *Server) command(ctx context.Context, cmd slack.SlashCommand, raw []byte, ack func(any), wait time.Duration) {
	if !s.first(ctx, "slack:cmd:"+keyOr(cmd.TriggerID, raw), retryWindow) {
		ack(nil)
		return
	}
	cmd.Text = decodeEntities(cmd.Text)
	s.respond(ctx, wait, &Reply{Text: "Working on it…"}, ack, func(ctx context.Context) *Reply {
		return s.cfg.Handler.Command(ctx, cmd)
	}, func(ctx context.Context, rep *Reply) { s.postResponse(ctx, cmd.ResponseURL, rep) })
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
	s.interaction(r.Context(), ic, body, func(v any) { writeJSON(w, v) }, s.cfg.AckWithin)
}

// interaction dedups retries (same trigger) and double clicks (the same
// action on the same message by the same user within clickWindow), then
// runs the handler with the ack deadline.
func (s *Server) interaction(ctx context.Context, ic slack.InteractionCallback, raw []byte, ack func(any), wait time.Duration) {
	if !s.first(ctx, "slack:ia:"+keyOr(ic.TriggerID, raw), retryWindow) {
		ack(nil)
		return
	}
	if k := clickKey(ic); k != "" && !s.first(ctx, k, clickWindow) {
		ack(nil)
		return
	}
	if ic.Type == slack.InteractionTypeViewSubmission {
		// The ack is the answer: nothing closes the modal, a
		// response_action keeps it open with field errors.
		s.respond(ctx, wait, nil, ack, func(ctx context.Context) *Reply {
			return submissionReply(ic, s.cfg.Handler.Interaction(ctx, ic))
		}, func(ctx context.Context, rep *Reply) {
			if rep != nil {
				s.log.Warn("modal submission answered after the ack; the modal closed without it",
					"callback", ic.View.CallbackID)
			}
		})
		return
	}
	// Slack ignores the body of any other interaction's ack (a button
	// click): acknowledge at once and tell the clicker through the
	// response_url, or an ephemeral message.
	ack(nil)
	s.goWork(ctx, func(ctx context.Context) { s.tell(ctx, ic, s.cfg.Handler.Interaction(ctx, ic)) })
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

func writeJSON(w http.ResponseWriter, v any) {
	if v == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
