package commands

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/report"
)

func danaFacts(domain string, official bool) legal.Facts {
	f := subpoenaFacts()
	f.SenderDomain, f.SenderOfficial = domain, official
	f.Agent = legal.Agent{Name: "Dana Reyes", Email: "dana.reyes@" + domain, Phone: "+12025550199"}
	return f
}

func mustContain(t *testing.T, what, got string, want ...string) {
	t.Helper()
	got = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(got) // as Slack shows the blocks' JSON
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: missing %q in\n%s", what, w, got)
		}
	}
}

// TestVerifyCallback: a confirmed callback shows on the card and in the
// audit with the number and who called; the agent's next request says it
// is a known sender with a verified callback.
func TestVerifyCallback(t *testing.T) {
	e := newEnv(t)
	first := e.create(t, danaFacts("lapdonline.org", false))
	mustContain(t, "first card", e.legal(t, member, "show "+first.ID), "First request from lapdonline.org",
		"not an official domain: verify by callback")

	refusals := []struct{ text, want string }{
		{"verify %s 555-01 confirmed", "too few digits"},
		{"verify %s +1 202 555 0111 maybe", "Usage: `/legal verify ID PHONE confirmed|failed [note]`"},
		{"verify %s confirmed", "Usage:"},
		{"verify %s call-me confirmed", "not a telephone number"},
	}
	for _, r := range refusals {
		mustContain(t, r.text, e.legal(t, member, fmt.Sprintf(r.text, first.ID)), r.want)
	}
	mustContain(t, "outsider", e.legal(t, outsider, "verify "+first.ID+" +1 202 555 0111 confirmed"), "only for the legal team")
	if a := e.audit(t, first.ID); len(a) != 1 {
		t.Fatalf("after refusals: got %d audit entries, want only the creation", len(a))
	}

	got := e.legal(t, member, "verify "+shortID(first.ID)+" +1 (202) 555-0111 confirmed spoke to the watch commander")
	mustContain(t, "verify reply", got, "Recorded on "+first.ID+": callback to +1 202 555 0111, confirmed.")
	if strings.Contains(got, "number given in the request") {
		t.Errorf("verify reply warns of the mail's number, but another was called: %s", got)
	}
	r := e.get(t, first.ID)
	if c := r.LastCallback(); c == nil || c.Phone != "+12025550111" || c.By != member || c.Result != legal.CallbackConfirmed ||
		c.Note != "spoke to the watch commander" || r.Unverified() {
		t.Fatalf("stored callback: got %+v", r.Callbacks)
	}
	a := e.audit(t, first.ID)
	if last := a[len(a)-1]; last.Action != "verify" || last.Actor != member || last.After != "confirmed +12025550111" {
		t.Errorf("audit: got %+v, want verify by %s of +12025550111", last, member)
	}
	mustContain(t, "card", e.legal(t, member, "show "+first.ID), "✅ *Verified by callback* (+1 202 555 0111) by <@"+member+">, Mar 2",
		"not an official domain; verified by callback")

	second := e.create(t, danaFacts("lapdonline.org", false))
	mustContain(t, "second card", e.legal(t, member, "show "+second.ID),
		"1 earlier request from lapdonline.org; agent Dana Reyes verified by callback on Mar 2 at +1 202 555 0111 (by <@"+member+">, "+first.ID+")",
		"The number in this request (+1 202 555 0199) is not the one verified before")
	if !e.get(t, second.ID).Unverified() {
		t.Error("the second request is unverified until someone calls: a registry entry verifies nothing by itself")
	}
	mustContain(t, "list unverified", e.legal(t, member, "list unverified"), second.ID)
	if got := e.legal(t, member, "list unverified"); strings.Contains(got, first.ID) {
		t.Errorf("list unverified shows the verified %s: %s", first.ID, got)
	}

	// Calling the number the mail itself gave is recorded, with a warning.
	got = e.legal(t, member, "verify "+second.ID+" 202-555-0199 failed nobody there")
	mustContain(t, "mail's number", got, "callback to +1 202 555 0199, failed", "number given in the request itself")
	mustContain(t, "failed card", e.legal(t, member, "show "+second.ID), "❌ *Callback failed* (+1 202 555 0199) by <@"+member+">, Mar 2")

	// A look-alike of the verified domain is flagged on its card.
	spoof := e.create(t, danaFacts("lapdonline.com", false))
	mustContain(t, "look-alike card", e.legal(t, member, "show "+spoof.ID), "Look-alike of lapdonline.org")
}

func TestOutcomeAndCost(t *testing.T) {
	e := newEnv(t)
	sub := e.create(t, subpoenaFacts())
	mustContain(t, "outcome", e.legal(t, member, "outcome "+sub.ID+" no-data searched both systems"),
		"Recorded the outcome of "+sub.ID+": *No data* (status *Responded*)")
	r := e.get(t, sub.ID)
	if r.Disposition != legal.DispositionNoData || r.Status != legal.StatusResponded || r.RespondedAt.IsZero() {
		t.Fatalf("got %s %s responded %v, want no_data responded", r.Disposition, r.Status, r.RespondedAt)
	}
	if a := e.audit(t, sub.ID); a[len(a)-1].Action != "outcome" || a[len(a)-1].After != "no_data" {
		t.Errorf("audit: got %+v", a[len(a)-1])
	}
	mustContain(t, "again", e.legal(t, member, "outcome "+sub.ID+" no_data"), "already *No data*")
	mustContain(t, "bad outcome", e.legal(t, member, "outcome "+sub.ID+" lost"), "Unknown outcome `lost`")
	mustContain(t, "withdrawn", e.legal(t, member, "outcome "+sub.ID+" withdrawn"), "*Withdrawn* (status *Closed*)")
	mustContain(t, "card", e.legal(t, member, "show "+sub.ID), "📤 *Outcome:* Withdrawn")

	mustContain(t, "cost", e.legal(t, member, "cost "+sub.ID+" $1,250.50 archive retrieval"), "Recorded a reimbursable cost of $1,250.50 on "+sub.ID)
	mustContain(t, "cost 2", e.legal(t, member, "cost "+sub.ID+" 49.5"), "$49.50")
	if got := e.get(t, sub.ID).TotalCost(); got != 130000 {
		t.Errorf("total cost: got %d cents, want 130000", got)
	}
	mustContain(t, "bad amount", e.legal(t, member, "cost "+sub.ID+" lots"), "not an amount in dollars")

	emergency := e.create(t, legal.Facts{Kinds: []legal.Kind{legal.KindEmergency}, Exigent: true})
	mustContain(t, "emergency cost", e.legal(t, member, "cost "+emergency.ID+" 100"),
		"No reimbursement is sought for emergency or child-endangerment requests", emergency.ID+" is emergency: nothing was recorded")
	if a := e.audit(t, emergency.ID); len(a) != 1 || len(e.get(t, emergency.ID).Costs) != 0 {
		t.Errorf("emergency: got %d audit entries, want the creation only", len(a))
	}
	mustContain(t, "emergency card", e.legal(t, member, "show "+emergency.ID), "💲 No reimbursement (emergency)")
}

func TestAgencyCommand(t *testing.T) {
	e := newEnv(t)
	first := e.create(t, danaFacts("fbi.gov", true))
	e.create(t, danaFacts("fbi.gov", true))
	e.legal(t, member, "verify "+first.ID+" +1 202 555 0111 confirmed")

	got := e.legal(t, member, "agency FBI.gov")
	mustContain(t, "agency", got, "*fbi.gov* — Federal, United States (as its domain says)", "official government domain",
		"2 requests, first Mon Mar 2, 2026", "Dana Reyes (dana.reyes@fbi.gov) — 2 requests · ✅ verified by callback on Mon Mar 2, 2026 at +1 202 555 0111 by <@"+member+"> ("+first.ID+")",
		"Latest requests* (2 in all)", first.ID)
	mustContain(t, "set level", e.legal(t, member, "agency fbi.gov level state"), "fbi.gov now counts as State, United States")
	mustContain(t, "after set", e.legal(t, member, "agency fbi.gov"), "State, United States (as set by <@"+member+">)")
	mustContain(t, "set country", e.legal(t, member, "agency fbi.gov country gb"), "State, United Kingdom")
	mustContain(t, "auto", e.legal(t, member, "agency fbi.gov level auto"), "Federal, United Kingdom")
	mustContain(t, "bad level", e.legal(t, member, "agency fbi.gov level county"), "Unknown level `county`")
	mustContain(t, "unknown", e.legal(t, member, "agency nowhere.example"), "no request from nowhere.example yet")
	mustContain(t, "bad domain", e.legal(t, member, "agency not_a-domain!"), "is not a domain name")
	mustContain(t, "list", e.legal(t, member, "agency"), "fbi.gov — 2 requests")
	mustContain(t, "outsider", e.legal(t, outsider, "agency fbi.gov"), "only for the legal team")
}

// TestReportCommand: /legal report gives the counts report.Build gives
// (the same that `lebot report` prints).
func TestReportCommand(t *testing.T) {
	e := newEnv(t)
	for i := range 4 {
		r := e.create(t, danaFacts("fbi.gov", true))
		if i%2 == 0 {
			e.legal(t, member, "outcome "+r.ID+" produced")
		}
	}
	em := e.create(t, legal.Facts{Kinds: []legal.Kind{legal.KindEmergency}, Exigent: true, SenderDomain: "met.police.uk"})
	e.legal(t, member, "outcome "+em.ID+" produced")
	both := subpoenaFacts()
	both.Kinds = append(both.Kinds, legal.KindPreservation)
	e.create(t, both)

	got := e.legal(t, member, "report 2026H1")
	p, _ := report.Half("2026H1", e.cal.Location())
	rep, err := report.Build(context.Background(), e.st, p)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Received != 6 {
		t.Fatalf("report: got %d received, want 6", rep.Received)
	}
	mustContain(t, "report", got, "*Transparency report 2026H1* (Jan 1 – Jun 30, 2026, so far)", "*Requests received:* 6",
		"Subpoena 5", "Emergency disclosure 1", "Preservation 1", "1 did", "Data produced (in whole or in part) 3", "Pending 3",
		"Emergency requests 1 · Granted (data produced) 1", "Federal 5", "Foreign 1", "United Kingdom 1")
	for _, row := range rep.Rows {
		if row.Count > 0 && row.Group != "cost" && row.Group != "received" {
			mustContain(t, "report row", got, fmt.Sprintf("%s %d", report.Label(row), row.Count))
		}
	}
	mustContain(t, "bad half", e.legal(t, member, "report 2026H5"), "not a half-year")
	mustContain(t, "empty", e.legal(t, member, "report 2025"), "*Requests received:* 0")
}
