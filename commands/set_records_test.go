package commands

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// TestSetRecords: the records requested are corrected from the keyboard;
// the particular-records item follows, and adding content to a
// subpoena makes content requested and fails the warrant item, all said
// in the thread, the audit and on the card. An outsider changes nothing.
func TestSetRecords(t *testing.T) {
	e := newEnv(t)
	f := subpoenaFacts()
	f.RecordsSought = nil
	req := e.create(t, f)
	mustContain(t, "card before", e.legal(t, member, "show "+req.ID), "*Records requested:* _not stated_", "❌ Records sought stated with particularity")
	e.drain(t)

	mustContain(t, "outsider", e.legal(t, outsider, "set "+req.ID+" records subscriber"), "only for the legal team")
	mustContain(t, "unknown", e.legal(t, member, "set "+req.ID+" records subscriber, tax returns"),
		"tax returns is not a kind of records I know: say subscriber, billing,")
	if got := e.get(t, req.ID); got.Version != req.Version || len(got.Facts.RecordsRequested()) != 0 {
		t.Fatalf("after refusals: version %d (was %d), records %v", got.Version, req.Version, got.Facts.RecordsRequested())
	}

	got := e.legal(t, member, "set "+req.ID+" records Subscriber information; CDRs, voicemail")
	mustContain(t, "reply", got, "Corrected on "+req.ID+": the records requested subscriber information, call detail records, voicemail messages; “content requested” yes.")
	r := e.get(t, req.ID)
	if want := []legal.Record{legal.RecordSubscriber, legal.RecordCallDetail, legal.RecordVoicemail}; !reflect.DeepEqual(r.Facts.Records, want) || !r.Facts.ContentRequested {
		t.Fatalf("records %v content %v", r.Facts.Records, r.Facts.ContentRequested)
	}
	if m := legal.Missing(r.Checklist()); !reflect.DeepEqual(m, []legal.ItemID{legal.ItemWarrantForContent}) {
		t.Fatalf("missing: got %v, want only the warrant for content", m)
	}
	a := e.audit(t, req.ID)
	if last := a[len(a)-1]; last.Before != "records requested: none; content requested: no" ||
		last.After != "records requested: subscriber information, call detail records, voicemail messages; content requested: yes" {
		t.Fatalf("audit: got %+v", last)
	}
	th := threads(t, e.drain(t))
	if len(th) != 1 || th[0].Text != "✏️ <@"+member+"> corrected the records requested: none → subscriber information, call detail records, voicemail messages; “content requested”: no → yes." {
		t.Fatalf("thread: got %+v", th)
	}
	mustContain(t, "card after", e.legal(t, member, "show "+req.ID),
		"*Records requested:* subscriber information, call detail records, voicemail messages ✏️ _corrected by <@"+member+">_",
		"Content requested without a warrant")

	e.legal(t, member2, "set "+req.ID+" records subscriber,call_detail")
	if r := e.get(t, req.ID); r.Facts.ContentRequested || len(legal.Missing(r.Checklist())) != 0 {
		t.Fatalf("content gone: content %v, missing %v", r.Facts.ContentRequested, legal.Missing(r.Checklist()))
	}
	show := e.legal(t, member, "show "+req.ID)
	if strings.Contains(show, "❌") {
		t.Fatalf("a failed item remains:\n%s", show)
	}
}

// TestEditRecords: the edit modal offers the records requested, shows
// the ones read, and saves a change of them like `/legal set`.
func TestEditRecords(t *testing.T) {
	e := newEnv(t)
	f := subpoenaFacts()
	f.SetRecords([]legal.Record{legal.RecordSubscriber})
	req := e.create(t, f)
	v := e.openEdit(t, member, req.ID)
	mustContain(t, "modal", string(v.JSON), `"block_id":"records"`, `"initial_options":[{"text":{"type":"plain_text","text":"subscriber information"`)
	s := untouched(t, v)
	s[blockRecords]["v"].(map[string]any)["selected_options"] = []map[string]any{{"value": "subscriber"}, {"value": "ip_logs"}}
	if ans, err := e.fake.Submit(member, v.ID, s); err != nil || !ans.Closed {
		t.Fatalf("answer %+v, %v; want the modal closed", ans, err)
	}
	r := e.get(t, req.ID)
	if want := []legal.Record{legal.RecordSubscriber, legal.RecordIPLogs}; !reflect.DeepEqual(r.Facts.Records, want) ||
		r.Corrections[legal.FieldRecords].By != member || len(r.Corrections) != 1 {
		t.Fatalf("records %v, corrections %+v", r.Facts.Records, r.Corrections)
	}

	// Records entered by hand in a person's words are offered as a hint,
	// and an unchanged submission keeps them.
	f.Records, f.RecordsSought = nil, []string{"all toll records"}
	hand := e.create(t, f)
	v = e.openEdit(t, member, hand.ID)
	mustContain(t, "hint", string(v.JSON), "As entered: all toll records. Choosing categories replaces this.")
	if ans, err := e.fake.Submit(member, v.ID, untouched(t, v)); err != nil || !ans.Closed {
		t.Fatalf("answer %+v, %v", ans, err)
	}
	if got := e.get(t, hand.ID); got.Version != hand.Version || !reflect.DeepEqual(got.Facts.RecordsSought, []string{"all toll records"}) {
		t.Fatalf("unchanged submission: version %d (was %d), records %v", got.Version, hand.Version, got.Facts.RecordsSought)
	}
}

// TestShowEvidence: `/legal show` quotes the letter for the period, the
// deadline and the NDO's end, and says where the letter gives another
// value; the quote of mail cannot mention anyone.
func TestShowEvidence(t *testing.T) {
	e := newEnv(t)
	f := subpoenaFacts()
	f.Evidence = map[string]legal.Evidence{
		legal.EvidencePeriod: {Quote: "records for January 2026 <@U0LEGAL2> <!here>", Part: "body",
			Note: "the letter also gives 2026-02-01 to 2026-02-28"},
	}
	req := e.create(t, f)
	got := e.legal(t, member, "show "+req.ID)
	mustContain(t, "show", got, "*What the letter says:*",
		"• *Period:* Jan 1 – Jan 31, 2026 — from “records for January 2026 &lt;@U0LEGAL2&gt; &lt;!here&gt;” (the message)",
		"⚠️ _The letter also gives Feb 1, 2026 to Feb 28, 2026_")
	e.legal(t, member, "set "+req.ID+" period 2026-01-01..2026-02-28")
	mustContain(t, "show after", e.legal(t, member, "show "+req.ID),
		"• *Period:* Jan 1 – Feb 28, 2026 ✏️ _corrected by <@"+member+">_; lebot had read it from “records for January 2026")
}

// TestSetFollows: what the facts decide follows a correction through the
// store's indexes the reminders walk: the NDO's end, the preservation's
// expiry; a checklist decision a person made stays.
func TestSetFollows(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	req := e.create(t, subpoenaFacts())
	indexed := func(ix store.Index, day legal.Date) bool {
		from := time.Date(day.Year, time.Month(day.Month), day.Day, 0, 0, 0, 0, time.UTC)
		got, err := e.st.Range(ctx, ix, from, from.Add(time.Millisecond), 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(got) == 1 && got[0].ID == req.ID
	}
	mustContain(t, "check", e.legal(t, member2, "check "+req.ID+" particular_records listed in the attached order"), "Recorded")

	mustContain(t, "ndo", e.legal(t, member, "set "+req.ID+" ndo until 2027-06-01"), "the NDO until Jun 1, 2027")
	until := legal.Date{Year: 2027, Month: 6, Day: 1}
	if !indexed(store.IndexNDO, until) {
		t.Fatal("the NDO's end is not in the index its reminder walks")
	}
	mustContain(t, "card with NDO", e.legal(t, member, "show "+req.ID), "Non-disclosure order: do NOT notify the customer* until Tue Jun 1, 2027")

	mustContain(t, "kinds", e.legal(t, member, "set "+req.ID+" kinds subpoena, preservation"), "the kinds Subpoena, Preservation")
	r := e.get(t, req.ID)
	if r.Preservation == nil || !indexed(store.IndexPreservation, r.Preservation.Expires) ||
		r.Preservation.Expires != e.cal.DateOf(r.ReceivedAt).AddDays(90) {
		t.Fatalf("preservation: %+v, want 90 days from receipt and indexed", r.Preservation)
	}
	mustContain(t, "records", e.legal(t, member, "set "+req.ID+" records none"), "the records requested none")
	if m := legal.Missing(e.get(t, req.ID).Checklist()); len(m) != 0 {
		t.Fatalf("missing: got %v, want the person's decision on particular_records kept", m)
	}

	e.legal(t, member, "set "+req.ID+" ndo none")
	e.legal(t, member, "set "+req.ID+" kinds subpoena")
	r = e.get(t, req.ID)
	if r.NDO.Active || indexed(store.IndexNDO, until) || r.Preservation != nil {
		t.Fatalf("after clearing: NDO %+v, preservation %+v", r.NDO, r.Preservation)
	}
	show := e.legal(t, member, "show "+req.ID)
	if strings.Contains(show, "Non-disclosure order") || strings.Contains(show, "preserved until") {
		t.Fatalf("the card still shows the NDO or the preservation:\n%s", show)
	}
}

// TestParseRecords: ids, the card's labels (some hold commas), other
// names; anything else is refused by name.
func TestParseRecords(t *testing.T) {
	for in, want := range map[string][]legal.Record{
		"subscriber,call_detail": {legal.RecordSubscriber, legal.RecordCallDetail},
		"Subscriber information, Dialing, routing, addressing and signaling information; account changes,\n devices and audit logs": {
			legal.RecordSubscriber, legal.RecordDialing, legal.RecordAccountChanges},
		"CDRs\ncell-site\nSMS/MMS content": {legal.RecordCallDetail, legal.RecordLocation, legal.RecordMessageContent},
		"none":                             nil,
	} {
		got, err := parseRecords(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("parseRecords(%q): got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"subscriber, routing", "<!channel>"} {
		if _, err := parseRecords(in); err == nil || strings.Contains(err.Error(), "<!") {
			t.Errorf("parseRecords(%q): got %v, want a refusal that escapes what was typed", in, err)
		}
	}
}

// TestCorrectionThreadEscapesMail: a value read from mail that is written
// like a mention does not notify anyone when the thread says what it was.
func TestCorrectionThreadEscapesMail(t *testing.T) {
	e := newEnv(t)
	f := subpoenaFacts()
	f.Agent.Name = "<@" + member2 + "> <!channel>"
	req := e.create(t, f)
	e.drain(t)
	got := e.legal(t, member, `set `+req.ID+` agent name Dana Reyes`)
	if strings.Contains(got, "<@"+member2+">") || strings.Contains(got, "<!channel>") {
		t.Fatalf("reply: %s", got)
	}
	th := threads(t, e.drain(t))
	if len(th) != 1 || !strings.Contains(th[0].Text, "the agent: &lt;@"+member2+"&gt; &lt;!channel&gt; · a@fbi.gov → Dana Reyes · a@fbi.gov") {
		t.Fatalf("thread: %+v", th)
	}
}
