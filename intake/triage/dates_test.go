package triage

import (
	"testing"

	"github.com/lebot-dev/lebot/legal"
)

func TestParseDate(t *testing.T) {
	letter := legal.Date{Year: 2026, Month: 11, Day: 20}
	tests := []struct {
		in   string
		want string
	}{
		{"January 1, 2026", "2026-01-01"},
		{"Jan. 1st 2026", "2026-01-01"},
		{"Sept 30, 2026", "2026-09-30"},
		{"the 14th day of October, 2026", "2026-10-14"},
		{"3 March 2027", "2027-03-03"},
		{"2026-06-01", "2026-06-01"},
		{"08/01/2026", "2026-08-01"},
		{"8/1/26", "2026-08-01"},
		{"2026/06/01", "2026-06-01"},
		{"3rd of November 2026", "2026-11-03"},
		{"December 4", "2026-12-04"}, // no year: nearest the letter
		{"January 5", "2027-01-05"},  // ... which may be next year
		{"February 30, 2026", ""},
		{"13/01/2026", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, ok := parseDate(tc.in, letter)
			got := ""
			if ok {
				got = d.String()
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]int{"10": 10, "ten": 10, "ten (10)": 10, "fourteen (14)": 14, "sixty": 60, "many": 0} {
		t.Run(in, func(t *testing.T) {
			if got := parseNumber(in); got != want {
				t.Errorf("got %d, want %d", got, want)
			}
		})
	}
}

func TestPeriodAndDeadline(t *testing.T) {
	sent := mustDate(t, "Fri, 23 Oct 2026 19:47:33 -0700")
	tests := []struct {
		name         string
		text         string
		wantPeriod   string
		wantDeadline string
	}{
		{"month range with en dash", "records for September 1\u201330, 2026", "2026-09-01..2026-09-30", "null"},
		{"to the present", "from August 3, 2026 to the present", "2026-08-03..2026-10-23", "null"},
		{"through the date of this order", "from 2026-05-01 through the date of this Order", "2026-05-01..2026-10-23", "null"},
		{"last N months", "call logs for the past 2 months", "2026-08-23..2026-10-23", "null"},
		{"N days before a date", "the 30 days preceding October 1, 2026", "2026-09-01..2026-10-01", "null"},
		{"begin and terminate", "Interception may begin on November 1, 2026 and must end on November 30, 2026.", "2026-11-01..2026-11-30", "null"},
		{"NDO until is not a period", "You shall not disclose this order from October 23, 2026 until May 1, 2027.", "null", "null"},
		{"by next weekday", "Please reply by next Tuesday.", "null", "2026-10-27"},
		{"within calendar days", "Produce the records within 20 days of service.", "null", "2026-11-12"},
		{"within business days", "Respond within ten (10) business days.", "null", "2026-11-06"},
		{"within hours crosses midnight", "Respond within 6 hours.", "null", "2026-10-24"},
		{"close of business", "Provide the data no later than close of business on November 2, 2026.", "null", "2026-11-02"},
		{"execute on or before is not a deadline", "You are commanded to execute this warrant on or before November 3, 2026.", "null", "null"},
		{"terminate no later than is not a deadline", "The interception shall terminate no later than December 1, 2026.", "null", "null"},
		{"earliest of two deadlines", "Return date: November 9, 2026. Please send by November 5, 2026.", "null", "2026-11-05"},
		{"preservation length is not a period", "Please preserve for 90 days from October 23, 2026.", "null", "null"},
		{"dates joined by a bare dash", "records for 09/01/2026-09/30/2026", "2026-09-01..2026-09-30", "null"},
		{"day and month, the year once", "from 1 September to 30 September 2026", "2026-09-01..2026-09-30", "null"},
		{"columns laid out with spaces", "Number          From          To\n312-555-0100    08/01/2026    08/31/2026", "2026-08-01..2026-08-31", "null"},
		{"columns laid out with tabs", "Number\tStart\tEnd\n312-555-0100\t2026-08-01\t2026-08-31", "2026-08-01..2026-08-31", "null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDoc(&Message{Body: tc.text})
			l := &Label{Period: findPeriod(d, legal.DateOf(sent)),
				Deadline: findDeadline(d, sent, legal.NewCalendar(nil).AddBusinessDays)}
			if got := fieldValue(l, "period"); got != tc.wantPeriod {
				t.Errorf("period: got %s, want %s", got, tc.wantPeriod)
			}
			if got := fieldValue(l, "deadline"); got != tc.wantDeadline {
				t.Errorf("deadline: got %s, want %s", got, tc.wantDeadline)
			}
		})
	}
}
