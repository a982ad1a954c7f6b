package app

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/intake"
	"github.com/lebot-dev/lebot/intake/triage"
	"github.com/lebot-dev/lebot/internal/config"
	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// newIntake builds the SMTP server and the HTTP server with the inbound
// endpoint and /healthz, both feeding one intake.Service; register adds
// the other routes (Slack, /readyz, /metrics). met may be nil.
func newIntake(cfg *config.Config, st store.Store, kick func(), log *slog.Logger, met *metrics.Metrics,
	register ...func(*http.ServeMux)) (*intake.SMTPServer, *http.Server, error) {
	topts := triage.Options{
		Verify:      triage.VerifyConfig{OfficialDomains: cfg.OfficialDomains},
		CompanyName: cfg.CompanyName,
	}
	svc, err := intake.NewService(intake.ServiceConfig{
		Sink:     StoreSink{Store: st, Kick: kick, Location: cfg.Location(), Triage: topts},
		Triage:   topts,
		Location: cfg.Location(),
		Logger:   log,
		Metrics:  met,
	})
	if err != nil {
		return nil, nil, err
	}
	smtpCfg := intake.SMTPConfig{Accepter: svc, Addresses: cfg.IntakeAddresses, MaxBytes: int64(cfg.SMTPMaxBytes),
		MaxSessions: cfg.SMTPMaxSessions, Logger: log, Metrics: met}
	if cfg.SMTPTLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.SMTPTLSCert, cfg.SMTPTLSKey)
		if err != nil {
			return nil, nil, fmt.Errorf("SMTP_TLS_CERT/SMTP_TLS_KEY: %w", err)
		}
		smtpCfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	smtpSrv, err := intake.NewSMTPServer(smtpCfg)
	if err != nil {
		return nil, nil, err
	}
	inbound, err := intake.NewInboundHandler(intake.HTTPConfig{
		Accepter: svc, Secret: cfg.InboundSecret, MaxBytes: int64(cfg.SMTPMaxBytes), Logger: log, Metrics: met})
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /inbound/email", inbound)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	for _, r := range register {
		r(mux)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	return smtpSrv, srv, nil
}

// StoreSink is intake's sink in lebot: it adapts the store to
// intake.Sink. A follow-up of a request joins it (followup.go). Anything
// else is a new request: the request, raw message, first audit entry and
// the card's outbox item go in one CreateRequest; then Kick wakes the
// dispatcher so the card is posted at once. An emergency's first
// escalation step is stored with it (legal.StartPaging), so a crash
// after the 250 still pages, and the kick also wakes the escalation loop.
// A message reusing an earlier request's Message-ID with other content
// is a request of its own; the earlier card is updated to show the link
// (LinkOutbox).
type StoreSink struct {
	Store    store.Store
	Kick     func()         // may be nil
	Location *time.Location // TIMEZONE, for the day a follow-up came; nil: UTC
	// Triage reads follow-ups (triage.ReadFollowUpMessage) as intake read the
	// message; its ReceivedAt is set per message.
	Triage triage.Options
}

var _ intake.Sink = StoreSink{}

// StoreMessage implements intake.Sink. A follow-up returns its request
// (intake.FollowUp; intake.Duplicate when it had joined it before).
func (s StoreSink) StoreMessage(ctx context.Context, m intake.Accepted) (*legal.Request, intake.Outcome, error) {
	other, same, err := s.target(ctx, m)
	if err != nil {
		return nil, intake.Duplicate, err
	}
	// An emergency that names a request which is none is a new
	// emergency, not a follow-up: it gets its card and pages on-call.
	newEmergency := other != nil && legal.IsEmergency(&m.Request) && !legal.IsEmergency(other)
	if other != nil && same && !newEmergency {
		req, added, err := s.join(ctx, other, m)
		if added {
			return req, intake.FollowUp, err
		}
		return req, intake.Duplicate, err
	}
	draft := m.Request
	legal.StartPaging(&draft, m.ReceivedAt)
	outbox := []store.OutboxItem{bot.CardItem("")}
	switch {
	case other != nil && same:
		outbox = append(outbox, bot.ThreadItem("", bot.EmergencyContinuesText(other), false))
	case other != nil:
		outbox = append(outbox, bot.ThreadItem("", bot.LooksRelatedText(other, senderDomain(&m.Request), senderDomain(other)), false))
	}
	req, created, err := s.Store.CreateRequest(ctx, store.Incoming{
		Raw: m.Raw, MessageID: m.MessageID, ReceivedAt: m.ReceivedAt, Request: draft,
		Audit:      store.AuditEntry{At: m.ReceivedAt, Actor: m.Source, Action: "created", Note: m.Note},
		Outbox:     outbox,
		LinkOutbox: []store.OutboxItem{bot.CardUpdateItem("")},
	})
	if err != nil {
		return req, intake.Duplicate, err
	}
	if m.MessageID != "" && req.MessageID == m.MessageID {
		// Replies name this Message-ID; the first request with it keeps it.
		if _, err := s.Store.LinkMessage(ctx, m.MessageID, req.ID); err != nil {
			return nil, intake.Duplicate, err
		}
	}
	if created && other != nil {
		text := bot.NamedElsewhereText(req, senderDomain(&m.Request))
		if same {
			text = bot.NewEmergencyText(req)
		}
		if err := s.Store.Enqueue(ctx, bot.ThreadItem(other.ID, text, false)); err != nil {
			return nil, intake.Duplicate, err
		}
	}
	if created && s.Kick != nil {
		s.Kick()
	}
	if created {
		return req, intake.Created, nil
	}
	return req, intake.Duplicate, nil
}
