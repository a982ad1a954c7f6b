package bot

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/legal"
)

func mustLoc(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		tb.Fatalf("load zone: %v", err)
	}
	return loc
}

// subpoena is a complete, passing subpoena received Monday 23 Nov 2026
// and due Monday 30 Nov (Thanksgiving, the 26th, in between).
func subpoena(tb testing.TB) *legal.Request {
	tb.Helper()
	loc := mustLoc(tb)
	return &legal.Request{
		ID: "LE-2026-0042", Status: legal.StatusNew, Source: "smtp",
		ReceivedAt: time.Date(2026, 11, 23, 9, 30, 0, 0, loc),
		Subject:    "Grand jury subpoena for +14155550100",
		From:       "Det. Ann Smith <asmith@police.example.gov>",
		Due:        time.Date(2026, 11, 30, 17, 0, 0, 0, loc),
		Facts: legal.Facts{
			Kinds:          []legal.Kind{legal.KindSubpoena},
			SenderDomain:   "police.example.gov",
			SenderOfficial: true,
			Agent:          legal.Agent{Name: "Ann Smith", Email: "asmith@police.example.gov", Phone: "+14155550199"},
			Identifiers:    []string{"+14155550100", "target@example.com"},
			Period:         &legal.Period{Start: legal.Date{Year: 2026, Month: 1, Day: 1}, End: legal.Date{Year: 2026, Month: 6, Day: 30}},
			LegalProcess:   true,
			RecordsSought:  []string{"subscriber information"},
		},
		Verification: legal.Verification{DKIM: "pass", DKIMDomain: "police.example.gov", Aligned: true, Official: true},
	}
}

// cardText is every text of a rendered card, joined.
func cardText(tb testing.TB, c CardMessage) string {
	tb.Helper()
	b, err := json.Marshal(c.Blocks)
	if err != nil {
		tb.Fatalf("marshal blocks: %v", err)
	}
	var s strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if t, ok := v["text"].(string); ok {
				s.WriteString(t + "\n")
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var v any
	_ = json.Unmarshal(b, &v)
	walk(v)
	return s.String()
}

func TestCard(t *testing.T) {
	loc := mustLoc(t)
	cal := legal.NewCalendar(loc)
	monday := time.Date(2026, 11, 23, 10, 0, 0, 0, loc)
	until := legal.Date{Year: 2027, Month: 3, Day: 1}
	tests := []struct {
		name    string
		edit    func(r *legal.Request)
		now     time.Time
		want    []string // substrings of the card's texts
		notWant []string
		buttons []string // action ids, in order
	}{
		{name: "complete subpoena", now: monday,
			want:    []string{"LE-2026-0042 · Subpoena", "4 business days left", "7/7 passed", "✅ official", "`+14155550100`", "Ann Smith", "d=police.example.gov", "_unassigned_"},
			notWant: []string{"EMERGENCY", "Non-disclosure", "Overdue", "❌", "Customer notice", "Message-ID"},
			buttons: []string{ActionClaim, ActionChecklist, ActionSetDue, ActionStatus, ActionEdit}},
		{name: "Message-ID also used by other content", now: monday,
			edit: func(r *legal.Request) { r.SharedMessageID = []string{"LE-2026-0040", "LE-2026-0043"} },
			want: []string{"⚠️ *This Message-ID was also used by LE-2026-0040, LE-2026-0043 (different content).*"}},
		{name: "overdue", now: time.Date(2026, 12, 2, 10, 0, 0, 0, loc),
			want: []string{"⏰ *Overdue*", "overdue by 2 business days"}},
		{name: "customer notice sent", now: monday, edit: func(r *legal.Request) { r.Notice = legal.NoticeSent },
			want: []string{"*Customer notice:*\nsent"}},
		{name: "due today", now: time.Date(2026, 11, 30, 9, 0, 0, 0, loc),
			want: []string{"due today, 17:00 PST"}},
		{name: "DKIM key lookup failed temporarily", now: monday,
			edit:    func(r *legal.Request) { r.Verification.DKIM, r.Verification.DKIMTemporary = "fail", true },
			want:    []string{"*could not be checked*", "not evidence of forgery"},
			notWant: []string{"❌ *failed*"}},
		{name: "purged under retention", now: monday,
			edit: func(r *legal.Request) { r.Purged = monday },
			want: []string{"*Original deleted* Mon Nov 23, 2026 under the retention policy"}, notWant: []string{"The .eml is in this thread"}},
		{name: "DKIM failed", now: monday,
			edit: func(r *legal.Request) { r.Verification.DKIM = "fail" },
			want: []string{"❌ *failed*"}, notWant: []string{"could not be checked"}},
		{name: "stated deadline on a Sunday, seen on the Friday before",
			now:  time.Date(2026, 11, 27, 10, 0, 0, 0, loc),
			edit: func(r *legal.Request) { r.Due = time.Date(2026, 11, 29, 17, 0, 0, 0, loc) },
			want: []string{"due Sun Nov 29, 2026 17:00 PST — not a business day: today is the last business day before it"}},
		{name: "emergency with child endangerment", now: monday,
			edit: func(r *legal.Request) {
				r.Facts.Kinds, r.Facts.Exigent, r.Facts.ChildEndangerment = []legal.Kind{legal.KindEmergency}, true, true
				r.Facts.DangerDescribed = true
			},
			want:    []string{"🚨 *EMERGENCY", "🧒 *Child endangerment*", "*IMMEDIATE*", "❌ How it helps"},
			buttons: []string{ActionAck, ActionClaim, ActionChecklist, ActionSetDue, ActionStatus, ActionEdit}},
		{name: "acknowledged emergency", now: monday,
			edit: func(r *legal.Request) { r.Facts.Kinds, r.AckedBy = []legal.Kind{legal.KindEmergency}, "U123" },
			want: []string{"acknowledged by <@U123>"}, buttons: []string{ActionClaim, ActionChecklist, ActionSetDue, ActionStatus, ActionEdit}},
		{name: "NDO with date, no ToS action", now: monday,
			edit: func(r *legal.Request) {
				r.Facts.NDO, r.Facts.NDOUntil, r.Facts.NoToSAction = true, &until, true
				r.NDO = legal.NDOFrom(r.Facts)
			},
			want: []string{"do NOT notify the customer* until Mon Mar 1, 2027", "⛔ *Do NOT act on the account*"}},
		{name: "indefinite NDO", now: monday,
			edit: func(r *legal.Request) { r.NDO = legal.NDO{Active: true} },
			want: []string{"do NOT notify the customer* — indefinitely"}},
		{name: "NDO ended", now: time.Date(2027, 3, 2, 10, 0, 0, 0, loc),
			edit: func(r *legal.Request) { r.NDO = legal.NDO{Active: true, Until: &until} },
			want: []string{"Non-disclosure order ended Mon Mar 1, 2027"}, notWant: []string{"do NOT notify"}},
		{name: "NDO lifted by the team", now: monday,
			edit:    func(r *legal.Request) { r.Facts.NDO, r.NDO = true, legal.NDO{} },
			notWant: []string{"Non-disclosure"}},
		{name: "content without a warrant, failed items named", now: monday,
			edit: func(r *legal.Request) {
				r.Facts.ContentRequested, r.Facts.Period, r.Facts.Agent = true, nil, legal.Agent{Name: "Ann Smith"}
			},
			want: []string{"*Content requested without a warrant*", "4/7 passed, 3 failed",
				"❌ Specific time period", "❌ Agent named, with contact information", "❌ Content only under a warrant", "_not stated_"}},
		{name: "unofficial sender, failed DKIM, manual review", now: monday,
			edit: func(r *legal.Request) {
				r.Facts.SenderDomain, r.Facts.SenderOfficial = "smalltownpd.org", false
				r.Verification = legal.Verification{DKIM: "fail", DKIMDomain: "smalltownpd.org", Callback: true, Flags: []string{"Reply-To differs from From"}}
				r.Facts.ManualReview = []string{"scanned PDF with no text layer"}
			},
			want: []string{"verify by callback", "❌ *failed*", "⚠️ Reply-To differs", "🔎 *Needs manual review:* scanned PDF", "❌ Sent from an official"}},
		{name: "sender text is escaped", now: monday,
			edit: func(r *legal.Request) { r.Facts.Agent.Name, r.Subject = "<!channel> Bob", "<https://evil|click>" },
			want: []string{"&lt;!channel&gt; Bob", "&lt;https://evil|click&gt;"}, notWant: []string{"<!channel>", "<https://evil"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := subpoena(t)
			if tt.edit != nil {
				tt.edit(req)
			}
			c := Card(req, tt.now, cal)
			text := cardText(t, c)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("card lacks %q; got:\n%s", w, text)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(text, w) {
					t.Errorf("card has %q, want it absent; got:\n%s", w, text)
				}
			}
			if tt.buttons != nil {
				if got := buttons(c); strings.Join(got, ",") != strings.Join(tt.buttons, ",") {
					t.Errorf("got buttons %v, want %v", got, tt.buttons)
				}
			}
			if c.Metadata.EventType != MetadataEventType || c.Metadata.EventPayload["request_id"] != req.ID {
				t.Errorf("got metadata %+v, want %s with the request id", c.Metadata, MetadataEventType)
			}
		})
	}
}

func buttons(c CardMessage) []string {
	var ids []string
	for _, b := range c.Blocks {
		if a, ok := b.(*slack.ActionBlock); ok {
			for _, e := range a.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok {
					ids = append(ids, btn.ActionID)
					if btn.Value != "LE-2026-0042" {
						ids = append(ids, "bad value "+btn.Value)
					}
				}
			}
		}
	}
	return ids
}

// TestCardFallbackHasNoIdentifiers: the notification text reaches lock
// screens; it may carry the request id and urgency, never who or what.
func TestCardFallbackHasNoIdentifiers(t *testing.T) {
	cal := legal.NewCalendar(mustLoc(t))
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, cal.Location())
	for _, emergencyReq := range []bool{false, true} {
		req := subpoena(t)
		if emergencyReq {
			req.Facts.Kinds = []legal.Kind{legal.KindEmergency}
		}
		c := Card(req, now, cal)
		secrets := append([]string{req.Subject, req.From, req.Facts.Agent.Name, req.Facts.Agent.Email,
			req.Facts.Agent.Phone, req.Facts.SenderDomain}, req.Facts.Identifiers...)
		for _, s := range secrets {
			if strings.Contains(c.Text, s) {
				t.Errorf("fallback %q contains %q", c.Text, s)
			}
		}
		if !strings.Contains(c.Text, req.ID) {
			t.Errorf("fallback %q lacks the request id", c.Text)
		}
	}
}

// TestCardLimits: a request with everything overlong still renders within
// Slack's limits (50 blocks, 3000 characters per text, 150 per header).
func TestCardLimits(t *testing.T) {
	cal := legal.NewCalendar(mustLoc(t))
	req := subpoena(t)
	req.ID = strings.Repeat("L", 200)
	req.Subject = strings.Repeat("s", 5000)
	req.Facts.ManualReview = []string{strings.Repeat("m", 5000)}
	req.Verification.Flags = []string{strings.Repeat("f", 5000)}
	for i := range 500 {
		req.Facts.Identifiers = append(req.Facts.Identifiers, strings.Repeat("9", 20+i%7))
	}
	c := Card(req, req.ReceivedAt, cal)
	if len(c.Blocks) > 50 {
		t.Fatalf("got %d blocks, want <= 50", len(c.Blocks))
	}
	b, _ := json.Marshal(c.Blocks)
	var blocks []struct {
		Type   string                 `json:"type"`
		Text   *slack.TextBlockObject `json:"text"`
		Fields []*slack.TextBlockObject
	}
	if err := json.Unmarshal(b, &blocks); err != nil {
		t.Fatal(err)
	}
	for _, bl := range blocks {
		limit := maxSectionText
		if bl.Type == "header" {
			limit = maxHeaderText
		}
		if bl.Text != nil && len([]rune(bl.Text.Text)) > limit {
			t.Errorf("%s text has %d characters, want <= %d", bl.Type, len([]rune(bl.Text.Text)), limit)
		}
		for _, f := range bl.Fields {
			if len([]rune(f.Text)) > maxFieldText {
				t.Errorf("field has %d characters, want <= %d", len([]rune(f.Text)), maxFieldText)
			}
		}
	}
	if !strings.Contains(cardText(t, c), "more (`/legal show") {
		t.Errorf("card does not say how to see the remaining identifiers")
	}
}

func BenchmarkCard(b *testing.B) {
	cal := legal.NewCalendar(mustLoc(b))
	req := subpoena(b)
	now := req.ReceivedAt
	for b.Loop() {
		Card(req, now, cal)
	}
}

func TestPlural(t *testing.T) {
	tests := []struct {
		n    int
		unit string
		want string
	}{
		{1, "business day", "1 business day"},
		{2, "business day", "2 business days"},
		{0, "round", "0 rounds"},
		{1, "on-call address", "1 on-call address"},
		{3, "on-call address", "3 on-call addresses"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := plural(tt.n, tt.unit); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
