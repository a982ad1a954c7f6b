package commands

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

func homeOpened(user, eventID string) string {
	return `{"type":"event_callback","team_id":"T1","event_id":"` + eventID +
		`","event":{"type":"app_home_opened","user":"` + user + `","channel":"D1","tab":"home","event_ts":"1.2"}}`
}

func TestAppHome(t *testing.T) {
	e := newEnv(t)
	emergency := e.create(t, legal.Facts{Kinds: []legal.Kind{legal.KindEmergency}, Exigent: true})
	mine := e.create(t, subpoenaFacts())
	e.legal(t, member, "claim "+mine.ID)
	official := legal.Facts{Kinds: []legal.Kind{legal.KindPreservation}, SenderDomain: "fbi.gov", SenderOfficial: true}
	pres := e.create(t, official)
	e.legal(t, member, "preserve "+pres.ID+" from 2026-01-01") // expires 2026-04-01: not within 14 days
	soon := e.create(t, official)
	e.legal(t, member, "preserve "+soon.ID+" from 2025-12-10") // expires 2026-03-10

	tests := []struct {
		name    string
		user    string
		want    []string
		notWant []string
	}{
		{"member", member, []string{"Open emergencies* (1)", emergency.ID, "Assigned to you* (1)", mine.ID,
			"Preservations expiring* (1)", soon.ID, "extension available", "*IMMEDIATE* · 🚨 not acknowledged",
			"`" + mine.ID + "` Subpoena · In review · due Mon Mar 16, 2026 17:00 PDT (default: none stated)",
			"preserved until Tue Mar 10, 2026", "Updated Mon Mar 2, 2026 10:00 PST",
			"*Overdue* (0)",
			"Unverified senders (verify by callback)* (1)"}, []string{pres.ID, "overdue* since", "in_review", "2026-03-10"}},
		{"outsider sees no requests", outsider, []string{"legal team only"}, []string{emergency.ID, mine.ID}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _ := e.post(t, "/slack/events", homeOpened(tt.user, "EvHome"+tt.user))
			e.srv.Wait()
			views := e.fake.Views()
			if code != 200 || len(views) != i+1 || views[i].UserID != tt.user || views[i].Type != "home" {
				t.Fatalf("got status %d, views %+v", code, views)
			}
			body := string(views[i].JSON)
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("home: missing %q in %s", w, body)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("home: %q should not appear", w)
				}
			}
		})
	}
}

// TestChangeRefreshesHome checks a change enqueues App Home refreshes and
// that SendHome publishes them.
func TestChangeRefreshesHome(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	ctx := context.Background()
	e.st.Claim(ctx, e.now.Add(time.Hour), time.Hour, 100) // creation's items
	e.legal(t, member, "assign "+req.ID+" <@"+member2+">")
	items, err := e.st.Claim(ctx, e.now.Add(2*time.Hour), time.Hour, 100)
	if err != nil {
		t.Fatal(err)
	}
	var homes []store.OutboxItem
	for _, it := range items {
		if it.Kind == KindHome {
			homes = append(homes, it)
		}
	}
	if len(homes) != 2 {
		t.Fatalf("home items: got %d, want 2 (actor and assignee)", len(homes))
	}
	for _, it := range homes {
		if err := e.cmds.SendHome(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	users := map[string]bool{}
	for _, v := range e.fake.Views() {
		users[v.UserID] = true
	}
	if !users[member] || !users[member2] {
		t.Fatalf("published homes: got %v, want %s and %s", users, member, member2)
	}
}
