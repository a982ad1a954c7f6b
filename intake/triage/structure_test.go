package triage

import (
	"strings"
	"testing"
)

// TestSplitQuoted: the sender's own text is told from the earlier
// messages quoted below it, whichever way a mail client marks them, and a
// quoted reply the provider itself wrote is known as such.
func TestSplitQuoted(t *testing.T) {
	body := "Please extend it.\n\nJo Ames\n\n-----Original Message-----\nFrom: Acme Legal <legal@acme.example>\n" +
		"Sent: Monday\nTo: Jo\nSubject: confirmed\n\nWe preserved it. Call (415) 555-0100.\n\n" +
		"From: Jo Ames <jo@fbi.gov>\nSent: Friday\nTo: legal@acme.example\nSubject: request\n\nPreserve 212-555-0199.\n\n" +
		"On Mon, 3 Aug 2026 at 09:00, Kim Roe <kim@dea.gov> wrote:\n> earlier words"
	m := &Message{Body: body, To: []string{"legal@acme.example"}}
	d := newDoc(m)
	var got []string
	for _, p := range d.parts {
		got = append(got, p.name+"/"+p.from+"/"+map[bool]string{true: "provider", false: "sender"}[p.provider])
	}
	want := "body//sender quoted/legal@acme.example/provider quoted/jo@fbi.gov/sender quoted/kim@dea.gov/sender"
	if strings.Join(got, " ") != want {
		t.Errorf("parts: got %s, want %s", strings.Join(got, " "), want)
	}
	if i := strings.Index(d.s, "(415) 555-0100"); !d.ignorable(i) {
		t.Error("the provider's own quoted number is read, want it skipped")
	}
	if i := strings.Index(d.s, "212-555-0199"); d.ignorable(i) {
		t.Error("the sender's quoted request is skipped, want it read")
	}
}

// TestStructure: headings and what they are about, contact blocks, and
// the unchecked boxes and unfilled placeholders that say nothing.
func TestStructure(t *testing.T) {
	body := "TARGET ACCOUNT:\n  Acme number (999) 555-0162\n\nRecords to be preserved:\n  1. Call detail records\n\n" +
		"[X] Subscriber name\n[ ] Stored content (voicemail)\n\nfor the period [DATE RANGE].\n\n" +
		"Sgt. Mara Quill\nState Police\nPhone: 999.555.0176\n"
	d := newDoc(&Message{Body: body})
	at := func(s string) int { return strings.Index(d.s, s) }
	for _, tt := range []struct {
		text string
		want secKind
	}{{"(999) 555-0162", secTarget}, {"Call detail records", secPreserve}} {
		if got := d.secAt(at(tt.text)); got != tt.want {
			t.Errorf("section of %q: got %d, want %d", tt.text, got, tt.want)
		}
	}
	if !d.isMasked(at("Stored content")) || d.isMasked(at("Subscriber name")) {
		t.Error("want the unchecked box masked and the checked one read")
	}
	if !d.placeholderIn(at("for the period"), len(d.s)) {
		t.Error("want [DATE RANGE] read as an unfilled placeholder")
	}
	b, ok := d.blockAt(at("999.555.0176"))
	if !ok || b.name != "Mara Quill" {
		t.Errorf("block of the phone: got %+v %v, want Mara Quill's signature", b, ok)
	}
}
