package fakeslack_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/internal/fakeslack"
)

func newClient(srv *fakeslack.Server, token string) *slack.Client {
	return slack.New(token, slack.OptionAPIURL(srv.URL()))
}

// newServer is a fake with the private channel C1 the bot is in.
func newServer(t *testing.T) *fakeslack.Server {
	t.Helper()
	srv := fakeslack.New(t)
	srv.AddChannel("C1", fakeslack.Private)
	return srv
}

func TestAuthTest(t *testing.T) {
	tests := []struct {
		name, token, wantErr string
	}{
		{"ok", "xoxb-good", ""},
		{"rejected", "xoxb-bad", "invalid_auth"},
		{"missing", "", "not_authed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeslack.New(t)
			srv.RejectToken("xoxb-bad")
			_, err := newClient(srv, tt.token).AuthTestContext(context.Background())
			if got := errString(err); got != tt.wantErr {
				t.Fatalf("got error %q, want %q", got, tt.wantErr)
			}
			if n := len(srv.Calls("auth.test")); n != 1 {
				t.Fatalf("got %d auth.test calls, want 1", n)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestMessagesAndHistory(t *testing.T) {
	ctx := context.Background()
	srv := newServer(t)
	srv.SetClock(func() time.Time { return time.Unix(1_800_000_000, 0) })
	api := newClient(srv, "xoxb-test")

	meta := slack.SlackMetadata{EventType: "lebot_request", EventPayload: map[string]any{"request_id": "LE-1"}}
	ch, ts, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("card", false), slack.MsgOptionMetadata(meta))
	if err != nil || ch != "C1" || !strings.HasPrefix(ts, "1800000000.") {
		t.Fatalf("post: got %q %q %v", ch, ts, err)
	}
	if _, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("note", false), slack.MsgOptionTS(ts), slack.MsgOptionBroadcast()); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C1", ts, slack.MsgOptionText("card v2", false)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("x", false), slack.MsgOptionTS("1.000000")); errString(err) != "thread_not_found" {
		t.Fatalf("reply to unknown thread: got %v, want thread_not_found", err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C1", "9.9", slack.MsgOptionText("x", false)); errString(err) != "message_not_found" {
		t.Fatalf("update unknown: got %v, want message_not_found", err)
	}

	top := srv.TopLevel("C1")
	if len(top) != 1 || top[0].Text != "card v2" || top[0].Updates != 1 || top[0].Metadata.EventPayload["request_id"] != "LE-1" {
		t.Fatalf("top level: got %+v", top)
	}
	if r := srv.Replies("C1", ts); len(r) != 1 || !r[0].Broadcast {
		t.Fatalf("replies: got %+v, want one broadcast reply", r)
	}

	for _, withMeta := range []bool{true, false} {
		h, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1", IncludeAllMetadata: withMeta, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Messages) != 1 || !h.HasMore || h.ResponseMetaData.NextCursor == "" {
			t.Fatalf("history page 1: got %+v", h)
		}
		h2, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1", IncludeAllMetadata: withMeta, Limit: 1, Cursor: h.ResponseMetaData.NextCursor})
		if err != nil || len(h2.Messages) != 1 || h2.HasMore {
			t.Fatalf("history page 2: got %+v, %v", h2, err)
		}
		card := h2.Messages[0] // newest first: the broadcast reply, then the card
		if got := card.Metadata.EventType; (got == "lebot_request") != withMeta {
			t.Fatalf("include_all_metadata=%v: got event type %q", withMeta, got)
		}
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault func(*fakeslack.Server)
		check func(t *testing.T, err error)
		posts int // messages stored after the faulty call
	}{
		{"500", func(s *fakeslack.Server) { s.Fail("chat.postMessage", 1) }, func(t *testing.T, err error) {
			var sc slack.StatusCodeError
			if !errors.As(err, &sc) || sc.Code != http.StatusInternalServerError {
				t.Fatalf("got %v, want StatusCodeError 500", err)
			}
		}, 0},
		{"429", func(s *fakeslack.Server) { s.RateLimit("chat.postMessage", 1, 30*time.Second) }, func(t *testing.T, err error) {
			var rl *slack.RateLimitedError
			if !errors.As(err, &rl) || rl.RetryAfter != 30*time.Second {
				t.Fatalf("got %v, want RateLimitedError 30s", err)
			}
		}, 0},
		{"slack error", func(s *fakeslack.Server) { s.Inject("", 1, fakeslack.Fault{Error: "channel_not_found"}) }, func(t *testing.T, err error) {
			if errString(err) != "channel_not_found" {
				t.Fatalf("got %v, want channel_not_found", err)
			}
		}, 0},
		{"lost answer", func(s *fakeslack.Server) {
			s.Inject("chat.postMessage", 1, fakeslack.Fault{Status: http.StatusBadGateway, AfterApply: true})
		}, func(t *testing.T, err error) {
			if err == nil {
				t.Fatal("got nil error, want 502")
			}
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			tt.fault(srv)
			api := newClient(srv, "xoxb-test")
			_, _, err := api.PostMessageContext(context.Background(), "C1", slack.MsgOptionText("hi", false))
			tt.check(t, err)
			if got := len(srv.TopLevel("C1")); got != tt.posts {
				t.Fatalf("got %d messages after the fault, want %d", got, tt.posts)
			}
			if _, _, err := api.PostMessageContext(context.Background(), "C1", slack.MsgOptionText("hi", false)); err != nil {
				t.Fatalf("after the fault: %v", err)
			}
			if calls := srv.Calls("chat.postMessage"); len(calls) != 2 || calls[0].Fault == nil || calls[1].Fault != nil {
				t.Fatalf("got calls %+v, want the first faulted and the second served", calls)
			}
		})
	}
}

func TestBlockLimits(t *testing.T) {
	srv := newServer(t)
	api := newClient(srv, "xoxb-test")
	long := slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, strings.Repeat("x", 3001), false, false), nil, nil)
	if _, _, err := api.PostMessageContext(context.Background(), "C1", slack.MsgOptionBlocks(long)); errString(err) != "invalid_blocks" {
		t.Fatalf("3001-char section: got %v, want invalid_blocks", err)
	}
	many := make([]slack.Block, 51)
	for i := range many {
		many[i] = slack.NewDividerBlock()
	}
	if _, _, err := api.PostMessageContext(context.Background(), "C1", slack.MsgOptionBlocks(many...)); errString(err) != "invalid_blocks" {
		t.Fatalf("51 blocks: got %v, want invalid_blocks", err)
	}
}

func TestViewsUserGroupsEphemeral(t *testing.T) {
	ctx := context.Background()
	srv := newServer(t)
	api := newClient(srv, "xoxb-test")
	srv.SetUserGroup("S1", "U1", "U2")

	users, err := api.GetUserGroupMembersContext(ctx, "S1")
	if err != nil || strings.Join(users, ",") != "U1,U2" {
		t.Fatalf("usergroup: got %v %v", users, err)
	}
	if _, err := api.GetUserGroupMembersContext(ctx, "S9"); errString(err) != "no_such_subteam" {
		t.Fatalf("unknown group: got %v", err)
	}
	modal := slack.ModalViewRequest{Type: slack.VTModal, Title: slack.NewTextBlockObject(slack.PlainTextType, "T", false, false), CallbackID: "cb",
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}}}
	v, err := api.OpenViewContext(ctx, srv.TriggerID(), modal)
	if err != nil || v.ID == "" {
		t.Fatalf("views.open: got %+v %v", v, err)
	}
	if _, err := api.UpdateViewContext(ctx, modal, "", v.Hash, v.ID); err != nil {
		t.Fatalf("views.update: %v", err)
	}
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}}}
	if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: home}); err != nil {
		t.Fatalf("views.publish: %v", err)
	}
	views := srv.Views()
	if len(views) != 2 || views[0].CallbackID != "cb" || views[0].Updates != 1 || views[1].UserID != "U1" {
		t.Fatalf("views: got %+v", views)
	}
	ch, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1"}})
	if err != nil || ch.ID == "" {
		t.Fatalf("conversations.open: %+v %v", ch, err)
	}
	if _, err := api.PostEphemeralContext(ctx, "C1", "U1", slack.MsgOptionText("only you", false)); err != nil {
		t.Fatal(err)
	}
	if e := srv.Ephemeral("C1"); len(e) != 1 || e[0].User != "U1" {
		t.Fatalf("ephemeral: got %+v", e)
	}
}

func TestUploadV2(t *testing.T) {
	ctx := context.Background()
	srv := newServer(t)
	api := newClient(srv, "xoxb-test")
	_, ts, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("card", false))
	if err != nil {
		t.Fatal(err)
	}
	raw := "From: a@b.gov\r\n\r\nhello"
	if _, err := api.UploadFileContext(ctx, slack.UploadFileParameters{Channel: "C1", ThreadTimestamp: ts,
		Filename: "LE-1.eml", Title: "original", Content: raw, FileSize: len(raw)}); err != nil {
		t.Fatalf("upload: %v", err)
	}
	files := srv.Files("C1")
	if len(files) != 1 || string(files[0].Content) != raw || files[0].ThreadTS != ts || files[0].Name != "LE-1.eml" {
		t.Fatalf("files: got %+v", files)
	}
	if r := srv.Replies("C1", ts); len(r) != 1 || len(r[0].Files) != 1 {
		t.Fatalf("replies: got %+v, want the file in the thread", r)
	}
}

// TestOnCall checks the hook sees each call after it is answered, with
// the error code, and may read the server from inside the hook.
func TestOnCall(t *testing.T) {
	srv := newServer(t)
	type seen struct {
		method, err string
		messages    int
		posted      bool // the hook's TS is the posted message's
	}
	var got []seen
	srv.OnCall(func(c fakeslack.Call) {
		msgs := srv.Messages("C1")
		posted := len(msgs) > 0 && c.TS == msgs[len(msgs)-1].TS
		got = append(got, seen{c.Method, c.Error, len(msgs), posted})
	})
	api := newClient(srv, "xoxb-test")
	ctx := context.Background()
	if _, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false)); err != nil {
		t.Fatal(err)
	}
	_, _, _ = api.PostMessageContext(ctx, "C1", slack.MsgOptionText("", false))
	want := []seen{{"chat.postMessage", "", 1, true}, {"chat.postMessage", "no_text", 1, false}}
	if len(got) != len(want) {
		t.Fatalf("got %d hook calls %v, want %v", len(got), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("call %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}
