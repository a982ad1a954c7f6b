package triage

import (
	"strings"
	"testing"
	"time"
)

func TestFindForwarded(t *testing.T) {
	outer := time.Date(2026, 11, 17, 10, 3, 12, 0, time.FixedZone("", -7*3600))
	tests := []struct {
		name, subject, body string
		wantFrom            string // "" for no forward
		wantName            string
		wantDate            string // RFC 3339, "" for zero
	}{
		{
			name: "thunderbird", subject: "Fwd: Preservation",
			body:     "Please extend.\n\n-------- Forwarded Message --------\nSubject: Preservation\nDate: Mon, 24 Aug 2026 09:15:02 -0600\nFrom: Brett Kowalski <Brett.Kowalski@usss.dhs.gov>\nTo: legal@example.com\n\nOriginal text.",
			wantFrom: "Brett.Kowalski@usss.dhs.gov", wantName: "Brett Kowalski", wantDate: "2026-08-24T09:15:02-06:00",
		},
		{
			name: "gmail", subject: "Fwd: Records",
			body:     "FYI\n\n---------- Forwarded message ---------\nFrom: Dana Whitfield <dana.whitfield@isp.state.il.us>\nDate: Mon, Aug 24, 2026 at 9:15 AM\nSubject: Records\nTo: <legal@example.com>\n\nText.",
			wantFrom: "dana.whitfield@isp.state.il.us", wantName: "Dana Whitfield", wantDate: "2026-08-24T09:15:00-07:00",
		},
		{
			name: "outlook original message with Sent", subject: "FW: Order",
			body:     "See below.\n\n-----Original Message-----\nFrom: Okafor, Danielle (USACAN) [mailto:Danielle.Okafor@usdoj.gov]\nSent: Tuesday, October 6, 2026 10:14 AM\nTo: Legal\nSubject: Order\n\nText.",
			wantFrom: "Danielle.Okafor@usdoj.gov", wantDate: "2026-10-06T10:14:00-07:00",
		},
		{
			name: "outlook address in angle brackets", subject: "FW: Order",
			body:     "-----Original Message-----\nFrom: Danielle Okafor <Danielle.Okafor@usdoj.gov>\nSent: Tuesday, October 6, 2026 10:14 AM\n\nText.",
			wantFrom: "Danielle.Okafor@usdoj.gov", wantName: "Danielle Okafor", wantDate: "2026-10-06T10:14:00-07:00",
		},
		{
			name: "apple mail", subject: "Fwd: Warrant",
			body:     "Begin forwarded message:\n\n> From: Ren\u00e9e Dubois <rdubois@fbi.gov>\n> Subject: Warrant\n> Date: November 9, 2026 at 11:27:53 AM PST\n> To: legal@example.com\n\n> Text.",
			wantFrom: "rdubois@fbi.gov", wantName: "Ren\u00e9e Dubois", wantDate: "2026-11-09T11:27:53-08:00",
		},
		{
			name: "fwd subject without marker", subject: "Fwd: hello",
			body:     "Forwarding.\n\nFrom: Agent Smith <smith@dea.gov>\nDate: Wed, 21 Oct 2026 09:02:47 -0500\nSubject: hello\n\nText.",
			wantFrom: "smith@dea.gov", wantName: "Agent Smith", wantDate: "2026-10-21T09:02:47-05:00",
		},
		{name: "no forward", subject: "Subpoena", body: "From: the desk of the AUSA\nPlease produce records."},
		{name: "marker without header", subject: "Fwd: x", body: "---------- Forwarded message ---------\nJust text here.\n"},
		{name: "from line in plain letter", subject: "Order", body: "Dear Sir,\nFrom: January 1 to March 1, 2026 records are sought."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := findForwarded(tt.subject, tt.body, outer)
			if tt.wantFrom == "" {
				if f != nil {
					t.Fatalf("got %+v, want no forward", f)
				}
				return
			}
			if f == nil {
				t.Fatalf("got no forward, want from %s", tt.wantFrom)
			}
			if f.From.Email != tt.wantFrom || f.From.Name != tt.wantName {
				t.Errorf("From: got %+v, want %q <%s>", f.From, tt.wantName, tt.wantFrom)
			}
			got := ""
			if !f.Date.IsZero() {
				got = f.Date.Format(time.RFC3339)
			}
			if got != tt.wantDate {
				t.Errorf("Date: got %q, want %q", got, tt.wantDate)
			}
		})
	}
}

func TestParseForwardedKeepsText(t *testing.T) {
	m := mustParse(t, mustReadFixture(t, "forwarded-gmail.eml"))
	if m.Forwarded == nil || m.Forwarded.From.Email != "dana.whitfield@isp.state.il.us" {
		t.Fatalf("Forwarded: got %+v, want dana.whitfield@isp.state.il.us", m.Forwarded)
	}
	if m.From.Email != "brett.kowalski@usss.dhs.gov" {
		t.Errorf("From: got %s, want the forwarder", m.From.Email)
	}
	for _, s := range []string{"Please extend the preservation below.", "Please preserve account AC-61158."} {
		if !strings.Contains(m.Body, s) {
			t.Errorf("Body lacks %q", s)
		}
	}
}
