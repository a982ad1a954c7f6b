package triage

import (
	"fmt"
	"testing"

	"github.com/lebot-dev/lebot/legal"
)

const followUpHead = "From: Det. Sam Ortiz <sam.ortiz@pd.springfield.gov>\r\nTo: legal@example.com\r\n" +
	"Subject: %s\r\nDate: Thu, 03 Dec 2026 10:00:00 -0800\r\nMessage-ID: <x@pd.springfield.gov>\r\n\r\n"

// quotedNotice is a deficiency notice quoted back with ">" and no
// attribution line: the guidelines' words in it are no answer.
const quotedNotice = "> We cannot process it yet, because it does not include the following:\r\n>\r\n" +
	"> - the nature of the emergency: a good-faith belief of a danger of death or serious physical injury\r\n" +
	"> - how the information would help avert the danger, and why normal disclosure would be too slow\r\n"

func TestReadFollowUp(t *testing.T) {
	tests := []struct {
		name, subject, body string
		emergency           bool
		danger, urgency     bool
	}{
		{"a bare acknowledgement quoting the notice", "Re: Emergency disclosure request [LE-2026-0001]",
			"Thanks, will get back to you.\r\n\r\n" + quotedNotice, true, false, false},
		{"the answers, in a reply that does not say emergency", "Re: your notice [LE-2026-0001]",
			"A 15-year-old girl was abducted at gunpoint this morning and her life is in danger. The records would help us " +
				"locate her, and a court order would take days we do not have: she may be killed before then.\r\n\r\n" + quotedNotice,
			true, true, true},
		{"the same answers to a request that is no emergency", "Re: your notice [LE-2026-0001]",
			"A 15-year-old girl was abducted at gunpoint this morning and her life is in danger.\r\n", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte(fmt.Sprintf(followUpHead, tt.subject) + tt.body)
			f, err := ReadFollowUp(raw, legal.Verification{}, Options{}, tt.emergency)
			if err != nil {
				t.Fatal(err)
			}
			if f.DangerDescribed != tt.danger || f.UrgencyJustified != tt.urgency {
				t.Errorf("danger %v urgency %v, want %v %v", f.DangerDescribed, f.UrgencyJustified, tt.danger, tt.urgency)
			}
		})
	}
}
