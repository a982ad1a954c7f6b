package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/internal/fakeslack"
)

// slashReply is the JSON body serve answers a slash command with.
type slashReply struct {
	ResponseType string          `json:"response_type"`
	Text         string          `json:"text"`
	Blocks       json.RawMessage `json:"blocks"`
}

// postSlash posts `/legal text` as user to serve's HTTP listener, signed
// with secret (the test's forgeries use another), and returns the status
// and the decoded reply.
func postSlash(tb testing.TB, base, secret, user, text string, tamper func(*http.Request)) (int, slashReply) {
	tb.Helper()
	body := url.Values{"command": {"/legal"}, "text": {text}, "user_id": {user}, "channel_id": {"C0LEGAL"},
		"trigger_id": {fmt.Sprintf("trig-%d", time.Now().UnixNano())}, "response_url": {"http://127.0.0.1:1/unused"}}.Encode()
	req, err := http.NewRequest(http.MethodPost, base+"/slack/commands", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	bot.SignRequest(req, secret, []byte(body), time.Now())
	if tamper != nil {
		tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var rep slashReply
	if resp.StatusCode == http.StatusOK && len(raw) > 0 {
		if err := json.Unmarshal(raw, &rep); err != nil {
			tb.Fatalf("/legal %s: reply %q: %v", text, raw, err)
		}
	}
	return resp.StatusCode, rep
}

var idRE = regexp.MustCompile(`LE-\d{4}-\d{4}`)

// TestServeSlash drives /legal over serve's own HTTP listener: mail comes
// in by SMTP, the legal team lists, shows and claims it with signed slash
// commands, and the card and its thread at the fake Slack follow.
func TestServeSlash(t *testing.T) {
	fake := fakeslack.New(t)
	env := testEnv(t, fake)
	secret := env["SLACK_SIGNING_SECRET"]
	member := env["LEGAL_USERS"]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, envOf(env), Options{Log: &stderr, OutboxPoll: testPoll}) }()
	base := "http://127.0.0.1:" + env["PORT"]
	waitFor(t, "/readyz", func() bool { return httpStatus(base+"/readyz") == http.StatusOK })

	c, err := smtp.Dial(env["SMTP_ADDR"])
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendMail("dana.smith@fbi.gov", []string{"legal@example.com"},
		strings.NewReader(fmt.Sprintf(testMail, "slash-1@fbi.gov"))); err != nil {
		t.Fatalf("SMTP: %v", err)
	}
	c.Quit()
	waitFor(t, "the card", func() bool { return len(fake.TopLevel("C0LEGAL")) == 1 })
	card := fake.TopLevel("C0LEGAL")[0]

	code, list := postSlash(t, base, secret, member, "list", nil)
	id := idRE.FindString(list.Text)
	if code != http.StatusOK || list.ResponseType != "ephemeral" || id == "" {
		t.Fatalf("/legal list: got %d %q %q, want an ephemeral list with a request id", code, list.ResponseType, list.Text)
	}

	forged := []struct {
		name   string
		tamper func(*http.Request)
	}{
		{"wrong secret", func(r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(strings.NewReader(string(body)))
			bot.SignRequest(r, "not-the-secret", body, time.Now())
		}},
		{"stale timestamp", func(r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(strings.NewReader(string(body)))
			bot.SignRequest(r, secret, body, time.Now().Add(-10*time.Minute))
		}},
		{"modified body", func(r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			changed := strings.Replace(string(body), "show", "claim", 1)
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader(changed)), int64(len(changed))
		}},
	}
	for _, f := range forged {
		t.Run("forged/"+f.name, func(t *testing.T) {
			if code, _ := postSlash(t, base, secret, member, "show "+id, f.tamper); code != http.StatusUnauthorized {
				t.Fatalf("got %d, want 401", code)
			}
		})
	}

	tests := []struct {
		name, user, text string
		want             []string
	}{
		{"show by full id", member, "show " + id, []string{id, "Subpoena"}},
		{"show by number", member, "show " + strings.TrimLeft(id[8:], "0"), []string{id}},
		{"show unknown", member, "show 9999", []string{"There is no request `9999`."}},
		{"outsider refused", "U0OUTSIDER", "show " + id, []string{"only for the legal team"}},
		{"claim", member, "claim " + strings.ToLower(id), []string{"You have claimed " + id}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, rep := postSlash(t, base, secret, tt.user, tt.text, nil)
			got := rep.Text + string(rep.Blocks)
			if code != http.StatusOK || rep.ResponseType != "ephemeral" {
				t.Fatalf("got %d %q, want 200 ephemeral", code, rep.ResponseType)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("reply %q lacks %q", got, w)
				}
			}
		})
	}

	waitFor(t, "the card updated after the claim", func() bool {
		for _, call := range fake.Calls("chat.update") {
			if call.Params.Get("ts") == card.TS && strings.Contains(string(call.Body), member) {
				return true
			}
		}
		return false
	})
	waitFor(t, "the thread note", func() bool {
		for _, m := range fake.Replies("C0LEGAL", card.TS) {
			if strings.Contains(m.Text, "<@"+member+"> claimed") {
				return true
			}
		}
		return false
	})
	if n := len(fake.TopLevel("C0LEGAL")); n != 1 {
		t.Errorf("top-level messages: got %d, want only the card", n)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	for _, s := range []string{secret, "555-0100", "Grand jury subpoena"} {
		if strings.Contains(stderr.String(), s) {
			t.Errorf("logs contain %q", s)
		}
	}
}
