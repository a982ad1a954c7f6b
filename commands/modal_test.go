package commands

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/bot"
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

func submission(user, trigger, viewID, callback, meta string, values map[string]any) map[string]any {
	return map[string]any{"type": "view_submission", "trigger_id": trigger, "user": map[string]any{"id": user},
		"view": map[string]any{"id": viewID, "type": "modal", "callback_id": callback, "private_metadata": meta,
			"state": map[string]any{"values": values}}}
}

func click(user, trigger, actionID, value string) map[string]any {
	return map[string]any{"type": "block_actions", "trigger_id": trigger, "user": map[string]any{"id": user},
		"container": map[string]any{"type": "message", "channel_id": "C0LEGAL", "message_ts": "100.000200"},
		"channel":   map[string]any{"id": "C0LEGAL"},
		"actions":   []map[string]any{{"action_id": actionID, "block_id": bot.CardBlockID, "value": value, "type": "button"}}}
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
	values := map[string]any{"items": map[string]any{"items": map[string]any{"type": "checkboxes", "selected_options": sel}},
		"note": map[string]any{"note": map[string]any{"type": "plain_text_input", "value": "agent phoned in"}}}
	if body := e.interact(t, submission(member, "trig-sub-1", "V1", viewChecklist, req.ID, values)); len(body) != 0 {
		t.Fatalf("submission reply: got %s, want empty (close)", body)
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
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(e.fake.Views())
			body := e.interact(t, click(tt.user, e.fake.TriggerID(), tt.action, req.ID))
			e.srv.Wait()
			views := e.fake.Views()
			if tt.wantView == "" {
				if len(views) != n {
					t.Fatalf("views: got %d new, want none", len(views)-n)
				}
				seen := string(body)
				for _, r := range e.fake.Responses() {
					seen += string(r.Body)
				}
				if !strings.Contains(seen, "only for the legal team") {
					t.Fatalf("outsider's click: got %q, want the polite refusal", body)
				}
				return
			}
			if len(views) != n+1 || views[n].CallbackID != tt.wantView {
				t.Fatalf("case %d views: got %+v, want %s", i, views[n:], tt.wantView)
			}
		})
	}
	// An outsider's Claim or Acknowledge changes nothing.
	for _, action := range []string{bot.ActionClaim, bot.ActionAck} {
		e.interact(t, click(outsider, e.fake.TriggerID(), action, req.ID))
		e.srv.Wait()
		if after := e.get(t, req.ID); after.Version != req.Version || after.Assignee != "" || after.AckedBy != "" {
			t.Fatalf("after an outsider's %s: version %d (was %d), assignee %q, acked by %q", action, after.Version, req.Version, after.Assignee, after.AckedBy)
		}
	}
	// The due and status modals save through the same change path.
	due := map[string]any{"due": map[string]any{"date": map[string]any{"type": "datepicker", "selected_date": "2026-03-25"}}}
	e.interact(t, submission(member, "trig-due", "V2", viewDue, req.ID, due))
	past := map[string]any{"due": map[string]any{"date": map[string]any{"type": "datepicker", "selected_date": "2026-01-05"}}}
	if body := e.interact(t, submission(member, "trig-due2", "V3", viewDue, req.ID, past)); !strings.Contains(string(body), `"errors"`) {
		t.Fatalf("past date: got %s, want a field error", body)
	}
	st := map[string]any{"status": map[string]any{"status": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "deficient"}}}}
	e.interact(t, submission(member, "trig-st", "V4", viewStatus, req.ID, st))
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
	values := map[string]any{
		"kind":        map[string]any{"kind": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "search_warrant"}}},
		"source":      map[string]any{"source": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "fax"}}},
		"received":    map[string]any{"date": map[string]any{"type": "datepicker", "selected_date": "2026-02-27"}},
		"agency":      text("Springfield PD"),
		"subject":     text("Case 26-1234"),
		"agent":       text("Det. Smith"),
		"contact":     text("Smith@Springfield.gov"),
		"identifiers": text("+14155550100\n\n+14155550101"),
		"records":     text("subscriber information"),
		"deadline":    map[string]any{"date": map[string]any{"type": "datepicker"}},
	}
	e.interact(t, submission(member, "trig-new-1", "VNEW", viewNew, "", values))
	e.interact(t, submission(member, "trig-new-2", "VNEW", viewNew, "", values)) // delivered twice
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
	future := map[string]any{}
	for k, v := range values {
		future[k] = v
	}
	future["received"] = map[string]any{"date": map[string]any{"type": "datepicker", "selected_date": "2026-04-01"}}
	if body := e.interact(t, submission(member, "trig-new-3", "VNEW2", viewNew, "", future)); !strings.Contains(string(body), "received") {
		t.Fatalf("future date: got %s, want an error on received", body)
	}
}
