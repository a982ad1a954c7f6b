package triage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/internal/safetext"
	"github.com/lebot-dev/lebot/legal"
)

// TestEvalPatterns triages testdata/patterns, requests written for the
// reading patterns a blind set of independently written requests showed
// missing (device and VoIP ids, numbers sharing a prefix with a slash,
// contact numbers that are not targets, nested HTML tables, replies that
// drop or correct a target, dotted dates both ways, named periods, NDO and
// pen/trap terms, status questions, read receipts, calendar invitations,
// "see attached" with nothing attached, forwards on behalf of the author,
// an officer out of the office who still asks for records),
// and expects every field right.
func TestEvalPatterns(t *testing.T) {
	rep, err := Eval(context.Background(), filepath.Join("testdata", "patterns"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cases < 18 {
		t.Fatalf("got %d cases, want at least 18", rep.Cases)
	}
	for _, m := range rep.Mismatches {
		t.Errorf("%s %s: got %s, want %s", m.File, m.Field, m.Got, m.Want)
	}
	for _, e := range rep.Errors {
		t.Error(e)
	}
}

// TestExtractPatternRules tests the same patterns in other words than the
// testdata/patterns requests, so a rule that fits one wording fails here.
func TestExtractPatternRules(t *testing.T) {
	tests := []struct {
		name string
		from Address
		date string
		body string
		want map[string]string
	}{
		{
			name: "an IMEI and a login name in running text; a slash pair of two digits",
			from: Address{Name: "Ruth Adair", Email: "radair@kbi.ks.gov"},
			date: "Tue, 03 Nov 2026 10:00:00 -0600",
			body: `YOU ARE COMMANDED by the attached subpoena to produce subscriber information and call detail records for the handset with IMEI 490154203237518, the Voxline login name r.tanner_22, and lines 785-555-0140/41 from 09/01/2026 to 09/30/2026.

Ruth Adair, Special Agent
Desk 785-555-0102 / cell 785-555-0103`,
			want: map[string]string{
				"identifiers": "[490154203237518,r.tanner_22,+17855550140,+17855550141]",
				"agent":       "{Ruth Adair, radair@kbi.ks.gov, +17855550102}",
			},
		},
		{
			name: "a dropped number in a reply, said as 'no longer a target'",
			from: Address{Name: "Jo Park", Email: "jpark@nypd.nyc.gov"},
			date: "Wed, 04 Nov 2026 10:00:00 -0500",
			body: `Please preserve subscriber information and call detail records for 718-555-0150 from October 1, 2026 to October 31, 2026. 718-555-0151 is no longer a target; the earlier request for it is withdrawn.

Jo Park, Detective, 718-555-0199`,
			want: map[string]string{
				"identifiers": "[+17185550150]",
			},
		},
		{
			name: "day-first dotted dates decided by a date valid only that way",
			from: Address{Name: "Lu Chen", Email: "lchen@sheriff.co.kern.ca.us"},
			date: "Thu, 05 Nov 2026 10:00:00 -0800",
			body: `Attached is a search warrant for the call detail records of 661-555-0170 covering 04.09.2026 to 25.10.2026.

Lu Chen, Deputy, 661-555-0101`,
			want: map[string]string{
				"period": "2026-09-04..2026-10-25",
			},
		},
		{
			name: "the year named as 'CY 2024'",
			from: Address{Name: "Ana Ruiz", Email: "aruiz@oig.dol.gov"},
			date: "Thu, 05 Nov 2026 10:00:00 -0500",
			body: `This subpoena is served on Voxline. YOU ARE REQUIRED to produce billing records for account 7730-2291 for CY 2024.

Ana Ruiz, Special Agent, 202-555-0160`,
			want: map[string]string{
				"period": "2024-01-01..2024-12-31",
			},
		},
		{
			name: "the year named as 'the 2025 calendar year'",
			from: Address{Name: "Ana Ruiz", Email: "aruiz@oig.dol.gov"},
			date: "Thu, 05 Nov 2026 10:00:00 -0500",
			body: `This subpoena is served on Voxline. YOU ARE REQUIRED to produce call detail records for account 7730-2291 for the 2025 calendar year.

Ana Ruiz, Special Agent, 202-555-0160`,
			want: map[string]string{
				"period": "2025-01-01..2025-12-31",
			},
		},
		{
			name: "'since 11:30 pm yesterday' in an emergency",
			from: Address{Name: "Max Hall", Email: "mhall@chp.ca.gov"},
			date: "Fri, 06 Nov 2026 02:10:00 -0800",
			body: `Emergency request: a man threatening to kill his wife is calling from 916-555-0123, and she is in imminent danger. There is no time for legal process. We need call detail records for that number since 11:30 pm yesterday.

Max Hall, Officer, desk 916-555-0111`,
			want: map[string]string{
				"period": "2026-11-05..2026-11-06",
			},
		},
		{
			name: "a pen/trap window counted from installation on a date the cover gives",
			from: Address{Name: "Eli Ford", Email: "eford@atf.gov"},
			date: "Mon, 09 Nov 2026 10:00:00 -0500",
			body: `The order below is served today. We ask that installation be completed on November 11, 2026.

IT IS ORDERED that a pen register and trap and trace device be installed on 617-555-0130 for a period of thirty (30) days from the date of installation.

Eli Ford, Special Agent, office 617-555-0109`,
			want: map[string]string{
				"kinds":  "[pen_trap]",
				"period": "2026-11-11..2026-12-11",
			},
		},
		{
			name: "an NDO of ninety days beginning on the order's date",
			from: Address{Name: "Ida Moss", Email: "imoss@usdoj.gov"},
			date: "Tue, 10 Nov 2026 10:00:00 -0500",
			body: `ORDER

IT IS ORDERED under 18 U.S.C. 2703(d) that Voxline disclose subscriber records for account VX-4410 for June 2026.
IT IS FURTHER ORDERED under 18 U.S.C. 2705(b) that Voxline not disclose this Order for ninety (90) days beginning on the date of this Order.

Dated: November 2, 2026

Ida Moss, Assistant United States Attorney, 617-555-0148`,
			want: map[string]string{
				"ndo_until": "2027-01-30",
			},
		},
		{
			name: "a follow-up asking when the records will come",
			from: Address{Name: "Ben Aldo", Email: "baldo@dallaspolice.gov"},
			date: "Tue, 10 Nov 2026 10:00:00 -0600",
			body: `Following up on the subpoena we sent for 214-555-0182 on October 20. Has it been processed yet? When can we expect the subscriber records?

Ben Aldo, Detective, 214-555-0100`,
			want: map[string]string{
				"kinds":       "[]",
				"identifiers": "[]",
				"missing":     "[]",
				"agent":       "{, , }",
			},
		},
		{
			name: "'enclosed please find' a warrant that is not enclosed",
			from: Address{Name: "Kai Lund", Email: "klund@wsp.wa.gov"},
			date: "Wed, 11 Nov 2026 10:00:00 -0800",
			body: `Enclosed please find a search warrant for the stored voicemail of 206-555-0177 from August 1, 2026 to August 31, 2026.

Kai Lund, Trooper, 206-555-0105`,
			want: map[string]string{
				"kinds":   "[search_warrant]",
				"missing": "[legal_process]",
			},
		},
		{
			name: "a number replaced by another ('in place of'; 'was mistyped')",
			from: Address{Name: "Rita Fox", Email: "rfox@nj.usms.doj.gov"},
			date: "Thu, 12 Nov 2026 10:00:00 -0500",
			body: `Please preserve call detail records for 973-555-0131 in place of 973-555-0113 from October 1, 2026 to November 1, 2026. The account VX-88410 in my first letter is right; 973-555-0119 was mistyped there too.

Rita Fox, Deputy U.S. Marshal, office 973-555-0100`,
			want: map[string]string{
				"identifiers": "[+19735550131,VX-88410]",
			},
		},
		{
			name: "an officer away from the office asks for cell-site records of a number",
			from: Address{Name: "Omar Reyes", Email: "omar.reyes.pd@yahoo.com"},
			date: "Thu, 12 Nov 2026 10:00:00 -0800",
			body: `I'm away from the office this week, so I'm writing from my own account. We have a signed search warrant for the cell-site location records of 951-555-0188 from November 1, 2026 to November 10, 2026. Please send them by November 20, 2026.

Omar Reyes, Detective, 951-555-0109`,
			want: map[string]string{
				"kinds":       "[search_warrant]",
				"identifiers": "[+19515550188]",
				"agent":       "{Omar Reyes, omar.reyes.pd@yahoo.com, +19515550109}",
				"deadline":    "2026-11-20",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &Message{From: tc.from, Date: mustDate(t, tc.date), Subject: "request", Body: tc.body,
				To: []string{"legal@voxline.example"}}
			got := extractLabel(t, m, true)
			for field, want := range tc.want {
				if g := fieldValue(got, field); g != want {
					t.Errorf("%s: got %s, want %s", field, g, want)
				}
			}
		})
	}
}

// TestNoticesAreNotRequests: a read receipt and a calendar invitation are
// known by their MIME parts, whatever their text names.
func TestNoticesAreNotRequests(t *testing.T) {
	for _, tc := range []struct {
		name string
		atts []Attachment
		want string
	}{
		{"read receipt", []Attachment{{ContentType: "message/disposition-notification"}}, "a read receipt"},
		{"invitation", []Attachment{{ContentType: "text/calendar"}}, "a calendar invitation"},
		{"ics file with a logo", []Attachment{{Filename: "meeting.ICS", ContentType: "application/octet-stream"}, {ContentType: "image/png", Size: 900}}, "a calendar invitation"},
		{"invitation with the warrant attached", []Attachment{{ContentType: "text/calendar"}, {Filename: "warrant.pdf", ContentType: "application/pdf"}}, ""},
		{"a letter", []Attachment{{Filename: "order.pdf", ContentType: "application/pdf"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := notice(&Message{Attachments: tc.atts}); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestIsAccountWord: the fast test agrees with the accountWords map for
// every word in it, so a word added there is not silently skipped.
func TestIsAccountWord(t *testing.T) {
	for w := range accountWords {
		if !isAccountWord(w) {
			t.Errorf("isAccountWord(%q) = false; the fast test must cover every accountWords entry", w)
		}
	}
	for _, w := range []string{"the", "number", "records", "x"} {
		if isAccountWord(w) {
			t.Errorf("isAccountWord(%q) = true, want false", w)
		}
	}
}

// TestPlainASCIIAgreesWithStrip: the ASCII fast path of parser.clean is
// taken only where safetext.Strip would change nothing.
func TestPlainASCIIAgreesWithStrip(t *testing.T) {
	for c := 0; c < 0x80; c++ {
		s := "a" + string(rune(c)) + "b"
		_, n := safetext.Strip(s)
		if plainASCII(s) && n != 0 {
			t.Errorf("byte %#x: plainASCII true, but Strip removes it", c)
		}
		if !plainASCII(s) && n == 0 && c != 0x7f {
			t.Logf("byte %#x: takes the slow path though Strip keeps it", c)
		}
	}
	if plainASCII("caf\u00e9") || plainASCII("a\u200bb") {
		t.Error("non-ASCII text must take Strip's path")
	}
}

// TestOpenConnector: the allocation-free reading of the words after a
// start date agrees with reading them through gapWords.
func TestOpenConnector(t *testing.T) {
	ref := func(seg string) string {
		t := strings.Join(gapWords(seg), " ")
		for _, c := range []string{"to and including", "through and including", "to", "through", "thru", "until", "-", "and"} {
			if strings.HasPrefix(t, c+" ") {
				return c
			}
		}
		return ""
	}
	for _, seg := range []string{" to the present", " at 11:59 p.m. est through and including may 2", " - 10/15/2026", " to and including", " to and including today",
		" and the present", " until further", " thru", "  through\nthe date", ", 00:00 utc to now", " today to x", " throughout the year", " -present", ""} {
		if got, want := openConnector(seg), ref(seg); got != want {
			t.Errorf("openConnector(%q) = %q, want %q", seg, got, want)
		}
	}
}

// TestAutoReplyMarks: a header that marks an automatic reply makes one
// whatever the body says; without it, the body's "out of the office" is
// an automatic reply only when nothing is asked.
func TestAutoReplyMarks(t *testing.T) {
	body := "Thank you for your message. I am out of the office until December 1 with limited access to e-mail.\n\nRecords produced for 312-555-0140 are attached to your earlier e-mail."
	for _, tc := range []struct {
		name   string
		auto   bool
		body   string
		notReq bool
	}{
		{"marked by its header", true, body, true},
		{"unmarked, nothing asked", false, "I am out of the office until December 1 with limited access to e-mail.", true},
		{"unmarked, a demand", false, "I am out of the office until December 1. A judge signed a court order for the call detail records of 312-555-0140 from November 1, 2026 to November 20, 2026; please send them by November 30, 2026.", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &Message{From: Address{Name: "Al Cho", Email: "acho@chicagopolice.org"}, Date: mustDate(t, "Mon, 23 Nov 2026 09:00:00 -0600"),
				Subject: "RE: records", Body: tc.body, To: []string{"legal@voxline.example"}, AutoReply: tc.auto}
			f := Extract(m, legal.Verification{}, ExtractOptions{})
			if got := f.NotRequest != ""; got != tc.notReq {
				t.Errorf("not a request: got %q, want %v", f.NotRequest, tc.notReq)
			}
		})
	}
}

// TestParseAutoReplyHeader: only a header that marks a reply marks one; a
// portal's "auto-generated" notice is not an automatic reply.
func TestParseAutoReplyHeader(t *testing.T) {
	for hdr, want := range map[string]bool{
		"Auto-Submitted: auto-replied\r\n":   true,
		"Auto-Submitted: auto-generated\r\n": false,
		"Auto-Submitted: no\r\n":             false,
		"X-Autoreply: yes\r\n":               true,
		"Precedence: auto_reply\r\n":         true,
		"Precedence: bulk\r\n":               false,
		"":                                   false,
	} {
		raw := "From: a@b.gov\r\nTo: legal@voxline.example\r\nSubject: x\r\n" + hdr + "\r\nbody\r\n"
		m, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if m.AutoReply != want {
			t.Errorf("%q: AutoReply %v, want %v", hdr, m.AutoReply, want)
		}
	}
}

// TestDemandOutweighsNoticeSigns: an invitation or a mailing-list footer
// does not hide a demand for a target's records.
func TestDemandOutweighsNoticeSigns(t *testing.T) {
	date := mustDate(t, "Tue, 24 Nov 2026 09:00:00 -0500")
	demand := "Please provide subscriber records and call detail records for 404-555-0121 from October 1, 2026 to October 31, 2026 under the attached grand jury subpoena.\n\nLena Ruiz, Special Agent, 404-555-0100"
	for _, tc := range []struct {
		name string
		body string
		atts []Attachment
		req  bool
	}{
		{"invitation with a demand", demand, []Attachment{{ContentType: "text/calendar"}}, true},
		{"invitation, no demand", "Let's talk about the warrant for 404-555-0121 on Monday.", []Attachment{{ContentType: "text/calendar"}}, false},
		{"a demand with a list footer", demand + "\n\nTo unsubscribe from this list, reply STOP.", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &Message{From: Address{Name: "Lena Ruiz", Email: "lruiz@usss.dhs.gov"}, Date: date, Subject: "records",
				Body: tc.body, To: []string{"legal@voxline.example"}, Attachments: tc.atts}
			f := Extract(m, legal.Verification{Official: true}, ExtractOptions{})
			if got := f.NotRequest == ""; got != tc.req {
				t.Errorf("a request: got %v (not a request: %q), want %v", got, f.NotRequest, tc.req)
			}
		})
	}
}
