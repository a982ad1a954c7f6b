package bot

import (
	"fmt"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// notRequestText is the card's first line for a message the reader judged
// not to be a request (an auto-reply, a question, an announcement…): it
// still gets a card, never dropped, and says so plainly, with the words
// the judgement rests on and how to correct it if it is a request after
// all. "" for a request.
func notRequestText(req *legal.Request) string {
	f := req.Facts
	if f.NotRequest == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString("ℹ️ *Probably not a request: " + esc(f.NotRequest) + "*")
	if e := f.Evidence[legal.EvidenceKinds]; e.Quote != "" {
		fmt.Fprintf(&b, "\nRead from %s: “%s”", esc(e.Where()), esc(truncate(e.Quote, 300)))
	}
	fmt.Fprintf(&b, "\nIf it is a request, say what kind with *Correct…* or `/legal set %s kinds subpoena` (or the kind it is).", req.ID)
	return b.String()
}

// checklistLine is the card's checklist, or why it is not judged: there
// is no checklist for a message that is probably not a request, nor for
// one whose kind is not known.
func checklistLine(req *legal.Request, results []legal.ItemResult) string {
	if len(results) > 0 {
		return checklistText(results)
	}
	if req.Facts.NotRequest != "" {
		return "*Checklist:* not judged: this is probably not a request"
	}
	return "*Checklist:* not judged: the kind of request is not known"
}
