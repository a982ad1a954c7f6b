package triage

import (
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// mustDate parses an RFC 1123Z Date header for a test message.
func mustDate(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC1123Z, s)
	if err != nil {
		tb.Fatalf("date %q: %v", s, err)
	}
	return t
}

// extractLabel runs Extract and the checklist on a hand-built message and
// returns the result in label form.
func extractLabel(tb testing.TB, m *Message, official bool) *Label {
	tb.Helper()
	f := Extract(m, legal.Verification{Official: official}, ExtractOptions{
		AddBusinessDays: legal.NewCalendar(time.UTC).AddBusinessDays,
	})
	checklist := legal.Evaluate(f, nil)
	return labelOf(&Result{Facts: f, Checklist: checklist, Missing: legal.Missing(checklist)})
}

// TestExtract exercises each extraction rule with wording that differs
// from the development corpus. Each case names only the fields it is
// about, rendered as in the eval report.
func TestExtract(t *testing.T) {
	tests := []struct {
		name     string
		from     Address
		date     string
		subject  string
		body     string
		attach   string
		official bool
		want     map[string]string
	}{
		{
			name:     "state warrant for voicemail with a timed NDO and a supervisor's number",
			attach:   "Signature page.", // the process itself, so legal_process passes
			from:     Address{Name: "Det. Priya Raman", Email: "PRaman@sheriff.kingcounty.gov"},
			date:     "Thu, 05 Mar 2026 09:00:00 -0800",
			subject:  "Service of search warrant",
			official: true,
			body: `Hello,

Attached is a signed search warrant from the King County Superior Court. It directs Acme to provide stored voicemail audio and the text of SMS messages for line 206.555.0199 (acct# ZX-4411) between 1/15/2026 and 2/28/2026.

Kindly return the records within 7 days of receipt. The court has also signed a non-disclosure order under 18 U.S.C. 2705(b) that bars notice to the customer for 180 days.

Detective Priya Raman
Major Crimes Unit
Direct: 206-555-0147
Supervisor: Sgt. Ole Berg 206-555-0148`,
			want: map[string]string{
				"kinds":             "[search_warrant]",
				"content_requested": "true",
				"ndo":               "true",
				"ndo_until":         "2026-09-01",
				"agent":             "{Priya Raman, praman@sheriff.kingcounty.gov, +12065550147}",
				"identifiers":       "[+12065550199,ZX-4411]",
				"period":            "2026-01-15..2026-02-28",
				"deadline":          "2026-03-12",
				"missing":           "[]",
			},
		},
		{
			name:     "preservation extension while process is prepared; content only preserved",
			from:     Address{Name: "Lt. Marco Diaz", Email: "mdiaz@police.phoenix.gov"},
			date:     "Mon, 01 Jun 2026 14:10:00 -0700",
			subject:  "Second request - records retention",
			official: true,
			body: `Under 18 USC 2703(f) we previously asked you to retain records for number +1 (602) 555-0110. We are asking for a 90-day extension of that preservation while a grand jury subpoena is prepared.

Please keep everything from 03/01/2026 through 03/31/2026, including the content of all text messages and any call recordings.

Marco Diaz
Phoenix Police Department
Reach me on my cell, 602-555-0133.`,
			want: map[string]string{
				"kinds":                  "[preservation]",
				"preservation_extension": "true",
				"content_requested":      "false",
				"ndo":                    "false",
				"agent":                  "{Marco Diaz, mdiaz@police.phoenix.gov, +16025550133}",
				"identifiers":            "[+16025550110]",
				"period":                 "2026-03-01..2026-03-31",
				"deadline":               "null",
				"missing":                "[]",
			},
		},
		{
			name:     "emergency about a 15-year-old with a heading-style form",
			from:     Address{Name: "Officer Dana Cole", Email: "dcole@cityofmarlin.gov"},
			date:     "Sat, 14 Feb 2026 23:30:00 -0600",
			subject:  "EXIGENT REQUEST",
			official: true,
			body: `Exigent circumstances request under 18 U.S.C. 2702(c)(4).

Nature of the emergency:
A 15-year-old runaway told a friend she was meeting a man she met online and has not been seen since 8 p.m. We believe she may be hurt tonight.

Why normal process cannot be used:
Getting a warrant signed takes a day or more and she could be gone by morning.

Records: subscriber name, billing address and call logs for (254) 555-0177 for the past 3 days.
Please respond within 2 hours.

Officer Dana Cole, Marlin PD, cell (254) 555-0102`,
			want: map[string]string{
				"kinds":              "[emergency]",
				"exigent":            "true",
				"child_endangerment": "true",
				"agent":              "{Dana Cole, dcole@cityofmarlin.gov, +12545550102}",
				"identifiers":        "[+12545550177]",
				"period":             "2026-02-11..2026-02-14",
				"deadline":           "2026-02-15",
				"missing":            "[]",
			},
		},
		{
			name:     "emergency whose table leaves the urgency answer empty",
			from:     Address{Name: "Ramos, Luis", Email: "lramos@ci.fairview.tx.us"},
			date:     "Tue, 03 Mar 2026 01:15:00 -0600",
			subject:  "Emergency disclosure",
			official: true,
			body: `Emergency disclosure request
Officer | Luis Ramos
Phone | 972-555-0141
Target number | 972-555-0189
Describe the emergency | Caller threatened to shoot his roommate and has a rifle.
How will the information help, and why can normal process not be used? |
Records | subscriber and E911 address
Time period | last 2 days`,
			want: map[string]string{
				"kinds":       "[emergency]",
				"agent":       "{Luis Ramos, lramos@ci.fairview.tx.us, +19725550141}",
				"identifiers": "[+19725550189]",
				"period":      "2026-03-01..2026-03-03",
				"missing":     "[urgency_justification]",
			},
		},
		{
			name:    "a civil attorney's records request is unclassified",
			from:    Address{Name: "Paul Grant", Email: "pgrant@grantfamilylaw.com"},
			date:    "Wed, 11 Mar 2026 10:00:00 -0400",
			subject: "records request",
			body: `Hi, I represent Jane Roe in her divorce. Please send me the call history for my client's ex-husband's number (312) 555-0166 from March 1 to March 31, 2026. Thanks.

Paul Grant, Attorney at Law
(312) 555-0190`,
			want: map[string]string{
				"kinds":           "[unclassified]",
				"sender_official": "false",
				"agent":           "{Paul Grant, pgrant@grantfamilylaw.com, +13125550190}",
				"identifiers":     "[+13125550166]",
				"period":          "2026-03-01..2026-03-31",
				"missing":         "[legal_process,official_domain]",
			},
		},
		{
			name:     "pen/trap order with hyphens, a 60-day window and do not disconnect",
			attach:   "Signature page.", // the process itself, so legal_process passes
			from:     Address{Name: "Nguyen, Thi", Email: "thi.nguyen@usss.dhs.gov"},
			date:     "Thu, 02 Apr 2026 08:00:00 -0400",
			subject:  "Ex parte order",
			official: true,
			body: `Please find enclosed an ex parte order authorizing a pen register and trap-and-trace device on 404-555-0123 (subscriber account 55120987) for sixty days commencing April 2, 2026. Provider shall not disclose the existence of this order, see 18 U.S.C. 3123(d)(2). We request that you not disconnect or restrict the line during the order.

SA Thi Nguyen | 404-555-0108`,
			want: map[string]string{
				"kinds":         "[pen_trap]",
				"ndo":           "true",
				"ndo_until":     "null",
				"no_tos_action": "true",
				"agent":         "{Thi Nguyen, thi.nguyen@usss.dhs.gov, +14045550108}",
				"identifiers":   "[+14045550123,55120987]",
				"period":        "2026-04-02..2026-05-31",
				"missing":       "[]",
			},
		},
		{
			name:     "grand jury subpoena with return date, AUSA distractor and upper-case e-mail",
			from:     Address{Name: "Hall, Greg (BPD TFO)", Email: "Greg.Hall@fbi.gov"},
			date:     "Mon, 06 Apr 2026 12:00:00 -0400",
			subject:  "GJ subpoena",
			official: true,
			attach: `SUBPOENA TO PRODUCE DOCUMENTS BEFORE A GRAND JURY
Return date: 04/20/2026
Produce subscriber records for Subscriber ID 7730021 and the user J.DOE@EXAMPLE.NET for
January 2026 through 1/31/2026. Do not produce the contents of any communications.
AUSA Karen Liu
(617) 555-0100
Case agent: TFO Greg Hall, (617) 555-0104`,
			want: map[string]string{
				"kinds":             "[subpoena]",
				"content_requested": "false",
				"agent":             "{Greg Hall, greg.hall@fbi.gov, +16175550104}",
				"identifiers":       "[7730021,j.doe@example.net]",
				"deadline":          "2026-04-20",
			},
		},
		{
			name:     "a bare request not to tell the customer is no NDO",
			attach:   "Signature page.", // the process itself, so legal_process passes
			from:     Address{Name: "Kim Park", Email: "kpark@ag.state.nj.us"},
			date:     "Fri, 08 May 2026 09:00:00 -0400",
			subject:  "Court order for records",
			official: true,
			body: `The attached court order requires Acme to produce call detail records for 973-555-0155 for the last 60 days by Friday, May 22, 2026. We'd appreciate it if you did not tell the customer about this.

Investigator Kim Park, tel. 609-555-0199`,
			want: map[string]string{
				"kinds":    "[court_order]",
				"ndo":      "false",
				"agent":    "{Kim Park, kpark@ag.state.nj.us, +16095550199}",
				"period":   "2026-03-09..2026-05-08",
				"deadline": "2026-05-22",
				"missing":  "[]",
			},
		},
		{
			name:     "emergency mentions of warrants and orders that would take too long are not process",
			from:     Address{Name: "Sgt. Ana Ruiz", Email: "aruiz@sd.gov"},
			date:     "Sun, 10 May 2026 04:00:00 -0600",
			subject:  "Emergency disclosure request - hostage",
			official: true,
			body: `A man is holding his ex-wife hostage and has threatened to kill her. We cannot wait for a search warrant or court order; getting one would take hours we do not have. The subscriber records for 605-555-0131 will help us locate him.

Please send subscriber and cell site records from May 9, 2026 to the present. Do not suspend the account.

Sgt. Ana Ruiz, 605-555-0117`,
			want: map[string]string{
				"kinds":         "[emergency]",
				"no_tos_action": "true",
				"agent":         "{Ana Ruiz, aruiz@sd.gov, +16055550117}",
				"period":        "2026-05-09..2026-05-10",
				"deadline":      "null",
				"missing":       "[]",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &Message{From: tc.from, Date: mustDate(t, tc.date), Subject: tc.subject, Body: tc.body,
				To: []string{"legal@acme.example"}}
			if tc.attach != "" {
				m.Attachments = []Attachment{{Filename: "process.pdf", ContentType: "application/pdf", Text: tc.attach}}
			}
			got := extractLabel(t, m, tc.official)
			for field, want := range tc.want {
				if g := fieldValue(got, field); g != want {
					t.Errorf("%s: got %s, want %s", field, g, want)
				}
			}
		})
	}
}

func TestExtractEmptyMessageIsUnclassified(t *testing.T) {
	got := extractLabel(t, &Message{}, false)
	if k := fieldValue(got, "kinds"); k != "[unclassified]" {
		t.Errorf("kinds: got %s, want [unclassified]", k)
	}
	if !strings.Contains(fieldValue(got, "missing"), "legal_process") {
		t.Errorf("missing: got %s, want legal_process among them", fieldValue(got, "missing"))
	}
}
