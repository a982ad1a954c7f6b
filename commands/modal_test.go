package commands

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/legal"
)

// interact posts an interaction payload as user and returns the reply body.
func (e *env) interact(tb testing.TB, payload map[string]any) []byte {
	tb.Helper()
	p, err := json.Marshal(payload)
	if err != nil {
		tb.Fatal(err)
	}
	code, body := e.post(tb, "/slack/interactions", url.Values{"payload": {string(p)}}.Encode())
	if code != http.StatusOK {
		tb.Fatalf("interaction: status %d %s", code, body)
	}
	return body
}

// submission is a view_submission payload as Slack sends it, for
// redeliveries the fake does not make.
func submission(user, trigger, viewID, callback, meta string, values map[string]map[string]any) map[string]any {
	return map[string]any{"type": "view_submission", "trigger_id": trigger, "user": map[string]any{"id": user},
		"view": map[string]any{"id": viewID, "type": "modal", "callback_id": callback, "private_metadata": meta,
			"state": map[string]any{"values": values}}}
}

// lastView is the newest view the fake holds.
func (e *env) lastView(tb testing.TB) fakeslack.View {
	tb.Helper()
	v := e.fake.Views()
	if len(v) == 0 {
		tb.Fatal("no view was opened")
	}
	return v[len(v)-1]
}

func TestChecklistModal(t *testing.T) {
	e := newEnv(t)
	f := subpoenaFacts()
	f.Agent = legal.Agent{} // agent_contact fails automatically
	req := e.create(t, f)

	if got := e.legal(t, member, "checklist"); !strings.Contains(got, "Usage: `/legal checklist ID`") {
		t.Fatalf("malformed: got %q", got)
	}
	e.legal(t, member, "checklist "+req.ID)
	views := e.fake.Views()
	if len(views) != 1 || views[0].CallbackID != viewChecklist {
		t.Fatalf("views: got %+v, want the checklist modal", views)
	}
	var v struct {
		PrivateMetadata string `json:"private_metadata"`
		Blocks          []struct {
			BlockID string `json:"block_id"`
			Element struct {
				Options        []struct{ Value string } `json:"options"`
				InitialOptions []struct{ Value string } `json:"initial_options"`
			} `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(views[0].JSON, &v); err != nil {
		t.Fatal(err)
	}
	var opts, ticked []string
	for _, b := range v.Blocks {
		if b.BlockID == "items" {
			for _, o := range b.Element.Options {
				opts = append(opts, o.Value)
			}
			for _, o := range b.Element.InitialOptions {
				ticked = append(ticked, o.Value)
			}
		}
	}
	if len(opts) != len(legal.ItemsFor(f.Kinds)) || strings.Contains(strings.Join(ticked, ","), "agent_contact") ||
		!strings.Contains(strings.Join(ticked, ","), "official_domain") {
		t.Fatalf("checkboxes: got options %v ticked %v", opts, ticked)
	}

	// Tick agent_contact, untick official_domain, keep the rest.
	var sel []map[string]any
	for _, it := range ticked {
		if it != "official_domain" {
			sel = append(sel, map[string]any{"value": it})
		}
	}
	sel = append(sel, map[string]any{"value": "agent_contact"})
	values := map[string]map[string]any{"items": {"items": map[string]any{"type": "checkboxes", "selected_options": sel}},
		"note": {"note": map[string]any{"type": "plain_text_input", "value": "agent phoned in"}}}
	if a := e.submit(t, member, views[0].ID, values); !a.Closed {
		t.Fatalf("submission: got %+v, want the modal closed", a)
	}
	got := e.get(t, req.ID)
	if got.Decisions[legal.ItemAgentContact].Outcome != legal.Passed ||
		got.Decisions[legal.ItemOfficialDomain].Outcome != legal.Failed || len(got.Decisions) != 2 {
		t.Fatalf("decisions: got %+v", got.Decisions)
	}
	if d := got.Decisions[legal.ItemAgentContact]; d.Note != "agent phoned in" || d.By != member {
		t.Fatalf("decision: got %+v", d)
	}
}

func TestCardButtons(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	card := e.postCard(t, req)
	tests := []struct {
		name     string
		user     string
		action   string
		wantView string
	}{
		{"checklist opens its modal", member, bot.ActionChecklist, viewChecklist},
		{"set due opens its modal", member, bot.ActionSetDue, viewDue},
		{"status opens its modal", member, bot.ActionStatus, viewStatus},
		{"outsider gets nothing", outsider, bot.ActionStatus, ""},
	}
	opened := map[string]string{} // callback id -> view id
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(e.fake.Views())
			_, shown := e.click(t, tt.user, card, tt.action)
			views := e.fake.Views()
			if tt.wantView == "" {
				if len(views) != n {
					t.Fatalf("views: got %d new, want none", len(views)-n)
				}
				if !strings.Contains(shown, "only for the legal team") {
					t.Fatalf("outsider's click: shown %q, want the polite refusal", shown)
				}
				return
			}
			if len(views) != n+1 || views[n].CallbackID != tt.wantView {
				t.Fatalf("case %d views: got %+v, want %s", i, views[n:], tt.wantView)
			}
			opened[tt.wantView] = views[n].ID
		})
	}
	// An outsider's Claim changes nothing and is told why.
	if _, shown := e.click(t, outsider, card, bot.ActionClaim); !strings.Contains(shown, "only for the legal team") {
		t.Fatalf("outsider's Claim: shown %q, want the refusal through response_url", shown)
	}
	if after := e.get(t, req.ID); after.Version != req.Version || after.Assignee != "" {
		t.Fatalf("after an outsider's Claim: version %d (was %d), assignee %q", after.Version, req.Version, after.Assignee)
	}
	// The due and status modals save through the same change path.
	dueView := opened[viewDue]
	past := map[string]map[string]any{"due": {"date": map[string]any{"type": "datepicker", "selected_date": "2026-01-05"}}}
	if a := e.submit(t, member, dueView, past); a.ViewErrors["due"] == "" {
		t.Fatalf("past date: got %+v, want a field error on due", a)
	}
	due := map[string]map[string]any{"due": {"date": map[string]any{"type": "datepicker", "selected_date": "2026-03-25"}}}
	if a := e.submit(t, member, dueView, due); !a.Closed {
		t.Fatalf("due: got %+v, want the modal closed", a)
	}
	st := map[string]map[string]any{"status": {"status": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "deficient"}}}}
	e.submit(t, member, opened[viewStatus], st)
	got := e.get(t, req.ID)
	if got.Status != legal.StatusDeficient || e.cal.DateOf(got.Due).String() != "2026-03-25" {
		t.Fatalf("after modals: status %s due %v", got.Status, got.Due)
	}
}

func TestNewModal(t *testing.T) {
	e := newEnv(t)
	if got := e.legal(t, member, "new please"); !strings.Contains(got, "Usage: `/legal new`") {
		t.Fatalf("malformed: got %q", got)
	}
	e.legal(t, member, "new")
	if v := e.fake.Views(); len(v) != 1 || v[0].CallbackID != viewNew {
		t.Fatalf("views: got %+v, want the new-request modal", v)
	}
	text := func(s string) map[string]any {
		return map[string]any{"v": map[string]any{"type": "plain_text_input", "value": s}}
	}
	values := map[string]map[string]any{
		"kind":        {"kind": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "search_warrant"}}},
		"source":      {"source": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "fax"}}},
		"received":    {"date": map[string]any{"type": "datepicker", "selected_date": "2026-02-27"}},
		"agency":      text("Springfield PD"),
		"subject":     text("Case 26-1234"),
		"agent":       text("Det. Smith"),
		"contact":     text("Smith@Springfield.gov"),
		"identifiers": text("+14155550100\n\n+14155550101"),
		"records":     text("subscriber information"),
		"deadline":    {"date": map[string]any{"type": "datepicker"}},
	}
	newView := e.lastView(t).ID
	e.submit(t, member, newView, values)
	e.interact(t, submission(member, e.fake.TriggerID(), newView, viewNew, "", values)) // delivered again
	reqs, err := e.st.ListByStatus(context.Background(), legal.StatusNew, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 {
		t.Fatalf("requests: got %d, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Source != "manual" || r.Kind() != legal.KindSearchWarrant || r.Facts.Agent.Email != "smith@springfield.gov" ||
		len(r.Facts.Identifiers) != 2 || e.cal.DateOf(r.ReceivedAt).String() != "2026-02-27" {
		t.Fatalf("request: got %+v", r)
	}
	future := map[string]map[string]any{}
	for k, v := range values {
		future[k] = v
	}
	future["received"] = map[string]any{"date": map[string]any{"type": "datepicker", "selected_date": "2026-04-01"}}
	e.legal(t, member, "new")
	if a := e.submit(t, member, e.lastView(t).ID, future); a.ViewErrors["received"] == "" {
		t.Fatalf("future date: got %+v, want an error on received", a)
	}
}
