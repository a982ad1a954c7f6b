package intake

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/textproto"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/intake/triage"
	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/legal"
)

// Sink stores accepted mail durably: the raw bytes, the request draft,
// its first audit entry and the outbox item that posts its card, in one
// atomic step (Created). It is idempotent: a message already stored (the
// same content, less the trace fields relays add) returns the stored
// request (Duplicate); a reused Message-ID with other content is a new
// request. A sink may join a message to an earlier request instead (a
// follow-up in its mail thread) and return that request (FollowUp). Any
// error means nothing was stored and the sender must retry.
// Implementations are safe for concurrent use.
//
// intake imports only legal (DESIGN.md), so main adapts store.Store to
// this interface.
type Sink interface {
	StoreMessage(ctx context.Context, m Accepted) (req *legal.Request, outcome Outcome, err error)
}

// Outcome is what storing a message did.
type Outcome int

const (
	// Duplicate: the message was stored before; nothing changed.
	Duplicate Outcome = iota
	// Created: the message is a new request.
	Created
	// FollowUp: the message joined an earlier request.
	FollowUp
)

// String is the outcome's name in logs.
func (o Outcome) String() string {
	switch o {
	case Created:
		return "created"
	case FollowUp:
		return "follow_up"
	}
	return "duplicate"
}

// Accepted is a received message ready to be stored.
type Accepted struct {
	Raw        []byte
	MessageID  string        // without <>; "" when absent
	ReceivedAt time.Time     // when intake took it in
	Request    legal.Request // the draft; ID and Version are assigned by the store
	Source     string        // "smtp" or "http"
	Recipients []string      // envelope recipients (smtp) or none
	// Note is the first audit entry's note ("received via smtp").
	Note string
	// Message is what intake read of Raw (nil when it could not be read),
	// for a sink that reads more of it (a follow-up's own words and files)
	// without parsing Raw and reading its attachments again. Sinks must
	// not change it.
	Message *triage.Message
}

// ServiceConfig configures a Service.
type ServiceConfig struct {
	Sink Sink
	// Triage configures reading and checking each message; its
	// ReceivedAt, Now and Source are set per message by Accept.
	Triage triage.Options
	// Location is the legal team's zone (TIMEZONE) when Triage.Location
	// is nil.
	Location *time.Location
	// Logger receives one line per accepted message (id, kind, size,
	// source; never the content). Nil discards.
	Logger *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Metrics counts stored messages by kind and verification (nil: none).
	Metrics *metrics.Metrics
}

// Service turns received mail into stored requests. It is the one path
// from SMTP and HTTP intake to the store, and safe for concurrent use.
type Service struct {
	sink   Sink
	triage func(ctx context.Context, raw []byte, received time.Time, source string) (*triage.Result, error)
	log    *slog.Logger
	now    func() time.Time
	cal    *legal.Calendar
	met    *metrics.Metrics
}

// NewService checks cfg and fills its defaults.
func NewService(cfg ServiceConfig) (*Service, error) {
	if cfg.Sink == nil {
		return nil, errors.New("intake: ServiceConfig.Sink is required")
	}
	s := &Service{sink: cfg.Sink, log: cfg.Logger, now: cfg.Now, met: cfg.Metrics}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	opts := cfg.Triage
	if opts.Location == nil {
		opts.Location = cfg.Location
	}
	if opts.Calendar == nil {
		// One calendar for every message, not one per message.
		opts.Calendar = legal.NewCalendar(opts.Location)
	}
	opts.Now = s.now
	s.cal = opts.Calendar
	s.triage = func(ctx context.Context, raw []byte, received time.Time, source string) (*triage.Result, error) {
		o := opts
		o.ReceivedAt, o.Source = received, source
		return triage.Triage(ctx, raw, o)
	}
	return s, nil
}

// Accept reads, checks and durably stores one raw message received via
// source ("smtp" or "http") for rcpt. It returns only after the store has
// the message; an error means nothing was stored (the sender retries).
// Mail that cannot be read is still stored, as an unclassified request
// marked for manual review: nothing is dropped.
func (s *Service) Accept(ctx context.Context, raw []byte, source string, rcpt []string) (*legal.Request, bool, error) {
	now := s.now()
	draft, msgID, msg := s.draft(ctx, raw, now, source)
	if msg != nil {
		stripInvisible(&draft, msg.Hidden)
	}
	draft.Status = legal.StatusNew
	draft.ReceivedAt = now
	draft.Source = source
	draft.MessageID = msgID
	req, outcome, err := s.sink.StoreMessage(ctx, Accepted{
		Raw: raw, MessageID: msgID, ReceivedAt: now, Request: draft, Source: source,
		Recipients: rcpt, Note: "received via " + source, Message: msg,
	})
	if err != nil {
		s.log.Warn("intake: store failed", "source", source, "size", len(raw), "err", err)
		return nil, false, fmt.Errorf("store message received via %s: %w", source, err)
	}
	created := outcome == Created
	if outcome == FollowUp {
		s.met.FollowUp(source)
	} else {
		s.met.Received(source, string(req.Kind()), req.Verification.DKIM, req.Verification.Official, created)
	}
	s.log.Info("intake: message accepted", "request", req.ID, "kind", req.Kind(),
		"size", len(raw), "source", source, "created", created, "outcome", outcome.String())
	return req, created, nil
}

// draft triages raw into a request draft, with its Message-ID and what
// triage read of it (nil when it could not be read; its Hidden counts
// the invisible characters removed from the text, by where). A triage
// failure or panic on hostile input yields an unclassified draft flagged
// for manual review.
func (s *Service) draft(ctx context.Context, raw []byte, now time.Time, source string) (d legal.Request, msgID string, msg *triage.Message) {
	res, err := s.safeTriage(ctx, raw, now, source)
	if err != nil || res == nil {
		// The error is not logged: parse errors quote the message's text.
		s.log.Warn("intake: message could not be read; storing it for manual review", "size", len(raw))
		f := legal.Facts{Kinds: []legal.Kind{legal.KindUnclassified},
			ManualReview: []string{"lebot could not read this message; read the original"}}
		d = legal.NewDraft(f, legal.Verification{DKIM: "none"}, now, source, s.cal)
		return d, headerMessageID(raw), nil
	}
	d = res.Draft
	if len(d.Facts.Kinds) == 0 {
		d.Facts.Kinds = []legal.Kind{legal.KindUnclassified}
	}
	if msg = res.Message; msg != nil {
		msgID = msg.MessageID
	}
	if msgID == "" {
		msgID = headerMessageID(raw)
	}
	return d, msgID, msg
}

func (s *Service) safeTriage(ctx context.Context, raw []byte, now time.Time, source string) (res *triage.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("triage panicked: %v", p)
		}
	}()
	return s.triage(ctx, raw, now, source)
}

// headerMessageID finds the Message-ID in raw's header without a full
// parse, for mail triage could not read: dedup still works on retries.
func headerMessageID(raw []byte) string {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	if e2 := bytes.Index(raw, []byte("\n\n")); end < 0 || (e2 >= 0 && e2 < end) {
		end = e2
	}
	if end < 0 {
		end = len(raw)
	}
	hdr := io.MultiReader(io.LimitReader(bytes.NewReader(raw[:end]), 64<<10), strings.NewReader("\r\n\r\n"))
	r := textproto.NewReader(bufio.NewReader(hdr))
	h, _ := r.ReadMIMEHeader()
	id := strings.TrimSpace(h.Get("Message-Id"))
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	if len(id) > 995 || strings.ContainsAny(id, " \t\r\n") {
		return ""
	}
	return id
}
