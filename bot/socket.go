package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// SocketAcker acknowledges Socket Mode envelopes; *socketmode.Client
// satisfies it.
type SocketAcker interface {
	Ack(req socketmode.Request, payload ...any) error
}

var _ SocketAcker = (*socketmode.Client)(nil)

// maxSocketAck is the size from which Slack drops a Socket Mode ack and
// slack-go refuses to send one (socketmode's maxResponseSize).
const maxSocketAck = 20 * 1024

// maxSocketWaits bounds the envelopes waiting at once for their answer
// to go into the ack; beyond it an envelope is acked at once and its
// answer follows through response_url.
const maxSocketWaits = 64

// RunSocketMode connects with the app-level token the client was built
// with and feeds every envelope to the same handlers as HTTP, until ctx
// ends. Socket Mode needs no signature check: the connection itself is
// authenticated by the app token.
//
// slack-go delivers envelopes one at a time on client.Events, so each is
// handled in its own goroutine: a slow command must not hold back the
// next envelope's ack past Slack's 3 seconds.
func (s *Server) RunSocketMode(ctx context.Context, client *socketmode.Client) error {
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
	waits := make(chan struct{}, maxSocketWaits)
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("socket mode: %w", err)
		case evt, ok := <-client.Events:
			if !ok {
				return nil
			}
			select {
			case waits <- struct{}{}:
				s.wg.Go(func() {
					defer func() { <-waits }()
					s.handleSocket(ctx, evt, client, s.cfg.AckWithin)
				})
			default:
				// Saturated: ack now, answer later; never wait here.
				s.handleSocket(ctx, evt, client, 0)
			}
		}
	}
}

// HandleSocketEvent handles one Socket Mode event: it acknowledges the
// envelope (with the reply as its payload when ready within AckWithin,
// as the HTTP handlers do) and dedups retries exactly as over HTTP.
func (s *Server) HandleSocketEvent(ctx context.Context, evt socketmode.Event, a SocketAcker) {
	s.handleSocket(ctx, evt, a, s.cfg.AckWithin)
}

// handleSocket handles evt, waiting at most wait for an answer to put in
// the ack.
func (s *Server) handleSocket(ctx context.Context, evt socketmode.Event, a SocketAcker, wait time.Duration) {
	if evt.Request == nil {
		s.log.Debug("socket mode", "event", string(evt.Type))
		return
	}
	req := *evt.Request
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			s.ack(ctx, a, req, nil, "")
			return
		}
		s.command(ctx, cmd, req.Payload, func(v any) { s.ack(ctx, a, req, v, cmd.ResponseURL) }, wait)
	case socketmode.EventTypeInteractive:
		ic, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			s.ack(ctx, a, req, nil, "")
			return
		}
		s.interaction(ctx, ic, req.Payload, func(v any) { s.ack(ctx, a, req, v, ic.ResponseURL) }, wait)
	case socketmode.EventTypeEventsAPI:
		s.ack(ctx, a, req, nil, "")
		if err := s.event(ctx, json.RawMessage(req.Payload)); err != nil {
			s.log.Warn("socket mode event unreadable", "err", err)
		}
	default:
		s.ack(ctx, a, req, nil, "")
	}
}

// ack acknowledges req with payload v (nil: none). Slack drops an ack of
// 20 KB or more (a long /legal show), so such an answer goes to
// responseURL instead and the ack is empty.
func (s *Server) ack(ctx context.Context, a SocketAcker, req socketmode.Request, v any, responseURL string) {
	if v != nil {
		b, err := json.Marshal(socketmode.Response{EnvelopeID: req.EnvelopeID, Payload: v})
		if err == nil && len(b) >= maxSocketAck {
			msg, isMsg := v.(*slack.WebhookMessage)
			if !isMsg || responseURL == "" {
				s.log.Error("socket mode answer too large for an ack and no response_url; dropped", "bytes", len(b))
			} else {
				s.goWork(ctx, func(ctx context.Context) { s.post(ctx, responseURL, msg) })
			}
			v = nil
		}
	}
	var err error
	if v == nil {
		err = a.Ack(req)
	} else {
		err = a.Ack(req, v)
	}
	if err != nil {
		s.log.Error("socket mode ack failed", "err", err)
	}
}
