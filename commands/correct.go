package commands

import (
	"fmt"
	"strings"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/internal/safetext"
	"github.com/lebot-dev/lebot/legal"
)

// correction is the change `/legal set` and the edit modal make: it
// applies set to a copy of the request's facts and lets legal.Correct
// make the rest follow. The outcome of the attempt that was stored is
// left in *out (change may call the function more than once).
func (c *Commands) correction(actor string, set setter, out *legal.Corrected) func(r *legal.Request) (edit, error) {
	return func(r *legal.Request) (edit, error) {
		to := r.Facts.Clone()
		set(&to)
		wasPaged := r.EscalationStep > 0
		res := r.Correct(to, actor, c.now(), c.cal)
		*out = res
		if len(res.Fields) == 0 {
			return edit{}, &errNoChange{r.ID + " already reads so; nothing changed."}
		}
		e := edit{action: "correct", note: "corrected " + fieldLabels(res.Fields),
			thread: correctionThread(actor, res, r), broadcast: res.PagingStarted || res.PagingStopped}
		var before, after []string
		for _, fd := range res.Fields {
			before = append(before, fd.Label()+": "+res.Before.Value(fd))
			after = append(after, fd.Label()+": "+r.Facts.Value(fd))
		}
		e.before, e.after = strings.Join(before, "; "), strings.Join(after, "; ")
		if res.PagingStopped && wasPaged {
			e.outbox = bot.StandDownItems(r.ID, true)
		}
		return e, nil
	}
}

// escapeValue escapes a fact's value for mrkdwn, mentions included: a
// value read from mail that looks like <@U…> must not notify anyone.
func escapeValue(s string) string {
	return mrkdwnEscaper.Replace(safetext.Clean(s))
}

func fieldLabels(fields []legal.Field) string {
	ls := make([]string, len(fields))
	for i, fd := range fields {
		ls[i] = fd.Label()
	}
	return strings.Join(ls, ", ")
}

// correctionThread is the thread's account: who corrected what, from what
// to what, and what followed.
func correctionThread(actor string, res legal.Corrected, r *legal.Request) string {
	var parts []string
	for _, fd := range res.Fields {
		parts = append(parts, fmt.Sprintf("%s: %s → %s", fd.Phrase(), escapeValue(res.Before.Value(fd)), escapeValue(r.Facts.Value(fd))))
	}
	s := "✏️ " + mention(actor) + " corrected " + strings.Join(parts, "; ") + "."
	return s + consequences(res, r)
}

// consequences are the sentences after a correction that say what
// followed from it, or did not.
func consequences(res legal.Corrected, r *legal.Request) string {
	var s string
	if res.PagingStarted {
		s += " 🚨 This is now an emergency: paging on-call."
	}
	if res.PagingStopped {
		s += " No longer an emergency: paging has stopped."
	}
	if res.DueKept {
		s += " The deadline " + mention(r.DueSetBy) + " set stays; change it with `/legal due`."
	}
	if res.PreservationKept {
		s += " The preservation the team recorded stays as it is."
	}
	if res.NDOKept {
		s += " The NDO the team recorded stays as it is; change it with `/legal ndo`."
	}
	return s
}

// correctionReply is what the person who corrected is told.
func correctionReply(r *legal.Request, res legal.Corrected) string {
	var parts []string
	for _, fd := range res.Fields {
		parts = append(parts, describeSet(fd, r.Facts))
	}
	return fmt.Sprintf("Corrected on %s: %s.%s", r.ID, strings.Join(parts, "; "), consequences(res, r))
}
