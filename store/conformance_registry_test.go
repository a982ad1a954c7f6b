package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/legal/agency"
)

// The agency registry's conformance suite, run against both backends.

func TestRedisRegistryConformance(t *testing.T) { runRegistryConformance(t, redisBackend(t, nil)) }

func TestBoltRegistryConformance(t *testing.T) { runRegistryConformance(t, boltBackend(nil)) }

func TestRedisRegistryConformanceEncrypted(t *testing.T) {
	runRegistryConformance(t, redisBackend(t, [][]byte{testKey(1)}))
}

func TestBoltRegistryConformanceEncrypted(t *testing.T) {
	runRegistryConformance(t, boltBackend([][]byte{testKey(1)}))
}

func runRegistryConformance(t *testing.T, b backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s Store)
	}{
		{"CountsOnCreateOnce", testRegistryCounts},
		{"CallbackRemembered", testRegistryCallback},
		{"LookAlikeOfKnown", testRegistryLookAlike},
		{"SettingsOptimistic", testRegistrySettings},
		{"Lists", testRegistryLists},
		{"ConcurrentCreates", testRegistryConcurrent},
		{"EachReceived", testEachReceived},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, b.open(t, newClock()))
		})
	}
}

// from is message n sent by agent at domain.
func from(n int, at time.Time, domain string, official bool, agent legal.Agent) Incoming {
	in := incoming(n, at)
	in.Request.Facts.SenderDomain = domain
	in.Request.Facts.SenderOfficial = official
	in.Request.Verification.Official = official
	in.Request.Facts.Agent = agent
	return in
}

var (
	dana = legal.Agent{Name: "Dana Reyes", Email: "Dana.Reyes@fbi.gov", Phone: "+12025550199"}
	lee  = legal.Agent{Name: "Sam Lee", Email: "sam.lee@fbi.gov"}
)

func mustAgency(tb testing.TB, s Store, domain string) *Agency {
	tb.Helper()
	a, err := s.Agency(context.Background(), domain)
	if err != nil {
		tb.Fatalf("agency %s: %v", domain, err)
	}
	return a
}

func testRegistryCounts(t *testing.T, s Store) {
	ctx := context.Background()
	if _, err := s.Agency(ctx, "fbi.gov"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown agency: got %v, want ErrNotFound", err)
	}
	var reqs []*legal.Request
	for i := range 3 {
		reqs = append(reqs, mustCreate(t, s, from(i+1, day0.Add(time.Duration(i)*time.Hour), "FBI.gov", true, dana)))
	}
	// The same mail delivered again is the same request and counts once.
	if _, created, err := s.CreateRequest(ctx, from(2, day0.Add(time.Hour), "fbi.gov", true, dana)); err != nil || created {
		t.Fatalf("redelivery: got created=%v, %v; want the stored request", created, err)
	}
	for i, r := range reqs {
		h := mustGet(t, s, r.ID).Sender
		if h == nil || h.Domain != "fbi.gov" || h.Earlier != i || h.AgentEarlier != i || h.Agent != nil || h.LookAlike != "" {
			t.Errorf("request %d: got sender history %+v, want %d earlier from fbi.gov and the agent, no callback", i+1, h, i)
		}
	}
	a := mustAgency(t, s, "fbi.gov")
	ag := a.Agent("dana.reyes@fbi.gov")
	if a.Requests != 3 || !a.Official || !a.First.Equal(day0) || !a.Last.Equal(day0.Add(2*time.Hour)) ||
		ag == nil || ag.Requests != 3 || ag.Name != "Dana Reyes" {
		t.Errorf("got agency %+v, want 3 requests from Dana Reyes at an official domain", a)
	}
	if a.Verified() != nil || !a.Known() {
		t.Errorf("got verified %+v known %v, want no callback yet but known (official)", a.Verified(), a.Known())
	}
	// A request with no sender domain leaves the registry alone.
	r := mustCreate(t, s, from(9, day0, "", false, legal.Agent{}))
	if got := mustGet(t, s, r.ID); got.Sender != nil {
		t.Errorf("no domain: got sender history %+v, want none", got.Sender)
	}
}

func testRegistryCallback(t *testing.T, s Store) {
	first := mustCreate(t, s, from(1, day0, "fbi.gov", true, dana))
	cb := legal.Callback{Phone: "+12025550111", Result: legal.CallbackConfirmed, By: "U1ALICE", At: day0.Add(time.Hour)}
	first.Callbacks = append(first.Callbacks, cb)
	mustUpdate(t, s, first, "verify")
	mustUpdate(t, s, first, "note") // no new callback: nothing is added again
	ag := mustAgency(t, s, "fbi.gov").Agent("dana.reyes@fbi.gov")
	if ag == nil || len(ag.Callbacks) != 1 || ag.Callbacks[0].RequestID != first.ID || ag.Callbacks[0].Phone != cb.Phone {
		t.Fatalf("got agent %+v, want one callback from %s", ag, first.ID)
	}

	second := mustGet(t, s, mustCreate(t, s, from(2, day0.Add(24*time.Hour), "fbi.gov", true, dana)).ID)
	want := legal.KnownCallback{Agent: "Dana Reyes", Phone: "+12025550111", By: "U1ALICE", At: cb.At, RequestID: first.ID}
	if h := second.Sender; h == nil || h.Agent == nil || !h.Agent.At.Equal(want.At) || h.Agent.Phone != want.Phone ||
		h.Agent.By != want.By || h.Agent.RequestID != want.RequestID || h.Agent.Agent != want.Agent || h.AgentEarlier != 1 {
		t.Errorf("second request from the agent: got %+v, want the agent's callback %+v", h, want)
	}
	other := mustGet(t, s, mustCreate(t, s, from(3, day0.Add(25*time.Hour), "fbi.gov", true, lee)).ID)
	if h := other.Sender; h == nil || h.Agent != nil || h.Agency == nil || h.Agency.Phone != cb.Phone || h.AgentEarlier != 0 || h.Earlier != 2 {
		t.Errorf("another agent: got %+v, want the agency's callback and no agent history", h)
	}

	// A failed callback is remembered but verifies nothing.
	other.Callbacks = append(other.Callbacks, legal.Callback{Phone: "+12025550100", Result: legal.CallbackFailed, By: "U2", At: day0.Add(26 * time.Hour)})
	mustUpdate(t, s, other, "verify")
	a := mustAgency(t, s, "fbi.gov")
	if v := a.Verified(); v == nil || v.Phone != cb.Phone || len(a.Agent("sam.lee@fbi.gov").Callbacks) != 1 {
		t.Errorf("after a failed call: got verified %+v, agent %+v; want Dana's confirmed callback still", v, a.Agent("sam.lee@fbi.gov"))
	}
}

func testRegistryLookAlike(t *testing.T, s Store) {
	// Before fbi.gov is known, fbi-gov.com resembles nothing known.
	early := mustGet(t, s, mustCreate(t, s, from(1, day0, "fbi-gov.com", false, dana)).ID)
	if early.Sender == nil || early.Sender.LookAlike != "" {
		t.Fatalf("nothing known yet: got %+v, want no look-alike", early.Sender)
	}
	mustCreate(t, s, from(2, day0.Add(time.Hour), "fbi.gov", true, dana))
	late := mustGet(t, s, mustCreate(t, s, from(3, day0.Add(2*time.Hour), "fbi-gov.com", false, dana)).ID)
	if h := late.Sender; h == nil || h.LookAlike != "fbi.gov" || h.LookAlikeReason == "" || h.Earlier != 1 {
		t.Errorf("after fbi.gov is known: got %+v, want a look-alike of fbi.gov", h)
	}
	// A callback-verified non-official domain becomes known too.
	pd := mustCreate(t, s, from(4, day0.Add(3*time.Hour), "lapdonline.org", false, legal.Agent{Name: "Pat Kim"}))
	pd.Callbacks = []legal.Callback{{Phone: "+12135550100", Result: legal.CallbackConfirmed, By: "U1", At: day0.Add(4 * time.Hour)}}
	mustUpdate(t, s, pd, "verify")
	spoof := mustGet(t, s, mustCreate(t, s, from(5, day0.Add(5*time.Hour), "lapdonline.com", false, legal.Agent{})).ID)
	if h := spoof.Sender; h == nil || h.LookAlike != "lapdonline.org" {
		t.Errorf("look-alike of a verified domain: got %+v, want lapdonline.org", h)
	}
	again := mustGet(t, s, mustCreate(t, s, from(6, day0.Add(6*time.Hour), "lapdonline.org", false, legal.Agent{Name: "Pat Kim"})).ID)
	if h := again.Sender; h == nil || h.LookAlike != "" || h.Agent == nil {
		t.Errorf("the verified domain itself: got %+v, want the known agent and no look-alike", h)
	}
}

func testRegistrySettings(t *testing.T, s Store) {
	ctx := context.Background()
	// The team may set a domain before any request came from it.
	a := &Agency{Domain: "Sheriff.Example.org", Level: agency.LevelLocal, Country: "US", SetBy: "U1", SetAt: day0}
	if err := s.SetAgency(ctx, a); err != nil || a.Version != 1 || a.Domain != "sheriff.example.org" {
		t.Fatalf("set new: got %v, version %d, domain %s", err, a.Version, a.Domain)
	}
	stale := *a
	a.Level = agency.LevelState
	if err := s.SetAgency(ctx, a); err != nil || a.Version != 2 {
		t.Fatalf("set again: got %v, version %d", err, a.Version)
	}
	if err := s.SetAgency(ctx, &stale); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale set: got %v, want ErrConflict", err)
	}
	mustCreate(t, s, from(1, day0, "sheriff.example.org", false, lee))
	got := mustAgency(t, s, "sheriff.example.org")
	if got.Level != agency.LevelState || got.Country != "US" || got.SetBy != "U1" || got.Requests != 1 || got.Version != 3 {
		t.Errorf("after a create: got %+v, want the team's settings kept and one request", got)
	}
	if err := s.SetAgency(ctx, &Agency{Domain: "not a domain"}); err == nil {
		t.Error("set a non-domain: got nil error")
	}
}

func testRegistryLists(t *testing.T, s Store) {
	ctx := context.Background()
	for i, d := range []string{"fbi.gov", "dea.gov", "fbi.gov", "ohio.gov"} {
		mustCreate(t, s, from(i+1, day0.Add(time.Duration(i)*time.Hour), d, true, legal.Agent{}))
	}
	as, err := s.Agencies(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range as {
		got = append(got, a.Domain)
	}
	if want := []string{"ohio.gov", "fbi.gov", "dea.gov"}; !slices.Equal(got, want) {
		t.Errorf("agencies: got %v, want %v (latest first)", got, want)
	}
	if as, _ := s.Agencies(ctx, 1); len(as) != 1 {
		t.Errorf("agencies limit 1: got %d", len(as))
	}
	reqs, total, err := s.AgencyRequests(ctx, "FBI.GOV", 1)
	if err != nil || total != 2 || len(reqs) != 1 || reqs[0].ID != "LE-2026-0003" {
		t.Errorf("requests from fbi.gov: got %v total %d, %v; want LE-2026-0003 of 2", ids(reqs), total, err)
	}
}

func testRegistryConcurrent(t *testing.T, s Store) {
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := s.CreateRequest(context.Background(), from(i+1, day0.Add(time.Duration(i)*time.Minute), "fbi.gov", true, dana)); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if a := mustAgency(t, s, "fbi.gov"); a.Requests != n || a.Agent("dana.reyes@fbi.gov").Requests != n {
		t.Fatalf("got %d requests, want %d", a.Requests, n)
	}
	// Each create saw the registry as the one before it left it.
	var earlier []int
	reqs, _, err := s.AgencyRequests(context.Background(), "fbi.gov", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		earlier = append(earlier, r.Sender.Earlier)
	}
	slices.Sort(earlier)
	for i, e := range earlier {
		if e != i {
			t.Fatalf("earlier counts: got %v, want each of 0..%d once", earlier, n-1)
		}
	}
}

func testEachReceived(t *testing.T, s Store) {
	ctx := context.Background()
	var want []string
	for i := range 7 {
		r := mustCreate(t, s, incoming(i+1, day0.Add(time.Duration(i)*24*time.Hour)))
		r.Status = legal.Statuses[i%len(legal.Statuses)] // spread over every status set
		mustUpdate(t, s, r, "status")
		if i >= 1 && i < 6 {
			want = append(want, r.ID)
		}
	}
	var got []string
	err := s.EachReceived(ctx, day0.Add(24*time.Hour), day0.Add(6*24*time.Hour), func(r *legal.Request) error {
		got = append(got, r.ID)
		return nil
	})
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("received in range: got %v, %v; want %v (from inclusive, to exclusive, earliest first)", got, err, want)
	}
	stop := errors.New("stop")
	n := 0
	err = s.EachReceived(ctx, day0, day0.Add(30*24*time.Hour), func(*legal.Request) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("fn error: got %v after %d calls, want it returned after 1", err, n)
	}
	if err := s.EachReceived(ctx, day0.AddDate(1, 0, 0), day0.AddDate(2, 0, 0), func(*legal.Request) error {
		return fmt.Errorf("called for nothing")
	}); err != nil {
		t.Errorf("empty range: got %v", err)
	}
}
