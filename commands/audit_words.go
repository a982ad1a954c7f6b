package commands

import (
	"cmp"
	"regexp"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/reply"
	"github.com/lebot-dev/lebot/store"
)

// auditWords is one audit entry as a person reads it: who did what, in
// the words of the card (statuses, the checklist's items, dates in the
// team's zone, people as mentions), never the machine form the entry is
// stored in (outbox item ids, DM channel ids, message timestamps, item
// keys). ok is false for an entry that changed nothing (a value set to
// what it was, with no note): the history leaves it out.
func auditWords(e store.AuditEntry, loc *time.Location) (line string, ok bool) {
	if e.Before != "" && e.Before == e.After && e.Note == "" {
		return "", false
	}
	who := actorWords(e.Actor)
	note := ""
	if e.Note != "" {
		note = " — " + escape(valueWords(e.Action, e.Note))
	}
	switch e.Action {
	case "created":
		if userID.MatchString(e.Actor) {
			return who + " entered the request " + escape(strings.TrimPrefix(e.Note, "entered ")), true
		}
		return "lebot received the request " + bot.SourceWords(e.Actor), true
	case "card":
		return "lebot posted the card in the legal channel", true
	case "claim":
		return who + " claimed the request" + note, true
	case "assign":
		s := who + " assigned the request to " + orDash(e.After)
		if e.Before != "" {
			s += " (was " + orDash(e.Before) + ")"
		}
		return s + note, true
	case "checklist":
		if strings.Contains(e.After, "(automatic)") {
			return who + " cleared the team's decision; lebot's automatic result: " + checklistWords(e.After) + note, true
		}
		return who + " decided on the checklist: " + checklistWords(e.After) + note, true
	case "note":
		return who + " noted: " + escape(e.Note), true
	case "page_unanswered":
		return "lebot: " + escape(cmp.Or(e.Note, "nobody acknowledged: alerted the channel with @here")), true
	case "escalation_stopped":
		return "lebot stopped paging: " + escape(cmp.Or(e.Note, "acknowledged or finished")), true
	case "ack":
		return who + " acknowledged the emergency; paging stopped", true
	case "page":
		if userID.MatchString(e.Actor) {
			return who + " paged on-call by hand (escalation restarted)", true
		}
		// The escalator's step: whom it paged, at which level and round.
		s := "lebot paged " + mentions(e.After)
		if _, level, ok := strings.Cut(e.Note, ": paged "); ok {
			s += ", " + escape(level)
		}
		return s, true
	case bot.AuditPageDM:
		return "lebot paged " + orDash(e.After) + " by direct message", true
	case bot.AuditPageEmail:
		return "lebot e-mailed the page to " + mentions(e.After), true
	case bot.AuditPagerDuty:
		return "lebot paged through PagerDuty" + note, true
	case bot.AuditPageFailed:
		return "lebot could not page " + orDash(e.After) + note, true
	case "reply":
		return who + " asked lebot to send " + reply.Kind(e.After).Label() + note, true
	case bot.AuditReplySent:
		return who + " sent " + reply.Kind(e.After).Label() + note, true
	case bot.AuditReplyRefused:
		return "the mail server refused " + reply.Kind(e.After).Label() + note, true
	case "follow_up":
		return "lebot added a follow-up from the agency" + note, true
	case "correct":
		if changes, ok := correctionWords(e.Before, e.After); ok {
			return who + " corrected " + changes, true
		}
	}
	s := who + " " + actionWords(e.Action)
	switch {
	case e.Before != "" && e.After != "":
		s += ": was " + escape(valueWords(e.Action, e.Before)) + "; now " + escape(valueWords(e.Action, e.After))
	case e.After != "":
		s += ": " + escape(valueWords(e.Action, e.After))
	}
	return s + note, true
}

// correctionWords reads a correction's before and after ("period: none;
// kinds: Subpoena" and the same fields after) as "the period: none → Jan
// 1 – Mar 31, 2026; the kinds: …". Values come from mail, so they are
// escaped mentions included. ok is false when the two do not pair up.
func correctionWords(before, after string) (string, bool) {
	bs, as := strings.Split(before, "; "), strings.Split(after, "; ")
	if before == "" || len(bs) != len(as) {
		return "", false
	}
	parts := make([]string, len(bs))
	for i := range bs {
		bl, bv, ok1 := strings.Cut(bs[i], ": ")
		al, av, ok2 := strings.Cut(as[i], ": ")
		if !ok1 || !ok2 || bl != al {
			return "", false
		}
		parts[i] = "the " + escapeValue(bl) + ": " + escapeValue(bv) + " → " + escapeValue(av)
	}
	return strings.Join(parts, "; "), true
}

// actorWords is who made an audit entry: a mention for a person, lebot
// for lebot itself and its intake (smtp, http).
func actorWords(actor string) string {
	if userID.MatchString(actor) {
		return mention(actor)
	}
	return "lebot"
}

// actionWords names an action for the generic line.
func actionWords(action string) string {
	switch action {
	case "status":
		return "changed the status"
	case "due":
		return "set the response deadline"
	case "preserve":
		return "recorded a preservation"
	case "extend":
		return "extended the preservation"
	case "ndo":
		return "recorded a non-disclosure order"
	case "notice":
		return "recorded customer notice"
	case "outcome":
		return "recorded the outcome"
	case "verify":
		return "recorded a callback"
	case "cost":
		return "recorded a cost"
	case "ack":
		return "acknowledged the emergency"
	case "page":
		return "paged on-call"
	case "correct":
		return "corrected what lebot read"
	case "retention":
		return "deleted the raw message and identifiers"
	case "escalation_stopped":
		return "stopped paging"
	case "page_unanswered":
		return "alerted the channel (nobody acknowledged)"
	}
	return strings.ReplaceAll(action, "_", " ")
}

var (
	reISODay    = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	reStatusArr = regexp.MustCompile(`\b([a-z_]+) → ([a-z_]+)\b`)
)

// valueWords turns a stored audit value into words: statuses by their
// names, checklist items in the checklist's words, days in the card's
// style, user ids as mentions.
func valueWords(action, v string) string {
	switch {
	case userID.MatchString(v):
		return "<@" + v + ">"
	case action == "status":
		return legal.Status(v).Label()
	case action == "outcome":
		return legal.Disposition(v).Label()
	case action == "checklist":
		return checklistWords(v)
	}
	v = reStatusArr.ReplaceAllStringFunc(v, func(m string) string { // "status new → in_review"
		p := reStatusArr.FindStringSubmatch(m)
		if _, err := legal.ParseStatus(p[1]); err != nil {
			return m
		}
		return legal.Status(p[1]).Label() + " → " + legal.Status(p[2]).Label()
	})
	return reISODay.ReplaceAllStringFunc(v, func(s string) string {
		if d, err := legal.ParseDate(s); err == nil {
			return d.Long()
		}
		return s
	})
}

// checklistWords reads a stored checklist value, "time_period=passed,
// agent_contact=failed (automatic)", as "Specific time period: met;
// Agent named, with contact information: not met".
func checklistWords(v string) string {
	var out []string
	for part := range strings.SplitSeq(v, ",") {
		part = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(part), "(automatic)"))
		item, outcome, ok := strings.Cut(part, "=")
		if !ok {
			out = append(out, part)
			continue
		}
		out = append(out, legal.ItemWords(legal.ItemID(item), legal.Outcome(outcome)))
	}
	return strings.Join(out, "; ")
}

// mentions renders a comma-separated list of user and user group ids.
func mentions(v string) string {
	var out []string
	for u := range strings.SplitSeq(v, ",") {
		if u = strings.TrimSpace(u); reGroupID.MatchString(u) {
			out = append(out, "<!subteam^"+u+">")
			continue
		}
		out = append(out, orDash(u))
	}
	return strings.Join(out, ", ")
}

var reGroupID = regexp.MustCompile(`^S[A-Z0-9]+$`)
