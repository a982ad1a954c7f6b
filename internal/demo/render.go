package demo

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// block is the part of a Block Kit block the terminal shows. It is read
// from JSON, not slack-go's types, so any block lebot sends renders, even
// one slack-go cannot unmarshal.
type block struct {
	Type      string            `json:"type"`
	Text      *text             `json:"text"`
	Fields    []text            `json:"fields"`
	Elements  []json.RawMessage `json:"elements"`
	Label     *text             `json:"label"`
	Element   *element          `json:"element"`
	Accessory *element          `json:"accessory"`
}

type text struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type element struct {
	Type        string   `json:"type"`
	Text        *text    `json:"text"`
	Placeholder *text    `json:"placeholder"`
	InitialDate string   `json:"initial_date"`
	Options     []option `json:"options"`
	// InitialOptions are the ticked checkboxes, InitialOption the chosen
	// radio button, as Slack shows them when the view opens.
	InitialOptions []option `json:"initial_options"`
	InitialOption  *option  `json:"initial_option"`
}

type option struct {
	Text  text   `json:"text"`
	Value string `json:"value"`
}

// RenderBlocks renders Block Kit blocks as terminal lines: the header in
// capitals, sections and fields as text ("Label: value"), context lines
// dimmed with "·", buttons as [Claim] [Checklist], inputs as
// "Label: [___]". Blocks it cannot read are skipped.
func RenderBlocks(raw json.RawMessage) []string {
	var blocks []block
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return nil
	}
	var out []string
	for _, b := range blocks {
		out = append(out, renderBlock(b)...)
	}
	return out
}

func renderBlock(b block) []string {
	switch b.Type {
	case "header":
		if b.Text != nil {
			return []string{strings.ToUpper(Mrkdwn(b.Text.Text))}
		}
	case "section":
		var out []string
		if b.Text != nil {
			out = append(out, lines(Mrkdwn(b.Text.Text))...)
		}
		out = append(out, fieldLines(b.Fields)...)
		if b.Accessory != nil {
			out = append(out, renderElement(*b.Accessory))
		}
		return out
	case "context":
		var parts []string
		for _, e := range b.Elements {
			var t text
			if json.Unmarshal(e, &t) == nil && t.Text != "" {
				parts = append(parts, Mrkdwn(t.Text))
			}
		}
		var out []string
		for _, l := range lines(strings.Join(parts, "  ")) {
			out = append(out, "· "+l)
		}
		return out
	case "actions":
		var parts []string
		for _, raw := range b.Elements {
			var e element
			if json.Unmarshal(raw, &e) == nil {
				parts = append(parts, renderElement(e))
			}
		}
		return []string{strings.Join(parts, " ")}
	case "divider":
		return []string{"───"}
	case "input":
		label := ""
		if b.Label != nil {
			label = Mrkdwn(b.Label.Text) + ": "
		}
		if b.Element == nil {
			return []string{label}
		}
		return []string{label + renderElement(*b.Element)}
	}
	return nil
}

// fieldLines shows each field as "Label: value": lebot writes fields as
// "*Label*\nvalue".
func fieldLines(fields []text) []string {
	var out []string
	for _, f := range fields {
		label, value, ok := strings.Cut(f.Text, "\n")
		if !ok {
			out = append(out, Mrkdwn(f.Text))
			continue
		}
		label = strings.TrimSuffix(strings.TrimSpace(Mrkdwn(label)), ":")
		out = append(out, label+": "+strings.Join(lines(Mrkdwn(value)), " / "))
	}
	return out
}

// renderElement shows an interactive element as a control: [Button],
// [Select ▾], [date ▾], checkboxes as [ ] items ([x] when ticked, as
// the modal opens), text inputs as [___].
func renderElement(e element) string {
	label := func(t *text, or string) string {
		if t == nil || t.Text == "" {
			return or
		}
		return Mrkdwn(t.Text)
	}
	switch e.Type {
	case "button":
		return "[" + label(e.Text, "button") + "]"
	case "datepicker":
		return "[" + cmpOr(e.InitialDate, label(e.Placeholder, "date")) + " ▾]"
	case "checkboxes", "radio_buttons":
		chosen := map[string]bool{}
		for _, o := range e.InitialOptions {
			chosen[o.Value] = true
		}
		if e.InitialOption != nil {
			chosen[e.InitialOption.Value] = true
		}
		var opts []string
		for _, o := range e.Options {
			box := "[ ] "
			if chosen[o.Value] {
				box = "[x] "
			}
			opts = append(opts, box+Mrkdwn(o.Text.Text))
		}
		return strings.Join(opts, "  ")
	case "plain_text_input":
		return "[" + label(e.Placeholder, "___") + "]"
	}
	if strings.HasSuffix(e.Type, "_select") {
		return "[" + label(e.Placeholder, "choose") + " ▾]"
	}
	return "[" + e.Type + "]"
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l = strings.TrimRight(l, " "); l != "" && l != "```" {
			out = append(out, strings.TrimPrefix(strings.TrimSuffix(l, "```"), "```"))
		}
	}
	return out
}

var (
	// Slack's angle-bracket references: <@U1|name>, <#C1|name>,
	// <!here>, <!subteam^S1|@team>, <!date^…|fallback>, <url|label>.
	reference = regexp.MustCompile(`<([^<>]+)>`)
	bold      = regexp.MustCompile(`\*([^*\n]+)\*`)
	italic    = regexp.MustCompile(`(^|[\s(])_([^_\n]+)_($|[\s).,;:])`)
	strike    = regexp.MustCompile(`~([^~\n]+)~`)
)

// Mrkdwn turns Slack mrkdwn into plain terminal text: references become
// @user, #channel, @here or the link's label; emphasis marks and HTML
// escapes are removed.
func Mrkdwn(s string) string {
	s = reference.ReplaceAllStringFunc(s, func(m string) string { return refText(m[1 : len(m)-1]) })
	s = bold.ReplaceAllString(s, "$1")
	s = italic.ReplaceAllString(s, "$1$2$3")
	s = strike.ReplaceAllString(s, "$1")
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

func refText(ref string) string {
	target, label, hasLabel := strings.Cut(ref, "|")
	switch {
	case strings.HasPrefix(target, "@"):
		if hasLabel {
			return "@" + strings.TrimPrefix(label, "@")
		}
		return target
	case strings.HasPrefix(target, "#"):
		if hasLabel {
			return "#" + label
		}
		return target
	case strings.HasPrefix(target, "!subteam^"):
		if hasLabel {
			return label
		}
		return "@" + strings.TrimPrefix(target, "!subteam^")
	case strings.HasPrefix(target, "!date^"):
		return label
	case strings.HasPrefix(target, "!"):
		return "@" + strings.TrimPrefix(target, "!")
	case hasLabel:
		return fmt.Sprintf("%s (%s)", label, target)
	}
	return target
}
