package demo

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/internal/fakeslack"
)

// TestCommanderSigns checks a command arrives as Slack sends it: a form
// that slack-go parses, signed so Slack's own verifier accepts it.
func TestCommanderSigns(t *testing.T) {
	const secret = "8f742231b10e8888abcd99yyyzzz85a5"
	var got slack.SlashCommand
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := slack.NewSecretsVerifier(r.Header, secret)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		r.Body = io.NopCloser(io.TeeReader(r.Body, &v))
		if got, err = slack.SlashCommandParse(r); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := v.Ensure(); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"text": "You have claimed *LE-2026-0001*.", "response_type": "ephemeral"})
	}))
	defer srv.Close()
	fake := fakeslack.New(t)
	c := &Commander{URL: srv.URL, Secret: secret, ResponseURL: fake.ResponseURL, TriggerID: fake.TriggerID,
		User: User{ID: "U0DEMO", Name: "demo", Channel: "C0LEGAL"}}

	rep, err := c.Send(context.Background(), "  /legal   claim 1 ")
	if err != nil {
		t.Fatal(err)
	}
	if got.Command != "/legal" || got.Text != "claim 1" || got.UserID != "U0DEMO" || got.ChannelID != "C0LEGAL" ||
		!strings.HasPrefix(got.ResponseURL, "http://127.0.0.1:") || got.TriggerID == "" {
		t.Errorf("server got %+v", got)
	}
	if lines := rep.Lines(); len(lines) != 1 || lines[0] != "You have claimed LE-2026-0001." || rep.InChannel {
		t.Errorf("got reply %q (in channel %v)", lines, rep.InChannel)
	}
	first, firstURL := got.TriggerID, got.ResponseURL
	if _, err := c.Send(context.Background(), "/legal note 1 R&D <ok>"); err != nil || got.TriggerID == first || got.ResponseURL == firstURL {
		t.Errorf("second command: err %v, trigger id %q or response_url reused", err, got.TriggerID)
	}
	if got.Text != "note 1 R&amp;D &lt;ok&gt;" {
		t.Errorf("text: got %q, want it encoded as Slack encodes it", got.Text)
	}

	c.Secret = "wrong"
	if _, err := c.Send(context.Background(), "/legal list"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("bad secret: got %v, want a 401 error", err)
	}
	for _, line := range []string{"legal list", "/", ""} {
		if _, err := c.Send(context.Background(), line); !errors.Is(err, ErrNotCommand) {
			t.Errorf("%q: got %v, want ErrNotCommand", line, err)
		}
	}
}
