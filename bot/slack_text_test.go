package bot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lebot-dev/lebot/legal"
)

func TestDecodeEntities(t *testing.T) {
	tests := []struct{ in, want string }{
		{"R&amp;D", "R&D"},
		{"&lt;b&gt;", "<b>"},
		{"R&amp;amp;D", "R&amp;D"}, // someone typed "R&amp;D": decoded once
		{"<@U1|bob> &amp; <#C1>", "<@U1|bob> & <#C1>"},
		{"no entities", "no entities"},
	}
	for _, tt := range tests {
		if got := decodeEntities(tt.in); got != tt.want {
			t.Errorf("decodeEntities(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short", "abc", 5, "abc"},
		{"plain cut", "abcdefgh", 5, "abcd…"},
		{"never inside an entity", "ab &amp; cd", 6, "ab …"},
		{"after an entity", "a &amp; bcdefg", 10, "a &amp; b…"},
		{"never inside a mention", "by <@U0123456> ok", 10, "by …"},
		{"multi-byte runes", "ééééé", 3, "éé…"},
		{"an ampersand kept whole", "&lt;", 4, "&lt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := truncate(tt.in, tt.n)
			if got != tt.want || utf8.RuneCountInString(got) > tt.n || !utf8.ValidString(got) {
				t.Fatalf("truncate(%q, %d): got %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

// TestCardShowsDecider: a checklist decision names the person as a real
// mention on the card, with their note escaped.
func TestCardShowsDecider(t *testing.T) {
	cal := legal.NewCalendar(time.UTC)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	req := &legal.Request{ID: "LE-2026-0001", Status: legal.StatusInReview, ReceivedAt: now,
		Facts: legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}},
		Decisions: map[legal.ItemID]legal.Decision{
			legal.ItemAgentContact: {Outcome: legal.Failed, By: "U0LEGAL1", At: now, Note: "no callback <yet> & none"}}}
	b, err := json.Marshal(Card(req, now, cal).Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var blocks []struct {
		Text struct{ Text string } `json:"text"`
	}
	_ = json.Unmarshal(b, &blocks)
	for _, bl := range blocks {
		text.WriteString(bl.Text.Text + "\n")
	}
	got := text.String()
	if !strings.Contains(got, "decided by <@U0LEGAL1>: no callback &lt;yet&gt; &amp; none") || strings.Contains(got, "&lt;@U0LEGAL1") {
		t.Fatalf("card checklist: got\n%s\nwant the decider as a mention and the note escaped", got)
	}
}

// TestDigestChartAltText: the chart is uploaded with a description of
// what it shows.
func TestDigestChartAltText(t *testing.T) {
	e := newEnv(t, "bolt")
	d := DigestPayload{Key: "digest:1", Channel: testChannel, At: e.clock.Now(), Zone: "UTC",
		Ages: map[legal.Status][]int{legal.StatusNew: {2, 0, 1, 0, 0}, legal.StatusInReview: {1, 0, 0, 0, 0}}}
	items := DigestItems(d)
	it := items[1]
	it.ID, it.Attempts = "ob-chart", 1
	if err := e.bot(nil).SendDigestChart(context.Background(), it); err != nil {
		t.Fatal(err)
	}
	files := e.slack.Files(testChannel)
	if len(files) != 1 {
		t.Fatalf("files: got %d, want the chart", len(files))
	}
	want := "Bar chart of 4 open requests by days since receipt, stacked by status. 0–2 days: 3 (2 new, 1 in review)."
	if alt := files[0].AltTxt; !strings.HasPrefix(alt, want) || !strings.Contains(alt, "8–14 days: 1 (1 new)") {
		t.Fatalf("alt text: got %q, want it to start %q", alt, want)
	}
}
