package bot

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lebot-dev/lebot/legal"
)

// TestEvidenceText: `/legal show` quotes the letter for the period, the
// deadline and the NDO's end, says where the quote stands and what else
// the letter gives (its dates in the card's style); mail's markup and
// hidden characters do not reach Slack; a corrected reading says who
// corrected it and what lebot had read.
func TestEvidenceText(t *testing.T) {
	req := subpoena(t)
	if got := EvidenceText(req); got != "" {
		t.Fatalf("no evidence: got %q, want nothing", got)
	}
	d := legal.Date{Year: 2026, Month: 12, Day: 18}
	until := legal.Date{Year: 2027, Month: 6, Day: 1}
	req.Facts.Deadline, req.Facts.NDO, req.Facts.NDOUntil = &d, true, &until
	req.Facts.Evidence = map[string]legal.Evidence{
		legal.EvidencePeriod: {Quote: "all records from January 1, 2026 through June 30, 2026 <!channel>", Part: "pdf:order.pdf",
			Note: "the letter also gives 2026-11-17 to 2026-12-01"},
		legal.EvidenceDeadline: {Quote: "Please\u202e respond by *December 18, 2026*\n`now`", Part: "subject",
			Note: "the letter also mentions 2027-01-05; the earliest is read"},
		legal.EvidenceNDOUntil: {Quote: "shall not disclose until June 1, 2027", Part: "quoted"},
		legal.EvidenceKinds:    {Quote: "GRAND JURY SUBPOENA", Part: "body"},
	}
	got := EvidenceText(req)
	for _, want := range []string{
		"*What the letter says:*",
		"• *Period:* Jan 1 – Jun 30, 2026 — from “all records from January 1, 2026 through June 30, 2026 &lt;!channel&gt;” (the attached PDF order.pdf)",
		"⚠️ _The letter also gives Nov 17, 2026 to Dec 1, 2026_",
		"• *Deadline:* Dec 18, 2026 — from “Please respond by *December 18, 2026* 'now'” (the subject line)",
		"⚠️ _The letter also mentions Jan 5, 2027; the earliest is read_",
		"• *NDO:* until Jun 1, 2027 — from “shall not disclose until June 1, 2027” (an earlier message quoted in it)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	for _, notWant := range []string{"GRAND JURY", "\u202e", "<!channel>", "2026-11-17"} {
		if strings.Contains(got, notWant) {
			t.Errorf("shows %q:\n%s", notWant, got)
		}
	}

	req.Corrections = map[legal.Field]legal.Correction{legal.FieldPeriod: {By: "U0ALICE", At: req.ReceivedAt}}
	if got := EvidenceText(req); !strings.Contains(got, "• *Period:* Jan 1 – Jun 30, 2026 ✏️ _corrected by <@U0ALICE>_; lebot had read it from “all records") {
		t.Errorf("corrected period:\n%s", got)
	}

	// A quote longer than evidence should be is cut whole-character.
	req.Facts.Evidence = map[string]legal.Evidence{legal.EvidencePeriod: {Quote: strings.Repeat("é&", 400), Part: "body"}}
	got = EvidenceText(req)
	q := got[strings.Index(got, "“")+len("“") : strings.Index(got, "”")]
	if !utf8.ValidString(got) || !strings.HasSuffix(q, "…") || utf8.RuneCountInString(strings.ReplaceAll(q, "&amp;", "&")) > legal.EvidenceMaxQuote {
		t.Errorf("long quote: %q", q)
	}
}

// TestRecordsRequestedShown: the card, the page DM and PagerDuty show the
// records the request seeks; a long list entered by hand stays within
// PagerDuty's 1024-character summary and keeps the request id.
func TestRecordsRequestedShown(t *testing.T) {
	cal := legal.NewCalendar(mustLoc(t))
	req := subpoena(t)
	now := req.ReceivedAt.Add(time.Hour)
	req.Facts.RecordsSought = nil
	if got := cardText(t, Card(req, now, cal)); !strings.Contains(got, "*Records requested:* _not stated_") {
		t.Errorf("card without records:\n%s", got)
	}
	req.Facts.SetRecords([]legal.Record{legal.RecordLocation, legal.RecordSubscriber})
	req.Corrections = map[legal.Field]legal.Correction{legal.FieldRecords: {By: "U0BOB", At: now}}
	if got := cardText(t, Card(req, now, cal)); !strings.Contains(got,
		"*Records requested:* subscriber information, cell-site and location records ✏️ _corrected by <@U0BOB>_") {
		t.Errorf("card:\n%s", got)
	}

	req.Facts.SetEmergency(true)
	pg := Page{Level: 1, Levels: 2, Round: 1, Rounds: 1, Next: "5m", Targets: []string{"U0ONCALL"}}
	if got := cardText(t, pageDM(req, pg, "https://x", now, cal)); !strings.Contains(got,
		"*Records requested:* subscriber information, cell-site and location records") {
		t.Errorf("page DM:\n%s", got)
	}
	ev := pdTrigger(req, pg, "https://x", now)
	if s := ev.Payload.Summary; !strings.HasPrefix(s, "EMERGENCY legal request "+req.ID+": ") ||
		!strings.Contains(s, " — records: subscriber information, cell-site and location records — level 1 of 2") {
		t.Errorf("PagerDuty summary: %q", s)
	}

	req.Facts.Records = nil
	req.Facts.RecordsSought = []string{strings.Repeat("every record of every kind <@U0X> ", 60)}
	ev = pdTrigger(req, pg, "https://x", now)
	if s := ev.Payload.Summary; utf8.RuneCountInString(s) > 1024 || !strings.Contains(s, req.ID) || !strings.Contains(s, "level 1 of 2") {
		t.Errorf("long records: summary of %d characters: %q", utf8.RuneCountInString(s), s)
	}
	dm := cardText(t, pageDM(req, pg, "https://x", now, cal))
	if strings.Contains(dm, "<@U0X>") || !strings.Contains(dm, "&lt;@U0X&gt;") {
		t.Errorf("page DM does not escape records entered by hand:\n%s", dm)
	}
}
