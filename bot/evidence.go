package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lebot-dev/lebot/internal/safetext"
	"github.com/lebot-dev/lebot/legal"
)

// The words of the letter lebot read the period, the deadline and the
// NDO's end from, for `/legal show`: a lawyer checks a reading at a
// glance, and sees where the letter gave another value too.

// evidenceFields are the readings quoted, in order.
var evidenceFields = []struct {
	key   string
	field legal.Field
	label string
}{
	{legal.EvidencePeriod, legal.FieldPeriod, "Period"},
	{legal.EvidenceDeadline, legal.FieldDeadline, "Deadline"},
	{legal.EvidenceNDOUntil, legal.FieldNDO, "NDO"},
}

// EvidenceText is what the letter says for each quoted reading, as
// mrkdwn; "" when lebot kept no quote. Quotes come from mail: hidden
// characters are removed and markup escaped.
func EvidenceText(req *legal.Request) string {
	var lines []string
	for _, ef := range evidenceFields {
		ev, ok := req.Facts.Evidence[ef.key]
		if !ok || strings.TrimSpace(ev.Quote) == "" {
			continue
		}
		line := "• *" + ef.label + ":* " + esc(req.Facts.Value(ef.field))
		if c, ok := req.Corrections[ef.field]; ok {
			line += " ✏️ _corrected by <@" + esc(c.By) + ">_; lebot had read it from "
		} else {
			line += " — from "
		}
		line += "“" + quoteText(ev.Quote) + "”"
		if where := partText(ev); where != "" {
			line += " (" + where + ")"
		}
		if note := noteText(ev.Note); note != "" {
			line += "\n    ⚠️ _" + capitalize(note) + "_"
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return ""
	}
	return truncate("*What the letter says:*\n"+strings.Join(lines, "\n"), maxSectionText)
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// quoteText is a quote on one line, at most legal.EvidenceMaxQuote
// characters, with nothing hidden and no markup of its own.
func quoteText(q string) string {
	q = strings.Join(strings.Fields(safetext.Clean(q)), " ")
	q = strings.NewReplacer("`", "'", "“", "\"", "”", "\"").Replace(q)
	return esc(truncate(q, legal.EvidenceMaxQuote))
}

// partText says where in the message a quote stands (legal.Evidence.Where;
// an attachment's name comes from mail).
func partText(ev legal.Evidence) string {
	if ev.Part == "" {
		return ""
	}
	return esc(truncate(strings.Join(strings.Fields(safetext.Clean(ev.Where())), " "), 100))
}

var reISODate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// noteText is the reader's note on a conflicting value, its dates in the
// card's style, escaped.
func noteText(note string) string {
	note = strings.TrimSpace(safetext.Clean(note))
	if note == "" {
		return ""
	}
	note = reISODate.ReplaceAllStringFunc(truncate(note, 200), func(s string) string {
		if d, err := legal.ParseDate(s); err == nil {
			return d.Label()
		}
		return s
	})
	return esc(note)
}
