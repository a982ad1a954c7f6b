// Package demo is what `lebot demo` needs around the real bot: a Slack
// stand-in that shows in the terminal everything lebot sends to Slack,
// a client that sends signed /legal commands to lebot's HTTP endpoint
// as Slack would, and the sample requests it mails to the SMTP intake.
package demo

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/lebot-dev/lebot/internal/fakeslack"
)

// Slack is a local stand-in for the Slack Web API: internal/fakeslack's
// server (which answers the methods lebot uses as Slack does) observed
// so that every card, card update, thread reply, direct message,
// ephemeral message, modal and late slash-command reply is printed
// readably. It is safe for concurrent use; each call prints as one
// block of lines.
type Slack struct {
	fake     *fakeslack.Server
	out      *Printer
	channels map[string]string // id -> name, for display
	verbose  bool

	mu    sync.Mutex
	cards map[string][]string // channel+ts -> the card's last rendering
}

// SlackConfig configures the stand-in.
type SlackConfig struct {
	Out *Printer
	// Channels names channel ids for display ("C0LEGAL": "legal").
	Channels map[string]string
	// Verbose also prints the calls that show nothing in Slack
	// (auth.test, conversations.history, users.info …).
	Verbose bool
}

// NewSlack starts the stand-in on a loopback port; Close stops it.
func NewSlack(cfg SlackConfig) (*Slack, error) {
	fake, err := fakeslack.Start()
	if err != nil {
		return nil, fmt.Errorf("demo: Slack stand-in: %w", err)
	}
	s := &Slack{fake: fake, out: cfg.Out, channels: cfg.Channels, verbose: cfg.Verbose,
		cards: map[string][]string{}}
	for id := range cfg.Channels {
		fake.AddChannel(id, fakeslack.Private)
	}
	s.fake.OnCall(s.show)
	return s, nil
}

// URL is the Web API base URL for SLACK_API_URL.
func (s *Slack) URL() string { return s.fake.URL() }

// ResponseURL issues a response_url to send with a slash command.
func (s *Slack) ResponseURL() string { return s.fake.ResponseURL() }

// TriggerID issues a trigger_id to send with a slash command.
func (s *Slack) TriggerID() string { return s.fake.TriggerID() }

// Calls returns the calls made so far (all methods).
func (s *Slack) Calls() []fakeslack.Call { return s.fake.Calls("") }

// Close stops the server.
func (s *Slack) Close() { s.fake.Close() }

// show prints one call as a Slack user would see its effect.
func (s *Slack) show(c fakeslack.Call) {
	if c.Fault != nil || c.Error != "" {
		s.out.Block(fmt.Sprintf("✗ Slack refused %s: %s", c.Method, cmpOr(c.Error, "injected fault")), nil)
		return
	}
	p := c.Params
	switch c.Method {
	case "chat.postMessage":
		s.showPost(c)
	case "chat.update":
		s.showUpdate(c)
	case "chat.postEphemeral":
		s.out.Block(fmt.Sprintf("👁 only @%s sees, in %s:", p.Get("user"), s.channel(p.Get("channel"))),
			messageLines(p.Get("text"), p.Get("blocks")))
	case "views.open", "views.push", "views.update":
		s.out.Block("▭ modal opened for you:", viewLines(p.Get("view")))
	case "views.publish":
		s.out.Block(fmt.Sprintf("⌂ App Home of @%s refreshed", p.Get("user_id")), nil)
	case "files.completeUploadExternal":
		s.showFile(c)
	case "response":
		s.showResponse(c.Body)
	default:
		if s.verbose {
			s.out.Block("· slack api "+c.Method, nil)
		}
	}
}

func (s *Slack) showPost(c fakeslack.Call) {
	p := c.Params
	ch, thread := p.Get("channel"), p.Get("thread_ts")
	body := messageLines(p.Get("text"), p.Get("blocks"))
	switch {
	case thread != "":
		where := "↳ in the thread of " + s.title(ch, thread)
		if p.Get("reply_broadcast") == "true" {
			where += " (also sent to the channel)"
		}
		s.out.Block(where+":", body)
	case strings.HasPrefix(ch, "D"):
		s.out.Block("✉ direct message to "+dmUsers(ch)+":", body)
	case p.Get("blocks") != "" && strings.Contains(p.Get("metadata"), "lebot_request"):
		s.remember(ch, c.TS, body)
		s.out.Block("■ new card in "+s.channel(ch)+":", body)
	default:
		s.out.Block("■ message in "+s.channel(ch)+":", body)
	}
}

// showUpdate prints the lines of the card that changed.
func (s *Slack) showUpdate(c fakeslack.Call) {
	p := c.Params
	ch := p.Get("channel")
	now := messageLines(p.Get("text"), p.Get("blocks"))
	s.mu.Lock()
	before, known := s.cards[ch+" "+c.TS]
	s.cards[ch+" "+c.TS] = now
	s.mu.Unlock()
	title := firstLine(now)
	if !known {
		if strings.HasPrefix(ch, "D") {
			s.out.Block("✎ direct message to "+dmUsers(ch)+" updated:", now)
			return
		}
		s.out.Block("✎ card updated in "+s.channel(ch)+":", now)
		return
	}
	var changed []string
	for _, l := range now {
		if !slices.Contains(before, l) {
			changed = append(changed, l)
		}
	}
	switch {
	case len(changed) > 0:
		s.out.Block("✎ card "+title+" updated:", changed)
	case s.verbose:
		s.out.Block("✎ card "+title+" refreshed (no visible change)", nil)
	}
}

func (s *Slack) showFile(c fakeslack.Call) {
	p := c.Params
	var files []struct {
		Title string `json:"title"`
	}
	_ = json.Unmarshal([]byte(p.Get("files")), &files)
	for _, f := range files {
		where := s.channel(p.Get("channel_id"))
		if ts := p.Get("thread_ts"); ts != "" {
			where = "the thread of " + s.title(p.Get("channel_id"), ts)
		}
		s.out.Block(fmt.Sprintf("📎 file %q shared in %s", f.Title, where), lines(Mrkdwn(p.Get("initial_comment"))))
	}
}

// showResponse prints a reply that came after Slack's 3-second ack,
// through response_url.
func (s *Slack) showResponse(body []byte) {
	var r struct {
		Text   string          `json:"text"`
		Blocks json.RawMessage `json:"blocks"`
	}
	if json.Unmarshal(body, &r) != nil {
		return
	}
	s.out.Block("← lebot (later, via response_url):", messageLines(r.Text, string(r.Blocks)))
}

func (s *Slack) remember(ch, ts string, lines []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cards[ch+" "+ts] = lines
}

// title names a thread by its parent's first line (a card's header).
func (s *Slack) title(ch, ts string) string {
	for _, m := range s.fake.Messages(ch) {
		if m.TS == ts {
			return firstLine(messageLines(m.Text, string(m.Blocks)))
		}
	}
	return "message " + ts
}

func (s *Slack) channel(id string) string {
	if name, ok := s.channels[id]; ok {
		return "#" + name
	}
	if strings.HasPrefix(id, "D") {
		return "the direct messages of " + dmUsers(id)
	}
	return "#" + id
}

// dmUsers names the users of a direct-message channel. The fake's
// conversations.open makes the id "D" + the user ids.
func dmUsers(ch string) string { return "@" + strings.TrimPrefix(ch, "D") }

// messageLines renders a message: its blocks when it has them, else its
// text.
func messageLines(text, blocks string) []string {
	if blocks != "" && blocks != "null" {
		if out := RenderBlocks(json.RawMessage(blocks)); len(out) > 0 {
			return out
		}
	}
	return lines(Mrkdwn(text))
}

// viewLines renders a modal: its title, then its blocks.
func viewLines(raw string) []string {
	var v struct {
		Title  *text           `json:"title"`
		Blocks json.RawMessage `json:"blocks"`
	}
	if json.Unmarshal([]byte(raw), &v) != nil {
		return nil
	}
	var out []string
	if v.Title != nil {
		out = append(out, strings.ToUpper(v.Title.Text))
	}
	out = append(out, RenderBlocks(v.Blocks)...)
	return append(out, "(a modal needs Slack to fill in; use the matching /legal command here)")
}

func firstLine(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return lines[0]
}

// Printer writes blocks of lines to the terminal, one block at a time.
type Printer struct {
	mu sync.Mutex
	w  io.Writer
}

// NewPrinter prints to w.
func NewPrinter(w io.Writer) *Printer { return &Printer{w: w} }

// Block prints a title line and the body indented beneath it, framed by
// a rule so concurrent events do not interleave.
func (p *Printer) Block(title string, body []string) {
	var b strings.Builder
	b.WriteString(title + "\n")
	for _, l := range body {
		b.WriteString("  │ " + l + "\n")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	io.WriteString(p.w, b.String())
}

// Line prints one line.
func (p *Printer) Line(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", args...)
}
