package bot

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// How an answer reaches the person (docs.slack.dev, "Handling user
// interaction"; /work/shared/notes/slack-platform.md):
//   - a slash command's ack body is shown; a later answer goes to its
//     response_url;
//   - a button click's ack body is ignored: the answer goes to the
//     click's response_url as an ephemeral message (or chat.postEphemeral
//     when there is none);
//   - a modal submission's ack may only be empty (close) or a
//     response_action.

// respond runs work and acks with its reply when it finishes within
// wait; otherwise it acks with hold (nil: an empty 200) and hands the
// reply to late when ready.
func (s *Server) respond(ctx context.Context, wait time.Duration, hold *Reply, ack func(any),
	work func(context.Context) *Reply, late func(context.Context, *Reply)) {
	var (
		mu    sync.Mutex
		acked bool
		done  = make(chan *Reply, 1)
	)
	s.goWork(ctx, func(ctx context.Context) {
		rep := work(ctx)
		mu.Lock()
		tooLate := acked
		if !tooLate {
			done <- rep
		}
		mu.Unlock()
		if tooLate {
			late(ctx, rep)
		}
	})
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case rep := <-done:
			ack(replyBody(rep))
			return
		case <-t.C:
		}
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
	ack(replyBody(hold))
}

// goWork runs f detached from the request (which ends with the ack),
// bounded by WorkTimeout, at most MaxWork at once, recovering panics.
func (s *Server) goWork(ctx context.Context, f func(context.Context)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.work <- struct{}{}
		defer func() { <-s.work }()
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

// tell shows rep to the person who clicked: through the interaction's
// response_url (ephemeral unless rep says otherwise), or, when Slack sent
// none (a button in a modal or the App Home), chat.postEphemeral in the
// channel.
func (s *Server) tell(ctx context.Context, ic slack.InteractionCallback, rep *Reply) {
	msg, ok := replyBody(rep).(*slack.WebhookMessage)
	if !ok {
		return
	}
	url := ic.ResponseURL
	if url == "" && len(ic.ResponseURLs) > 0 {
		url = ic.ResponseURLs[0].ResponseURL
	}
	if url != "" {
		s.post(ctx, url, msg)
		return
	}
	channel := ic.Channel.ID
	if channel == "" {
		channel = ic.Container.ChannelID
	}
	if s.cfg.Ephemeral == nil || channel == "" {
		s.log.Warn("answer to an interaction not delivered: no response_url and no channel", "type", string(ic.Type))
		return
	}
	opts := []slack.MsgOption{slack.MsgOptionText(rep.Text, false)}
	if len(rep.Blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(rep.Blocks...))
	}
	if _, err := s.cfg.Ephemeral.PostEphemeralContext(ctx, channel, ic.User.ID, opts...); err != nil {
		s.log.Error("ephemeral answer to an interaction failed", "code", slackCode(err))
	}
}

// postResponse sends a late reply through response_url.
func (s *Server) postResponse(ctx context.Context, url string, rep *Reply) {
	msg, ok := replyBody(rep).(*slack.WebhookMessage)
	if !ok || url == "" {
		return // nothing to say, or a view response (which only an ack carries)
	}
	s.post(ctx, url, msg)
}

func (s *Server) post(ctx context.Context, url string, msg *slack.WebhookMessage) {
	if err := slack.PostWebhookCustomHTTPContext(ctx, url, s.cfg.HTTPClient, msg); err != nil {
		s.log.Error("slack response_url post failed", "err", withoutURL(err))
	}
}

// submissionReply makes rep an answer Slack accepts for a modal
// submission: a view response as is; a message (a refusal, an apology)
// becomes an error under the modal's first input block, since Slack
// shows a submission nothing else; with no input block, the modal closes.
func submissionReply(ic slack.InteractionCallback, rep *Reply) *Reply {
	if rep == nil || rep.View != nil || (rep.Text == "" && len(rep.Blocks) == 0) {
		return rep
	}
	for _, b := range ic.View.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok && in.BlockID != "" {
			return &Reply{View: slack.NewErrorsViewSubmissionResponse(map[string]string{in.BlockID: rep.Text})}
		}
	}
	return nil
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
