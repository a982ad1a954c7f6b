package bot

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// SocketAcker acknowledges Socket Mode envelopes; *socketmode.Client
// satisfies it.
type SocketAcker interface {
	Ack(req socketmode.Request, payload ...any) error
}

var _ SocketAcker = (*socketmode.Client)(nil)

// RunSocketMode connects with the app-level token the client was built
// with and feeds every envelope to the same handlers as HTTP, until ctx
// ends. Socket Mode needs no signature check: the connection itself is
// authenticated by the app token.
func (s *Server) RunSocketMode(ctx context.Context, client *socketmode.Client) error {
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
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
			s.HandleSocketEvent(ctx, evt, client)
		}
	}
}

// HandleSocketEvent handles one Socket Mode event: it acknowledges the
// envelope (with the reply as its payload when ready within AckWithin,
// as the HTTP handlers do) and dedups retries exactly as over HTTP.
func (s *Server) HandleSocketEvent(ctx context.Context, evt socketmode.Event, a SocketAcker) {
	if evt.Request == nil {
		s.log.Debug("socket mode", "event", string(evt.Type))
		return
	}
	req := *evt.Request
	ack := func(v any) {
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
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			ack(nil)
			return
		}
		s.command(ctx, cmd, req.Payload, ack)
	case socketmode.EventTypeInteractive:
		ic, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			ack(nil)
			return
		}
		s.interaction(ctx, ic, req.Payload, ack)
	case socketmode.EventTypeEventsAPI:
		ack(nil)
		if err := s.event(ctx, json.RawMessage(req.Payload)); err != nil {
			s.log.Warn("socket mode event unreadable", "err", err)
		}
	default:
		ack(nil)
	}
}
