package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// shortID is the id without its year prefix, as people type it.
func shortID(id string) string { return strings.TrimLeft(id[strings.LastIndex(id, "-")+1:], "0") }

func TestSubcommands(t *testing.T) {
	e := newEnv(t)
	type check func(t *testing.T, r *legal.Request, audit []store.AuditEntry)
	changed := func(action string) check {
		return func(t *testing.T, r *legal.Request, audit []store.AuditEntry) {
			t.Helper()
			if last := audit[len(audit)-1]; last.Action != action || last.Actor != member {
				t.Fatalf("last audit: got %s by %s, want %s by %s", last.Action, last.Actor, action, member)
			}
		}
	}
	unchanged := func(t *testing.T, r *legal.Request, audit []store.AuditEntry) {
		t.Helper()
		if len(audit) != 1 {
			t.Fatalf("audit entries: got %d, want only the creation", len(audit))
		}
	}
	tests := []struct {
		name  string
		facts func(f *legal.Facts)
		setup func(r *legal.Request) // applied before the command
		text  string                 // %ID% and %N% are replaced
		want  string
		check check
	}{
		{"help", nil, nil, "help", "/legal claim ID", unchanged},
		{"empty is help", nil, nil, "", "/legal list", unchanged},
		{"unknown subcommand", nil, nil, "frobnicate 1", "I don't know `frobnicate`", unchanged},

		{"list/open", nil, nil, "list", "%ID%", unchanged},
		{"list/mine empty", nil, nil, "list mine", "Nothing is assigned to you.", unchanged},
		{"list/malformed", nil, nil, "list sideways", "Usage: `/legal list [open|mine|overdue|exigent|preservations|unverified|all]`", unchanged},
		{"list/exigent", func(f *legal.Facts) { f.Kinds = []legal.Kind{legal.KindEmergency}; f.Exigent = true }, nil, "list exigent", "%ID%", unchanged},
		{"list/preservations", func(f *legal.Facts) { f.Kinds = []legal.Kind{legal.KindPreservation} }, nil, "list preservations", "%ID%", unchanged},

		{"show/short id", nil, nil, "show %N%", "%ID%", unchanged},
		{"show/lower case", nil, nil, "show %id%", "%ID%", unchanged},
		{"show/unknown", nil, nil, "show LE-1999-9999", "There is no request `LE-1999-9999`.", unchanged},
		{"show/malformed", nil, nil, "show", "Usage: `/legal show ID`", unchanged},

		{"claim", nil, nil, "claim %ID%", "You have claimed %ID%", func(t *testing.T, r *legal.Request, a []store.AuditEntry) {
			changed("claim")(t, r, a)
			if r.Assignee != member || r.Status != legal.StatusInReview {
				t.Fatalf("got assignee %s status %s, want %s in_review", r.Assignee, r.Status, member)
			}
		}},
		{"claim/again", nil, func(r *legal.Request) { r.Assignee = member }, "claim %ID%", "already assigned", nil},
		{"claim/malformed", nil, nil, "claim", "Usage: `/legal claim ID`", unchanged},

		{"assign/escaped mention", nil, nil, "assign %ID% <@U0LEGAL2|bob>", "assigned to <@U0LEGAL2>", func(t *testing.T, r *legal.Request, a []store.AuditEntry) {
			changed("assign")(t, r, a)
			if r.Assignee != member2 {
				t.Fatalf("assignee: got %s, want %s", r.Assignee, member2)
			}
		}},
		{"assign/plain mention", nil, nil, "assign %ID% <@U0LEGAL2>", "assigned to <@U0LEGAL2>", changed("assign")},
		{"assign/bare id", nil, nil, "assign %ID% U0LEGAL2", "assigned to <@U0LEGAL2>", changed("assign")},
		{"assign/not a user", nil, nil, "assign %ID% bob", "I need a Slack user", unchanged},
		{"assign/malformed", nil, nil, "assign %ID%", "Usage: `/legal assign ID @user`", unchanged},

		{"due", nil, nil, "due %ID% 2026-03-20", "is now due Fri Mar 20, 2026 17:00 PDT.", func(t *testing.T, r *legal.Request, a []store.AuditEntry) {
			changed("due")(t, r, a)
			if want := time.Date(2026, 3, 20, 17, 0, 0, 0, la); !r.Due.Equal(want) || r.DueSetBy != member {
				t.Fatalf("due: got %v by %s, want %v by %s", r.Due, r.DueSetBy, want, member)
			}
		}},
		{"due/past", nil, nil, "due %ID% 2026-03-01", "in the past", unchanged},
		{"due/bad date", nil, nil, "due %ID% 20-03-2026", "YYYY-MM-DD", unchanged},
		{"due/malformed", nil, nil, "due %ID%", "Usage: `/legal due ID YYYY-MM-DD`", unchanged},

		{"status", nil, nil, "status %ID% producing", "now *Producing*", func(t *testing.T, r *legal.Request, a []store.AuditEntry) {
			changed("status")(t, r, a)
			if r.Status != legal.StatusProducing || a[len(a)-1].Before != "new" {
				t.Fatalf("status: got %s (audit before %q)", r.Status, a[len(a)-1].Before)
			}
		}},
		{"status/hyphen", nil, nil, "status %ID% in-review", "now *In review*", changed("status")},
		{"status/closed asks for the outcome", nil, nil, "status %ID% closed", "is now *Closed*. For the transparency report, record how it ended: `/legal outcome %ID% produced|no-data|rejected|withdrawn`", changed("status")},
		{"status/unknown", nil, nil, "status %ID% done", "Unknown status `done`", unchanged},
		{"status/malformed", nil, nil, "status", "Usage: `/legal status ID STATUS`", unchanged},

		{"check", func(f *legal.Facts) { f.Agent = legal.Agent{} }, nil, "check %ID% agent_contact called the agency back", "Recorded on %ID%: Agent named, with contact information: met — called the agency back.",
			func(t *testing.T, r *legal.Request, a []store.AuditEntry) {
				changed("checklist")(t, r, a)
				d := r.Decisions[legal.ItemAgentContact]
				if d.Outcome != legal.Passed || d.Note != "called the agency back" || d.By != member {
					t.Fatalf("decision: got %+v", d)
				}
			}},
		{"check/not on checklist", nil, nil, "check %ID% danger_description", "not on", unchanged},
		{"check/unknown item", nil, nil, "check %ID% vibes", "Unknown checklist item `vibes`", unchanged},
		{"check/malformed", nil, nil, "check %ID%", "Usage: `/legal check ID ITEM [note]`", unchanged},
		{"uncheck", nil, func(r *legal.Request) {
			r.Decisions = map[legal.ItemID]legal.Decision{legal.ItemOfficialDomain: {Outcome: legal.Failed, By: member2}}
		}, "uncheck %ID% official_domain", "Cleared the team's decision on “Sent from an official government domain” for %ID%", func(t *testing.T, r *legal.Request, a []store.AuditEntry) {
			changed("checklist")(t, r, a)
			if _, ok := r.Decisions[legal.ItemOfficialDomain]; ok {
				t.Fatalf("decision still recorded: %+v", r.Decisions)
			}
			if last := a[len(a)-1]; last.Before != "official_domain=failed" || last.After != "official_domain=passed (automatic)" {
				t.Fatalf("audit: got %q -> %q", last.Before, last.After)
			}
		}},
		{"uncheck/nothing decided", nil, nil, "uncheck %ID% official_domain", "already shows lebot's automatic result", unchanged},
		{"uncheck/not on checklist", nil, nil, "uncheck %ID% danger_description", "not on", unchanged},
		{"uncheck/unknown item", nil, nil, "uncheck %ID% vibes", "Unknown checklist item `vibes`", unchanged},
		{"uncheck/malformed", nil, nil, "uncheck %ID%", "Usage: `/legal uncheck ID ITEM`", unchanged},

		{"note", nil, nil, "note %ID% called <@U1> re scope", "Noted on %ID%", func(t *testing.T, r *legal.Request, a []store.AuditEntry) {
			changed("note")(t, r, a)
			if a[len(a)-1].Note != "called <@U1> re scope" {
				t.Fatalf("note: got %q", a[len(a)-1].Note)
			}
		}},
		{"note/malformed", nil, nil, "note %ID%", "Usage: `/legal note ID TEXT`", unchanged},

		{"audit", nil, nil, "audit %ID%", "(1 entry)\n• Mon Mar 2, 2026 10:00 PST · lebot received the request by e-mail\n", unchanged},
		{"audit/malformed", nil, nil, "audit", "Usage: `/legal audit ID`", unchanged},

		{"preserve", nil, nil, "preserve %ID%", "preserved from Mon Mar 2, 2026 until Sun May 31, 2026.", changed("preserve")},
		{"preserve/from", nil, nil, "preserve %ID% from 2026-02-15", "preserved from Sun Feb 15, 2026 until Sat May 16, 2026.", changed("preserve")},
		{"preserve/from replaces", func(f *legal.Facts) { f.Kinds = []legal.Kind{legal.KindPreservation} }, nil, "preserve %ID% from 2026-02-15",
			"preserved from Sun Feb 15, 2026 until Sat May 16, 2026 (was Mon Mar 2, 2026 to Sun May 31, 2026)", changed("preserve")},
		{"preserve/already", func(f *legal.Facts) { f.Kinds = []legal.Kind{legal.KindPreservation} }, nil, "preserve %ID%", "already preserved until", unchanged},
		{"preserve/malformed", nil, nil, "preserve %ID% since 2026-01-01", "Usage: `/legal preserve ID [from YYYY-MM-DD]`", unchanged},

		{"extend", func(f *legal.Facts) { f.Kinds = []legal.Kind{legal.KindPreservation} }, nil, "extend %ID%", "Extended the preservation", func(t *testing.T, r *legal.Request, a []store.AuditEntry) {
			changed("extend")(t, r, a)
			if !r.Preservation.Extended || r.Preservation.Expires.String() != "2026-08-29" {
				t.Fatalf("preservation: got %+v", r.Preservation)
			}
		}},
		{"extend/second refused", func(f *legal.Facts) { f.Kinds = []legal.Kind{legal.KindPreservation}; f.PreservationExtension = true }, nil,
			"extend %ID%", "already extended once; 18 U.S.C. 2703(f) allows one 90-day extension", unchanged},
		{"extend/none", nil, nil, "extend %ID%", "has no preservation to extend", unchanged},
		{"extend/malformed", nil, nil, "extend", "Usage: `/legal extend ID`", unchanged},

		{"ndo/until", nil, nil, "ndo %ID% until 2026-09-01", "Recorded the NDO on %ID%: customer notice is barred", func(t *testing.T, r *legal.Request, a []store.AuditEntry) {
			changed("ndo")(t, r, a)
			if !r.NDO.Active || r.NDO.Until.String() != "2026-09-01" || r.Notice != legal.NoticeBlocked {
				t.Fatalf("ndo: got %+v notice %q", r.NDO, r.Notice)
			}
		}},
		{"ndo/indefinite", nil, nil, "ndo %ID% indefinite", "Recorded an indefinite NDO on %ID%", changed("ndo")},
		{"ndo/clear", func(f *legal.Facts) { f.NDO = true }, nil, "ndo %ID% clear", "Cleared the NDO on %ID%", func(t *testing.T, r *legal.Request, a []store.AuditEntry) {
			changed("ndo")(t, r, a)
			if r.NDO.Active {
				t.Fatalf("ndo still active")
			}
		}},
		{"ndo/malformed", nil, nil, "ndo %ID% until", "Usage: `/legal ndo ID until YYYY-MM-DD | ID indefinite | ID clear`", unchanged},

		{"notice/sent", nil, nil, "notice %ID% sent", "as sent", changed("notice")},
		{"notice/barred by NDO", func(f *legal.Facts) { f.NDO = true }, nil, "notice %ID% sent", "must not be notified", unchanged},
		{"notice/malformed", nil, nil, "notice %ID% maybe", "Usage: `/legal notice ID sent|blocked`", unchanged},

		{"ack", func(f *legal.Facts) { f.Kinds = []legal.Kind{legal.KindEmergency} }, nil, "ack %ID%", "paging has stopped", func(t *testing.T, r *legal.Request, a []store.AuditEntry) {
			changed("ack")(t, r, a)
			if r.AckedBy != member {
				t.Fatalf("acked by %q", r.AckedBy)
			}
		}},
		{"ack/malformed", nil, nil, "ack", "Usage: `/legal ack ID`", unchanged},
		{"page/malformed", nil, nil, "page", "Usage: `/legal page ID`", unchanged},
		{"page/closed", nil, func(r *legal.Request) { r.Status = legal.StatusClosed }, "page %ID%", "%ID% is Closed; reopen it", nil},
		{"page/unknown", nil, nil, "page LE-1999-9999", "There is no request `LE-1999-9999`.", unchanged},
		{"oncall/override malformed", nil, nil, "oncall override <@U0LEGAL2>", "Usage: `/legal oncall", unchanged},

		{"oncall", nil, nil, "oncall", "Levels: the defaults lebot was set up with", unchanged},
		{"digest/not configured", nil, nil, "digest", "not configured", unchanged},
		{"digest/malformed", nil, nil, "digest now please", "Usage: `/legal digest`", unchanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := subpoenaFacts()
			if tt.facts != nil {
				tt.facts(&f)
			}
			req := e.create(t, f)
			if tt.setup != nil {
				tt.setup(req)
				if err := e.st.UpdateRequest(context.Background(), req, store.AuditEntry{}); err != nil {
					t.Fatal(err)
				}
			}
			repl := strings.NewReplacer("%ID%", req.ID, "%id%", strings.ToLower(req.ID), "%N%", shortID(req.ID))
			got := e.legal(t, member, repl.Replace(tt.text))
			if want := repl.Replace(tt.want); !strings.Contains(got, want) {
				t.Fatalf("reply: got %q, want it to contain %q", got, want)
			}
			if tt.check != nil {
				tt.check(t, e.get(t, req.ID), e.audit(t, req.ID))
			}
		})
	}
}

// TestNonMembersAreRefused runs every subcommand as someone outside the
// legal team: a polite refusal, and the request stays as it was.
func TestNonMembersAreRefused(t *testing.T) {
	e := newEnv(t)
	for name, sub := range subcommands {
		t.Run(name, func(t *testing.T) {
			req := e.create(t, subpoenaFacts())
			args := strings.NewReplacer("ID", req.ID, "@user", "<@U0LEGAL2|bob>", "YYYY-MM-DD", "2026-04-01",
				"STATUS", "closed", "ITEM", "time_period", "TEXT", "hello", "[note]", "ok", "sent|blocked", "sent",
				"until YYYY-MM-DD | ID indefinite | ID clear", "indefinite").Replace(sub.usage)
			got := e.legal(t, outsider, name+" "+args)
			if !strings.Contains(got, "only for the legal team") {
				t.Fatalf("reply: got %q, want a refusal", got)
			}
			if after := e.get(t, req.ID); after.Version != req.Version {
				t.Fatalf("version: got %d, want %d (unchanged)", after.Version, req.Version)
			}
			if a := e.audit(t, req.ID); len(a) != 1 {
				t.Fatalf("audit: got %d entries, want 1", len(a))
			}
		})
	}
}

// TestChangeEnqueuesCardAndThread checks a change's outbox: the card is
// updated and the thread told who did what.
func TestChangeEnqueuesCardAndThread(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	e.drainOutbox(t, e.now.Add(time.Hour)) // what creation enqueued
	e.legal(t, member, "claim "+req.ID)
	items := e.drainOutbox(t, e.now.Add(2*time.Hour))
	kinds := map[string]string{}
	for _, it := range items {
		kinds[it.Kind] = string(it.Payload)
	}
	if got := kinds[bot.KindCardUpdate]; got != `{"request_id":"`+req.ID+`"}` {
		t.Fatalf("card update payload: got %q", got)
	}
	var th bot.ThreadPayload
	if err := json.Unmarshal([]byte(kinds[bot.KindThread]), &th); err != nil || th.RequestID != req.ID ||
		th.Text != "<@"+member+"> claimed this request." {
		t.Fatalf("thread payload: got %q (%v)", kinds[bot.KindThread], err)
	}
}

// TestListPages checks /legal list shows a page, newest first, and
// counts the rest.
func TestListPages(t *testing.T) {
	e := newEnv(t)
	var reqs []*legal.Request
	for i := range listPage + 5 {
		f := subpoenaFacts()
		r := e.create(t, f)
		r.Assignee = member
		if i%2 == 1 {
			r.Status = legal.StatusProducing
		}
		if err := e.st.UpdateRequest(context.Background(), r, store.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, r)
		e.now = e.now.Add(time.Minute) // received a minute apart
	}
	defer func(now time.Time) { e.now = now }(e.now)
	tests := []struct {
		name, text string
		want       []string
		wantNot    []string
	}{
		{"open", "list", []string{fmt.Sprintf("*Open requests* (%d)", len(reqs)), "…and 5 more", reqs[len(reqs)-1].ID,
			reqs[5].ID}, []string{reqs[4].ID + "`", reqs[0].ID + "`"}},
		{"all", "list all", []string{fmt.Sprintf("(%d)", len(reqs)), "…and 5 more"}, nil},
		{"mine", "list MINE", []string{fmt.Sprintf("*Your open requests* (%d)", len(reqs)), "…and 5 more"}, nil},
		{"overdue, none", "list overdue", []string{"Nothing is overdue."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.legal(t, member, tt.text)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("reply lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("reply has %q, want it past the page:\n%s", w, got)
				}
			}
		})
	}
}

// TestHelpListsEverySubcommand keeps help and the subcommands in step.
func TestHelpListsEverySubcommand(t *testing.T) {
	e := newEnv(t)
	got := e.legal(t, member, "help")
	for name, sub := range subcommands {
		t.Run(name, func(t *testing.T) {
			if want := "`" + e.cmds.usage(sub) + "`"; !strings.Contains(got, want) {
				t.Fatalf("help lacks %s:\n%s", want, got)
			}
		})
	}
}

// TestListLineDeadline checks a list line's deadline reads as the card's
// does: one business day singular, today by the hour, an emergency as
// IMMEDIATE rather than overdue.
func TestListLineDeadline(t *testing.T) {
	e := newEnv(t) // now: Mon Mar 2, 2026 10:00 in Los Angeles
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, la) }
	tests := []struct {
		name  string
		kind  legal.Kind
		due   time.Time
		want  string
		avoid string
	}{
		{"one business day", legal.KindSubpoena, at(3, 17), "due Tue Mar 3, 2026 17:00 PST (default: none stated), 1 business day left", "days"},
		{"several", legal.KindSubpoena, at(5, 17), "due Thu Mar 5, 2026 17:00 PST (default: none stated), 3 business days left", ""},
		{"today", legal.KindSubpoena, at(2, 17), "due *today* 17:00 PST", "business"},
		{"overdue", legal.KindSubpoena, at(2, 9), "*overdue*: was due Mon Mar 2, 2026 09:00 PST", ""},
		{"emergency", legal.KindEmergency, at(2, 9), "*IMMEDIATE* · 🚨 not acknowledged", "overdue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &legal.Request{ID: "LE-2026-0001", Status: legal.StatusNew, Due: tt.due,
				Facts: legal.Facts{Kinds: []legal.Kind{tt.kind}}}
			got := e.cmds.line(r)
			if !strings.Contains(got, tt.want) || (tt.avoid != "" && strings.Contains(got, tt.avoid)) {
				t.Fatalf("got %q, want %q (and no %q)", got, tt.want, tt.avoid)
			}
		})
	}
}

// TestAuditNamesPeople checks the history shows an assignee as a mention,
// not the raw user id the audit entry stores.
func TestAuditNamesPeople(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	e.legal(t, member, "assign "+req.ID+" <@"+member2+"|bob>")
	got := e.legal(t, member, "audit "+req.ID)
	if want := "<@" + member + "> assigned the request to <@" + member2 + "> — status New → In review"; !strings.Contains(got, want) {
		t.Fatalf("audit: got %q, want it to contain %q", got, want)
	}
}
