package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/legal"
)

// The fuzz targets for what people type and click in Slack: /legal text
// and interaction payloads. Seeds are in testdata/fuzz/<FuzzName>/.

var userIDRE = regexp.MustCompile(`^[UW][A-Z0-9]+$`)

// apology is the start of errorReply's answer to an internal failure:
// no input a person types may cause one while the store is healthy.
const apology = "Something went wrong on my side"

// FuzzParseArgs: the argument parsers accept what they document and
// turn anything else into a usage error, never a panic.
func FuzzParseArgs(f *testing.F) {
	f.Add("<@U012ABCDEF|dana>", "2026-03-20")
	f.Add("@W0ABC", "2026-02-30")
	f.Add("U1", "20260320")
	f.Fuzz(func(t *testing.T, user, date string) {
		var u *usageError
		id, err := parseUser(user)
		switch {
		case err != nil && !errors.As(err, &u):
			t.Fatalf("parseUser(%q): got %v, want a usage error", user, err)
		case err == nil && (!userIDRE.MatchString(id) || !strings.Contains(user, id)):
			t.Fatalf("parseUser(%q) = %q, want a user id taken from the input", user, id)
		}
		d, err := parseDate(date)
		switch {
		case err != nil && !errors.As(err, &u):
			t.Fatalf("parseDate(%q): got %v, want a usage error", date, err)
		case err == nil:
			back, err := legal.ParseDate(d.String())
			if err != nil || back != d {
				t.Fatalf("parseDate(%q) = %v, which does not round-trip (%v)", date, d, err)
			}
		}
	})
}

// FuzzCommandText runs /legal with any text, from a legal team member,
// against a real store holding one request: every answer is a non-empty
// ephemeral reply, never a panic and never the internal-error apology.
func FuzzCommandText(f *testing.F) {
	for _, s := range []string{"", "help", "list", "show 1", "claim LE-2026-0001", "assign 1 <@U0LEGAL2|bo>",
		"due 1 2026-03-20", "note 1 called the agent", "status 1 in_progress", "preserve 1", "ndo 1 2027-01-01"} {
		f.Add(s)
	}
	e := newEnv(f)
	e.create(f, subpoenaFacts())
	n := 0
	f.Fuzz(func(t *testing.T, text string) {
		n++
		rep := e.cmds.Command(context.Background(), slack.SlashCommand{Command: "/legal", Text: text, UserID: member,
			ChannelID: "C0LEGAL", TriggerID: fmt.Sprintf("fuzz-%d", n), ResponseURL: e.fake.ResponseURL()})
		if rep == nil || (rep.Text == "" && len(rep.Blocks) == 0 && rep.View == nil) {
			t.Fatalf("/legal %q: got an empty reply %+v", text, rep)
		}
		if rep.InChannel {
			t.Fatalf("/legal %q: got an in-channel reply, want ephemeral", text)
		}
		if strings.HasPrefix(rep.Text, apology) {
			t.Fatalf("/legal %q: got the internal-error apology", text)
		}
	})
}

// FuzzInteractionPayload posts any payload, correctly signed, to
// /slack/interactions over real HTTP (never a 5xx), and hands the decoded
// callback to the handler directly too, since the HTTP path recovers a
// handler's panic after the ack and would hide it.
func FuzzInteractionPayload(f *testing.F) {
	f.Add(`{"type":"block_actions","user":{"id":"U0LEGAL1"},"trigger_id":"t1","container":{"channel_id":"C0LEGAL","message_ts":"1.2"},"actions":[{"action_id":"claim","value":"LE-2026-0001"}]}`)
	f.Add(`{"type":"view_submission","user":{"id":"U0LEGAL1"},"view":{"callback_id":"due","private_metadata":"LE-2026-0001"}}`)
	f.Add(`{}`)
	e := newEnv(f)
	e.create(f, subpoenaFacts())
	n := 0
	f.Fuzz(func(t *testing.T, payload string) {
		n++
		body := url.Values{"payload": {payload}}.Encode()
		if code, reply := e.post(t, "/slack/interactions", body); code >= 500 || code == http.StatusUnauthorized {
			t.Fatalf("payload %q: got %d %s, want 2xx or 4xx", payload, code, reply)
		}
		var ic slack.InteractionCallback
		if json.Unmarshal([]byte(payload), &ic) != nil {
			return
		}
		ic.TriggerID = fmt.Sprintf("fuzz-direct-%d", n) // past the dedup of the HTTP post
		rep := e.cmds.Interaction(context.Background(), ic)
		if rep != nil && strings.HasPrefix(rep.Text, apology) {
			t.Fatalf("payload %q: got the internal-error apology", payload)
		}
	})
}

// TestSubmitWithoutState: a view submission with no "state" dereferenced
// a nil *slack.ViewState and panicked (over HTTP the panic was recovered
// after a silent ack). Found by FuzzInteractionPayload.
func TestSubmitWithoutState(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	for _, cb := range []string{viewNew, viewChecklist, viewDue, viewStatus} {
		t.Run(cb, func(t *testing.T) {
			ic := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: member},
				TriggerID: "trig-nostate-" + cb, View: slack.View{CallbackID: cb, PrivateMetadata: req.ID}}
			rep := e.cmds.Interaction(context.Background(), ic) // must not panic
			if rep != nil && strings.HasPrefix(rep.Text, apology) {
				t.Errorf("got the internal-error apology %q", rep.Text)
			}
		})
	}
}
