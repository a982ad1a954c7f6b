package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/internal/fakeslack"
)

// User is who types the slash commands: a member of the legal team.
type User struct {
	ID, Name string
	Channel  string // where the command is typed (the legal channel)
}

// Commander sends slash commands to lebot's POST /slack/commands exactly
// as Slack does: a form body signed with the signing secret. The reply
// goes through lebot's real HTTP handler, dedup and authorization.
type Commander struct {
	URL    string // lebot's /slack/commands
	Secret string // SLACK_SIGNING_SECRET
	// ResponseURL and TriggerID issue, per command, where late replies go
	// and the trigger a modal opens with (the stand-in's: a response_url
	// takes 5 posts, a trigger_id opens one modal within 3 seconds).
	ResponseURL func() string
	TriggerID   func() string
	User        User
	Client      *http.Client // default: a client with a 10 s timeout
}

// Reply is lebot's immediate answer to a command.
type Reply struct {
	Text      string
	Blocks    json.RawMessage
	InChannel bool
}

// Lines renders the reply for the terminal.
func (r Reply) Lines() []string { return messageLines(r.Text, string(r.Blocks)) }

// ErrNotCommand is returned for a line that is not "/command [text]".
var ErrNotCommand = errors.New("not a slash command")

// Send sends line ("/legal show 42") and returns the immediate reply; an
// empty reply means lebot answered later through response_url or had
// nothing to say.
func (c *Commander) Send(ctx context.Context, line string) (Reply, error) {
	line = strings.TrimSpace(line)
	cmd, text, _ := strings.Cut(line, " ")
	if !strings.HasPrefix(cmd, "/") || len(cmd) < 2 {
		return Reply{}, ErrNotCommand
	}
	form := url.Values{
		"token": {"demo"}, "team_id": {"T0DEMO"}, "team_domain": {"demo"},
		"channel_id": {c.User.Channel}, "channel_name": {"legal"},
		"user_id": {c.User.ID}, "user_name": {c.User.Name},
		"command": {cmd}, "text": {fakeslack.EncodeText(strings.TrimSpace(text))}, "api_app_id": {"A0DEMO"},
		"response_url": {c.ResponseURL()}, "trigger_id": {c.TriggerID()},
	}
	body := []byte(form.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return Reply{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	bot.SignRequest(req, c.Secret, body, time.Now())
	client := c.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return Reply{}, fmt.Errorf("send %s: %w", cmd, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Reply{}, fmt.Errorf("read reply to %s: %w", cmd, err)
	}
	if resp.StatusCode != http.StatusOK {
		return Reply{}, fmt.Errorf("%s: lebot answered %s", cmd, resp.Status)
	}
	var r struct {
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
		ResponseType string          `json:"response_type"`
	}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &r); err != nil {
			return Reply{}, fmt.Errorf("reply to %s: %w", cmd, err)
		}
	}
	return Reply{Text: r.Text, Blocks: r.Blocks, InChannel: r.ResponseType == "in_channel"}, nil
}
