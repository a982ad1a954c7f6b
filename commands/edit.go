package commands

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

// viewEdit is the callback id of the edit modal.
const viewEdit = "lebot_edit"

func init() {
	register(&subcommand{name: "edit", usage: "ID", summary: "correct what lebot read, in a form (kinds, records requested, identifiers, period, deadline, agent, NDO, flags)", run: runEdit})
}

func runEdit(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 1 {
		return nil, errUsage()
	}
	req, err := c.lookup(ctx, in.args[0])
	if err != nil {
		return nil, err
	}
	return nil, c.open(ctx, in.trigger, editView(req))
}

// The edit modal's blocks. Each input block's element has action id "v".
const (
	blockKinds       = "kinds"
	blockRecords     = "records"
	blockIdentifiers = "identifiers"
	blockStart       = "period_start"
	blockEnd         = "period_end"
	blockDeadline    = "deadline"
	blockAgentName   = "agent_name"
	blockAgentEmail  = "agent_email"
	blockAgentPhone  = "agent_phone"
	blockFlags       = "flags"
	blockNDOUntil    = "ndo_until"
)

// The flags' options: the yes/no facts, each a checkbox.
var editFlags = []struct {
	field legal.Field
	label string
}{
	{legal.FieldEmergency, "Emergency (danger of death or serious injury)"},
	{legal.FieldNDO, "Non-disclosure order (NDO)"},
	{legal.FieldNoToSAction, "Asks us not to act on the account"},
	{legal.FieldContentRequested, "Asks for content"},
	{legal.FieldChildEndangerment, "Child endangerment"},
}

// editMeta rides in the modal's private_metadata: the request and a hash
// of each value as shown, so a submission saves only what the person
// changed and leaves alone what someone else corrected meanwhile.
type editMeta struct {
	ID    string            `json:"id"`
	Shown map[string]string `json:"shown"`
}

// form is the edit modal's values by block (flags by "flags.FIELD"), as
// text: how the request fills it, and how a submission reads back.
type form map[string]string

// formOf is the form as the modal shows r's facts.
func formOf(f legal.Facts) form {
	date := func(d *legal.Date) string {
		if d == nil {
			return ""
		}
		return d.String()
	}
	var kinds []string
	for _, k := range f.Kinds {
		if k != legal.KindEmergency {
			kinds = append(kinds, string(k))
		}
	}
	records := make([]string, len(f.Records))
	for i, r := range f.Records {
		records[i] = string(r)
	}
	fm := form{blockKinds: joinSorted(kinds), blockRecords: joinSorted(records), blockIdentifiers: strings.TrimSpace(strings.Join(f.Identifiers, "\n")),
		blockDeadline: date(f.Deadline), blockNDOUntil: date(f.NDOUntil), blockAgentName: strings.TrimSpace(f.Agent.Name),
		blockAgentEmail: strings.TrimSpace(f.Agent.Email), blockAgentPhone: strings.TrimSpace(f.Agent.Phone),
		blockStart: "", blockEnd: ""}
	if f.Period != nil {
		fm[blockStart], fm[blockEnd] = f.Period.Start.String(), f.Period.End.String()
	}
	for _, fl := range editFlags {
		fm["flags."+string(fl.field)] = f.Value(fl.field)
	}
	fm["flags."+string(legal.FieldNDO)] = map[bool]string{true: "yes", false: "no"}[f.NDO]
	return fm
}

func joinSorted(ss []string) string {
	ss = slices.Clone(ss)
	slices.Sort(ss)
	return strings.Join(ss, ",")
}

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:6])
}

// editView is the modal: every field lebot read, filled in as read (or
// as corrected since).
func editView(r *legal.Request) slack.ModalViewRequest {
	fm := formOf(r.Facts)
	meta := editMeta{ID: r.ID, Shown: map[string]string{}}
	for k, v := range fm {
		meta.Shown[k] = hashOf(v)
	}

	var kindOpts, kindInit []*slack.OptionBlockObject
	for _, k := range legal.Kinds {
		if k == legal.KindUnclassified || k == legal.KindEmergency {
			continue
		}
		o := slack.NewOptionBlockObject(string(k), plainText(k.Label()), nil)
		kindOpts = append(kindOpts, o)
		if r.Facts.HasKind(k) {
			kindInit = append(kindInit, o)
		}
	}
	kinds := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, plainText("Kinds"), "v", kindOpts...)
	kinds.InitialOptions = kindInit

	var recOpts, recInit []*slack.OptionBlockObject
	for _, rc := range legal.Records {
		o := slack.NewOptionBlockObject(string(rc), plainText(rc.Label()), nil)
		recOpts = append(recOpts, o)
		if slices.Contains(r.Facts.Records, rc) {
			recInit = append(recInit, o)
		}
	}
	records := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, plainText("Records"), "v", recOpts...)
	records.InitialOptions = recInit
	var recHint *slack.TextBlockObject
	if words := r.Facts.RecordsRequested(); !slices.Equal(words, legal.RecordLabels(r.Facts.Records)) {
		// Entered by hand in the person's own words: choosing categories
		// here replaces them.
		recHint = plainText(truncate("As entered: "+strings.Join(words, "; ")+". Choosing categories replaces this.", 150))
	}

	var flagOpts, flagInit []*slack.OptionBlockObject
	for _, fl := range editFlags {
		o := slack.NewOptionBlockObject(string(fl.field), plainText(fl.label), nil)
		flagOpts = append(flagOpts, o)
		if fm["flags."+string(fl.field)] == "yes" {
			flagInit = append(flagInit, o)
		}
	}
	flags := slack.NewCheckboxGroupsBlockElement("v", flagOpts...)
	flags.InitialOptions = flagInit

	// A value longer than a text input holds is not offered for editing
	// (a cut value saved back would lose the rest): /legal set changes it.
	text := func(block, label, value string, multiline bool) slack.Block {
		if len([]rune(value)) > maxInputText {
			delete(meta.Shown, block)
			return slack.NewSectionBlock(mrkdwnText("*"+label+":* too long to edit here; use `/legal set "+r.ID+" …`."), nil, nil)
		}
		el := slack.NewPlainTextInputBlockElement(nil, "v")
		el.Multiline, el.InitialValue = multiline, value
		return optional(slack.NewInputBlock(block, plainText(label), nil, el))
	}
	date := func(block, label, value string) *slack.InputBlock {
		dp := slack.NewDatePickerBlockElement("v")
		dp.InitialDate = value
		return optional(slack.NewInputBlock(block, plainText(label), nil, dp))
	}
	intro := "What lebot read from " + r.ID + ", with the team's corrections. Change what is wrong; " +
		"only what you change is saved, and the thread and audit trail say who changed what."
	blocks := []slack.Block{
		slack.NewSectionBlock(mrkdwnText(intro), nil, nil),
		optional(slack.NewInputBlock(blockKinds, plainText("Kinds of process"), plainText("Emergency is a box below."), kinds)),
		optional(slack.NewInputBlock(blockRecords, plainText("Records requested"), recHint, records)),
		text(blockIdentifiers, "Identifiers (phone numbers, e-mail addresses, account ids; one per line)", fm[blockIdentifiers], true),
		date(blockStart, "Period: first day", fm[blockStart]),
		date(blockEnd, "Period: last day", fm[blockEnd]),
		date(blockDeadline, "Deadline the request states", fm[blockDeadline]),
		text(blockAgentName, "Agent's name", fm[blockAgentName], false),
		text(blockAgentEmail, "Agent's e-mail", fm[blockAgentEmail], false),
		text(blockAgentPhone, "Agent's phone", fm[blockAgentPhone], false),
		optional(slack.NewInputBlock(blockFlags, plainText("The request"), nil, flags)),
		date(blockNDOUntil, "NDO ends (empty: until further order)", fm[blockNDOUntil]),
	}
	metaJSON, _ := json.Marshal(meta)
	return modal(viewEdit, string(metaJSON), "Correct "+r.ID, blocks...)
}

// maxInputText is the most a plain-text input holds (Slack's limit).
const maxInputText = 3000

func optional(b *slack.InputBlock) *slack.InputBlock {
	b.Optional = true
	return b
}
