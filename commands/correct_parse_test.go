package commands

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/legal"
)

// TestParseCorrection reads every field's values as `/legal set` gets
// them, malformed ones included: a value applied to a request's facts
// changes what it should and nothing else; a bad one says what is wrong.
func TestParseCorrection(t *testing.T) {
	d := func(s string) *legal.Date {
		v, err := legal.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	start := func() legal.Facts {
		return legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}, Identifiers: []string{"+14155550100"},
			Agent: legal.Agent{Name: "A. Agent", Email: "a@fbi.gov", Phone: "+14155550199"}}
	}
	tests := []struct {
		field, value string
		want         func(f *legal.Facts) // the expected change to start(); nil when an error is wanted
		wantErr      string
	}{
		{"kinds", "subpoena,preservation", func(f *legal.Facts) { f.Kinds = []legal.Kind{legal.KindSubpoena, legal.KindPreservation} }, ""},
		{"kind", "court order", func(f *legal.Facts) { f.Kinds = []legal.Kind{legal.KindCourtOrder} }, ""},
		{"kinds", "warrant, emergency", func(f *legal.Facts) {
			f.Kinds, f.Exigent = []legal.Kind{legal.KindSearchWarrant, legal.KindEmergency}, true
		}, ""},
		{"kinds", "none", func(f *legal.Facts) { f.Kinds = nil }, ""},
		{"kinds", "subpoena,subpena", nil, "subpena is not a kind of request"},
		{"identifiers", "+12025550150,AC-99120", func(f *legal.Facts) { f.Identifiers = []string{"+12025550150", "AC-99120"} }, ""},
		{"targets", "(202) 555-0150; Target@Example.com", func(f *legal.Facts) { f.Identifiers = []string{"+12025550150", "target@example.com"} }, ""},
		{"identifiers", "+1 202 555 0150, AC-1 AC-2, AC-1", func(f *legal.Facts) { f.Identifiers = []string{"+12025550150", "AC-1", "AC-2"} }, ""},
		{"identifiers", "none", func(f *legal.Facts) { f.Identifiers = nil }, ""},
		{"identifiers", "+12025550150,+1202555", nil, "+1202555 is not a phone number"},
		{"identifiers", "someone@", nil, "someone@ is not an e-mail address"},
		{"identifiers", "AC-1,<@U1>", nil, "<@U1> is not an e-mail address"},
		{"identifiers", "AC-1,AC\u200b2", nil, "is not an identifier: use a phone number"},
		{"identifiers", strings.Repeat("x", 65), nil, "too long for an account identifier"},
		{"period", "2026-01-01..2026-03-31", func(f *legal.Facts) { f.Period = &legal.Period{Start: *d("2026-01-01"), End: *d("2026-03-31")} }, ""},
		{"period", "2026-01-01 to 2026-03-31", func(f *legal.Facts) { f.Period = &legal.Period{Start: *d("2026-01-01"), End: *d("2026-03-31")} }, ""},
		{"period", "none", func(f *legal.Facts) { f.Period = nil }, ""},
		{"period", "2026-02-30..2026-03-31", nil, "2026-02-30 is not a date"},
		{"period", "2026-03-31..2026-01-01", nil, "The end is before the start"},
		{"period", "2026-01-01", nil, "START..END"},
		{"deadline", "2026-12-18", func(f *legal.Facts) { f.Deadline = d("2026-12-18") }, ""},
		{"deadline", "none", func(f *legal.Facts) { f.Deadline = nil }, ""},
		{"deadline", "12/18/2026", nil, "12/18/2026 is not a date"},
		{"agent", `"Dana Reyes" dana.reyes@fbi.gov +12025550111`, func(f *legal.Facts) {
			f.Agent = legal.Agent{Name: "Dana Reyes", Email: "dana.reyes@fbi.gov", Phone: "+12025550111"}
		}, ""},
		{"agent", `“Dana Reyes” +1 202 555 0111`, func(f *legal.Facts) { f.Agent = legal.Agent{Name: "Dana Reyes", Phone: "+12025550111"} }, ""},
		{"agent", `phone (202) 555-0111`, func(f *legal.Facts) { f.Agent.Phone = "+12025550111" }, ""},
		{"agent", `email Dana.Reyes@FBI.gov`, func(f *legal.Facts) { f.Agent.Email = "dana.reyes@fbi.gov" }, ""},
		{"agent", `name Dana Reyes`, func(f *legal.Facts) { f.Agent.Name = "Dana Reyes" }, ""},
		{"agent", "none", func(f *legal.Facts) { f.Agent = legal.Agent{} }, ""},
		{"agent", "phone none", func(f *legal.Facts) { f.Agent.Phone = "" }, ""},
		{"agent", "phone", nil, "Give the agent's phone"},
		{"agent", "email nobody", nil, "nobody is not an e-mail address"},
		{"agent", `Dana Reyes +1202555`, nil, "+1202555 is not a phone number"},
		{"agent", `"Dana Reyes dana@fbi.gov`, nil, "quote is not closed"},
		{"agent", `Dana a@fbi.gov b@fbi.gov`, nil, "one e-mail address"},
		{"ndo", "until 2027-06-01", func(f *legal.Facts) { f.NDO, f.NDOUntil = true, d("2027-06-01") }, ""},
		{"ndo", "2027-06-01", func(f *legal.Facts) { f.NDO, f.NDOUntil = true, d("2027-06-01") }, ""},
		{"ndo", "indefinite", func(f *legal.Facts) { f.NDO = true }, ""},
		{"ndo", "none", func(f *legal.Facts) {}, ""},
		{"ndo", "until 2027-13-01", nil, "2027-13-01 is not a date"},
		{"ndo", "maybe", nil, "`until YYYY-MM-DD`"},
		{"no-tos-action", "yes", func(f *legal.Facts) { f.NoToSAction = true }, ""},
		{"content", "yes", func(f *legal.Facts) { f.ContentRequested = true }, ""},
		{"child", "true", func(f *legal.Facts) { f.ChildEndangerment = true }, ""},
		{"emergency", "yes", func(f *legal.Facts) { f.Kinds, f.Exigent = append(f.Kinds, legal.KindEmergency), true }, ""},
		{"emergency", "perhaps", nil, "Say `yes` or `no`"},
		{"period", "", nil, "Give a value for the period"},
	}
	for _, tt := range tests {
		t.Run(tt.field+" "+tt.value, func(t *testing.T) {
			fd, err := parseField(tt.field)
			if err != nil {
				t.Fatalf("parseField(%q): %v", tt.field, err)
			}
			set, err := parseCorrection(fd, tt.value)
			if tt.wantErr != "" {
				var ue *userError
				if err == nil || !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want a message with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			got, want := start(), start()
			set(&got)
			tt.want(&want)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got facts %+v, want %+v", got, want)
			}
		})
	}
}

func TestParseFieldNames(t *testing.T) {
	for in, want := range map[string]legal.Field{"No-ToS-Action": legal.FieldNoToSAction, "content": legal.FieldContentRequested,
		"Kinds": legal.FieldKinds, "exigent": legal.FieldEmergency, "ndo": legal.FieldNDO} {
		if got, err := parseField(in); got != want || err != nil {
			t.Errorf("parseField(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	if _, err := parseField("subject"); err == nil || !strings.Contains(err.Error(), "I can't correct `subject`") {
		t.Errorf("parseField(subject): got %v, want the list of fields", err)
	}
}

func TestSlackText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`agent "Dana" <mailto:dana@fbi.gov|dana@fbi.gov> <tel:+12025550111|+1 202 555 0111>`, `agent "Dana" dana@fbi.gov +1 202 555 0111`},
		{`period 2026-01-01..2026-03-31 & more <x>`, `period 2026-01-01..2026-03-31 & more <x>`},
		{`<mailto:dana@fbi.gov>`, `dana@fbi.gov`},
	}
	for _, tt := range tests {
		if got := slackText(tt.in); got != tt.want {
			t.Errorf("slackText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
