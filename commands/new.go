package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

func init() {
	register(&subcommand{name: "new", summary: "enter a request received by post, fax or in person", run: runNew})
}

func runNew(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 0 {
		return nil, errUsage()
	}
	if err := c.open(ctx, in.trigger, c.newView()); err != nil {
		return nil, err
	}
	return nil, nil
}

// newView asks for what intake would have read from an e-mail.
func (c *Commands) newView() slack.ModalViewRequest {
	var kinds []*slack.OptionBlockObject
	for _, k := range legal.Kinds {
		kinds = append(kinds, slack.NewOptionBlockObject(string(k), plainText(k.Label()), nil))
	}
	var sources []*slack.OptionBlockObject
	for _, s := range []string{"post", "fax", "in person"} {
		sources = append(sources, slack.NewOptionBlockObject(s, plainText(s), nil))
	}
	received := slack.NewDatePickerBlockElement("date")
	received.InitialDate = c.cal.DateOf(c.now()).String()
	text := func(block, label string, multiline, optional bool) *slack.InputBlock {
		el := slack.NewPlainTextInputBlockElement(nil, "v")
		el.Multiline = multiline
		b := slack.NewInputBlock(block, plainText(label), nil, el)
		b.Optional = optional
		return b
	}
	deadline := slack.NewInputBlock("deadline", plainText("Deadline stated in the request and its process"), nil,
		slack.NewDatePickerBlockElement("date"))
	deadline.Optional = true
	return modal(viewNew, "", "New legal request",
		slack.NewInputBlock("kind", plainText("Kind"), nil,
			slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText("Kind"), "kind", kinds...)),
		slack.NewInputBlock("source", plainText("Received by"), nil,
			slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText("Channel"), "source", sources...)),
		slack.NewInputBlock("received", plainText("Received on"), nil, received),
		text("agency", "Agency", false, false),
		text("subject", "Short description (e.g. case number)", false, false),
		text("agent", "Agent name", false, true),
		text("contact", "Agent e-mail or phone", false, true),
		text("records", "Records sought (one per line)", true, true),
		text("identifiers", "Phone numbers or account ids (one per line)", true, true),
		deadline)
}

// submitNew stores the request entered in the modal. The view id is its
// message id, so a submission Slack delivers twice creates one request.
func (c *Commands) submitNew(ctx context.Context, in input, ic slack.InteractionCallback) (*bot.Reply, error) {
	vals := ic.View.State.Values
	get := func(block string) string { return strings.TrimSpace(vals[block]["v"].Value) }
	kind, err := legal.ParseKind(vals["kind"]["kind"].SelectedOption.Value)
	if err != nil {
		return fieldError("kind", "Pick a kind."), nil
	}
	recv, err := legal.ParseDate(vals["received"]["date"].SelectedDate)
	if err != nil || recv.After(c.cal.DateOf(c.now())) {
		return fieldError("received", "Pick the day it arrived (not in the future)."), nil
	}
	source := vals["source"]["source"].SelectedOption.Value
	f := legal.Facts{Kinds: []legal.Kind{kind}, Exigent: kind == legal.KindEmergency,
		Agent: legal.Agent{Name: get("agent")}, RecordsSought: lines(get("records")), Identifiers: lines(get("identifiers"))}
	if contact := get("contact"); strings.Contains(contact, "@") {
		f.Agent.Email = strings.ToLower(contact)
	} else {
		f.Agent.Phone = contact
	}
	if d, err := legal.ParseDate(vals["deadline"]["date"].SelectedDate); err == nil {
		f.Deadline = &d
	}
	// Received today: now; earlier: noon that day, team time.
	at := c.now()
	if recv.Before(c.cal.DateOf(at)) {
		at = recv.In(c.cal.Location()).Add(12 * time.Hour)
	}
	draft := legal.NewDraft(f, legal.Verification{DKIM: "none", Callback: true,
		Flags: []string{"entered by hand from " + source + "; verify the sender"}}, at, "manual", c.cal)
	draft.Subject, draft.From = get("subject"), get("agency")
	raw := fmt.Sprintf("Entered by hand by %s\nReceived by: %s on %s\nAgency: %s\nSubject: %s\n",
		in.user, source, recv, draft.From, draft.Subject)
	req, created, err := c.st.CreateRequest(ctx, store.Incoming{Raw: []byte(raw), MessageID: "manual." + ic.View.ID,
		ReceivedAt: at, Request: draft, Outbox: append([]store.OutboxItem{bot.CardItem("")}, homeItems(in.user)...),
		Audit: store.AuditEntry{At: c.now(), Actor: in.user, Action: "created", Note: "entered by hand (" + source + ")"}})
	if err != nil {
		return fieldError("subject", strings.TrimSpace(c.errorReply(ctx, fmt.Errorf("create manual request: %w", err)).Text)), nil
	}
	if created {
		c.log.InfoContext(ctx, "manual request created", "request", req.ID)
		c.kick()
	}
	return nil, nil
}

// lines splits free text into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
