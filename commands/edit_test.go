package commands

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
)

// openEdit has user type `/legal edit ID` in the fake Slack and returns
// the modal it opened.
func (e *env) openEdit(tb testing.TB, user, id string) fakeslack.View {
	tb.Helper()
	n := len(e.fake.Views())
	ans := e.fake.SlashCommand(user, "C0LEGAL", "edit "+id)
	views := e.fake.Views()
	if ans.Error != "" || len(views) != n+1 || views[n].CallbackID != viewEdit {
		tb.Fatalf("/legal edit %s: answer %+v, views %d (had %d)", id, ans, len(views), n)
	}
	return views[n]
}

// untouched is the state Slack sends for a modal submitted as shown: each
// input's initial value.
func untouched(tb testing.TB, v fakeslack.View) map[string]map[string]any {
	tb.Helper()
	var view struct {
		Blocks []struct {
			Type    string `json:"type"`
			BlockID string `json:"block_id"`
			Element struct {
				Type           string            `json:"type"`
				ActionID       string            `json:"action_id"`
				InitialValue   string            `json:"initial_value"`
				InitialDate    string            `json:"initial_date"`
				InitialOptions []json.RawMessage `json:"initial_options"`
			} `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(v.JSON, &view); err != nil {
		tb.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, b := range view.Blocks {
		if b.Type != "input" {
			continue
		}
		el := b.Element
		val := map[string]any{"type": el.Type}
		switch el.Type {
		case "plain_text_input":
			val["value"] = el.InitialValue
		case "datepicker":
			if el.InitialDate != "" {
				val["selected_date"] = el.InitialDate
			}
		default:
			opts := []json.RawMessage{}
			val["selected_options"] = append(opts, el.InitialOptions...)
		}
		out[b.BlockID] = map[string]any{el.ActionID: val}
	}
	return out
}

func setText(s map[string]map[string]any, block, value string) {
	s[block]["v"].(map[string]any)["value"] = value
}

func setDate(s map[string]map[string]any, block, value string) {
	s[block]["v"].(map[string]any)["selected_date"] = value
}

// TestEditModal is the modal "done when": /legal edit opens a
// modal with the period, deadline and identifiers; an unchanged
// submission is accepted and changes nothing; invalid values come back
// as errors on their fields and nothing is saved; a valid change is saved
// field by field, and a field someone else corrected meanwhile is not
// overwritten by the modal's stale copy of it.
func TestEditModal(t *testing.T) {
	e := newEnv(t)
	f := subpoenaFacts()
	f.Period = nil
	req := e.create(t, f)

	v := e.openEdit(t, member, req.ID)
	state := untouched(t, v)
	for _, b := range []string{blockStart, blockEnd, blockDeadline, blockIdentifiers, blockKinds, blockAgentPhone, blockFlags, blockNDOUntil} {
		if _, ok := state[b]; !ok {
			t.Fatalf("modal has no %s field: %s", b, v.JSON)
		}
	}
	if got := state[blockIdentifiers]["v"].(map[string]any)["value"]; got != "+14155550100" {
		t.Fatalf("identifiers shown: got %q", got)
	}

	t.Run("unchanged submission closes and changes nothing", func(t *testing.T) {
		ans, err := e.fake.Submit(member, v.ID, untouched(t, v))
		if err != nil || !ans.Closed || ans.Error != "" || len(ans.ViewErrors) != 0 {
			t.Fatalf("answer %+v, %v; want the modal closed", ans, err)
		}
		if got := e.get(t, req.ID); got.Version != req.Version {
			t.Fatalf("version: got %d, want %d", got.Version, req.Version)
		}
	})

	t.Run("invalid values come back on their fields", func(t *testing.T) {
		v := e.openEdit(t, member, req.ID)
		s := untouched(t, v)
		setDate(s, blockStart, "2026-03-31")
		setDate(s, blockEnd, "2026-01-01")
		setText(s, blockAgentPhone, "+1202555")
		setText(s, blockIdentifiers, "+14155550100\nnot an@address")
		s[blockKinds]["v"].(map[string]any)["selected_options"] = []map[string]any{{"value": "subpena"}}
		setDate(s, blockNDOUntil, "2027-06-01") // NDO not ticked
		ans, err := e.fake.Submit(member, v.ID, s)
		if err != nil || ans.Error != "" || ans.Closed {
			t.Fatalf("answer %+v, %v; want field errors", ans, err)
		}
		want := map[string]string{blockEnd: "The end is before the start", blockAgentPhone: "+1202555 is not a phone number",
			blockKinds: "subpena is not a kind", blockIdentifiers: "an@address is not an e-mail address",
			blockNDOUntil: "Tick “Non-disclosure order” too"}
		for block, msg := range want {
			if !strings.Contains(ans.ViewErrors[block], msg) {
				t.Errorf("error on %s: got %q, want %q", block, ans.ViewErrors[block], msg)
			}
		}
		if len(ans.ViewErrors) != len(want) {
			t.Errorf("errors: got %v", ans.ViewErrors)
		}
		if got := e.get(t, req.ID); got.Version != req.Version {
			t.Fatalf("saved despite errors: version %d, want %d", got.Version, req.Version)
		}
	})

	t.Run("changes are saved; a correction made meanwhile stays", func(t *testing.T) {
		v := e.openEdit(t, member2, req.ID)
		mustContain(t, "set", e.legal(t, member, "set "+req.ID+" identifiers +12025550150"), "Corrected on")
		s := untouched(t, v) // still shows +14155550100
		setDate(s, blockStart, "2026-01-01")
		setDate(s, blockEnd, "2026-03-31")
		setDate(s, blockDeadline, "2026-12-18")
		ans, err := e.fake.Submit(member2, v.ID, s)
		if err != nil || !ans.Closed {
			t.Fatalf("answer %+v, %v; want the modal closed", ans, err)
		}
		r := e.get(t, req.ID)
		if r.Facts.Period == nil || r.Facts.Period.Label() != "Jan 1 – Mar 31, 2026" || r.Facts.Deadline == nil ||
			r.Facts.Deadline.String() != "2026-12-18" {
			t.Fatalf("facts: period %v deadline %v", r.Facts.Period, r.Facts.Deadline)
		}
		if len(r.Facts.Identifiers) != 1 || r.Facts.Identifiers[0] != "+12025550150" {
			t.Fatalf("identifiers: got %v, want the correction made meanwhile", r.Facts.Identifiers)
		}
		if r.Corrections[legal.FieldPeriod].By != member2 || r.Corrections[legal.FieldIdentifiers].By != member {
			t.Fatalf("corrections: %+v", r.Corrections)
		}
		if want := e.cal.EndOfBusinessDay(legal.Date{Year: 2026, Month: 12, Day: 18}); !r.Due.Equal(want) {
			t.Fatalf("due: got %v, want %v", r.Due, want)
		}
		a := e.audit(t, req.ID)
		if last := a[len(a)-1]; last.Actor != member2 || last.Before != "period: none; deadline: none" ||
			last.After != "period: Jan 1 – Mar 31, 2026; deadline: Dec 18, 2026" {
			t.Fatalf("audit: got %+v", last)
		}
	})

	t.Run("boxes: emergency pages, NDO with its end", func(t *testing.T) {
		v := e.openEdit(t, member, req.ID)
		s := untouched(t, v)
		s[blockFlags]["v"].(map[string]any)["selected_options"] = []map[string]any{{"value": "emergency"}, {"value": "ndo"}}
		setDate(s, blockNDOUntil, "2027-06-01")
		if ans, err := e.fake.Submit(member, v.ID, s); err != nil || !ans.Closed {
			t.Fatalf("answer %+v, %v; want the modal closed", ans, err)
		}
		r := e.get(t, req.ID)
		if !r.Facts.HasKind(legal.KindSubpoena) || !r.Facts.HasKind(legal.KindEmergency) || !r.NextEscalation.Equal(e.now) {
			t.Fatalf("emergency: kinds %v, next escalation %v", r.Facts.Kinds, r.NextEscalation)
		}
		if !r.NDO.Active || r.NDO.Until == nil || r.NDO.Until.String() != "2027-06-01" || r.Notice != legal.NoticeBlocked {
			t.Fatalf("NDO: %+v notice %q", r.NDO, r.Notice)
		}
	})

	t.Run("the card's Correct button opens the modal", func(t *testing.T) {
		n := len(e.fake.Views())
		e.click(t, member, e.postCard(t, e.get(t, req.ID)), bot.ActionEdit)
		if views := e.fake.Views(); len(views) != n+1 || views[n].CallbackID != viewEdit {
			t.Fatalf("views: got %d new, want the edit modal", len(views)-n)
		}
	})

	t.Run("an outsider's submission changes nothing", func(t *testing.T) {
		v := e.openEdit(t, member, req.ID)
		before := e.get(t, req.ID)
		s := untouched(t, v)
		setDate(s, blockDeadline, "2026-12-24")
		if _, err := e.fake.Submit(outsider, v.ID, s); err != nil {
			t.Fatal(err)
		}
		if got := e.get(t, req.ID); got.Version != before.Version {
			t.Fatalf("version: got %d, want %d", got.Version, before.Version)
		}
	})
}
