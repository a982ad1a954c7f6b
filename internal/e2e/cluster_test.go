package e2e

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// openAt opens the store at a REDIS_URL of the test's own deployment,
// encrypted with keys (none: in clear).
func openAt(t *testing.T, url string, keys ...[]byte) store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := store.Open(ctx, store.Config{RedisURL: url, KeyPrefix: "lebot:", EncryptionKeys: keys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestClusterIntakeToCard: with REDIS_URL in the documented Cluster form
// (redis://h1:p1,h2:p2,h3:p3) and STORE_ENCRYPTION_KEY set, ten mails
// over real SMTP sessions become ten stored requests and ten cards that
// show their subjects as sent, and lebot's keys live together on the
// master serving their hash tag's slot.
func TestClusterIntakeToCard(t *testing.T) {
	t.Parallel() // its own servers, fakes and ports
	cl := testredis.NewCluster(t)
	st := openAt(t, cl.URL, bytes.Repeat([]byte{7}, store.EncryptionKeySize))
	fake := fakeslack.New(t)
	p := startPipeline(t, st, fake, nil)

	const n = 10
	o := newOutcomes()
	burst(t, p.addr, "cluster", n, 4, o, time.Now().Add(60*time.Second))
	waitFor(t, "every request's card", 60*time.Second, func() bool { return allCarded(st, n) })
	checkExactlyOnce(t, st, fake, o.acceptedIDs())
	if got := len(o.acceptedIDs()); got != n {
		t.Errorf("got %d mails accepted, want %d", got, n)
	}
	checkCardsShowSubjects(t, st, fake)
	owner, sizes := cl.MasterOf(t, "{lebot}:req:x"), cl.DBSize(t)
	for addr, keys := range sizes {
		if (addr == owner) != (keys > 0) {
			t.Errorf("master %s holds %d keys; want all of lebot's keys on %s, the slot's master (%v)", addr, keys, owner, sizes)
		}
	}
}

// TestSentinelIntakeToCard: the same through Sentinel
// (redis://s1:p1,s2:p2,s3:p3/0?master=NAME).
func TestSentinelIntakeToCard(t *testing.T) {
	t.Parallel() // its own servers, fakes and ports
	sen := testredis.NewSentinel(t)
	st := openAt(t, sen.URL)
	fake := fakeslack.New(t)
	p := startPipeline(t, st, fake, nil)

	const n = 10
	o := newOutcomes()
	burst(t, p.addr, "sentinel", n, 4, o, time.Now().Add(60*time.Second))
	waitFor(t, "every request's card", 60*time.Second, func() bool { return allCarded(st, n) })
	checkExactlyOnce(t, st, fake, o.acceptedIDs())
	if got := len(o.acceptedIDs()); got != n {
		t.Errorf("got %d mails accepted, want %d", got, n)
	}
}

// TestSentinelFailoverDuringIntake: Sentinel promotes the replica in the
// middle of a burst of real SMTP deliveries. Mail refused meanwhile
// (451, or a broken session) is sent again as a real MTA would; in the
// end every mail answered 250 is stored once and has exactly one card:
// 0 lost, 0 duplicated.
func TestSentinelFailoverDuringIntake(t *testing.T) {
	if testing.Short() {
		t.Skip("fault suite: a Sentinel failover under load")
	}
	t.Parallel() // its own servers, fakes and ports
	sen := testredis.NewSentinel(t)
	st := openAt(t, sen.URL)
	fake := fakeslack.New(t)
	p := startPipeline(t, st, fake, nil)

	// Enough mail that the burst outlasts the failover, which takes a
	// few seconds and then leaves the new master without a replica until
	// Sentinel has the old one resync (seconds, with testredis's Sentinel
	// timing; about 15 s with the defaults): meanwhile the intake
	// answers 451, since no replica can confirm a new request.
	const n = 200
	o := newOutcomes()
	deadline := time.Now().Add(150 * time.Second)
	var wg sync.WaitGroup
	wg.Go(func() { burst(t, p.addr, "failover", n, 4, o, deadline) })

	waitFor(t, "mail accepted before the failover", 60*time.Second, func() bool { return len(o.acceptedIDs()) >= 20 })
	before, old := len(o.acceptedIDs()), sen.MasterAddr(t)
	now := sen.Failover(t)
	t.Logf("failover: master %s -> %s after %d of %d mails accepted", old, now, before, n)
	wg.Wait()
	if t.Failed() {
		return
	}
	after := len(o.acceptedIDs())
	if after == before || o.count(451)+o.count(0) == 0 {
		t.Fatal("no delivery was refused or accepted after the failover: it never reached the intake")
	}
	t.Logf("deliveries: %d accepted (%d after the failover began), %d answered 451, %d sessions broken",
		o.count(250), after-before, o.count(451), o.count(0))
	waitFor(t, "every request's card", 60*time.Second, func() bool { return allCarded(st, n) })
	checkExactlyOnce(t, st, fake, o.acceptedIDs())
}

// checkCardsShowSubjects: each request's card shows the subject of the
// mail it came from, as sent: nothing reaches a card still encrypted.
func checkCardsShowSubjects(t *testing.T, st store.Store, fake *fakeslack.Server) {
	t.Helper()
	reqs, err := st.ListByStatus(context.Background(), legal.StatusNew, 0)
	if err != nil {
		t.Fatal(err)
	}
	cards := map[string][]byte{}
	for _, m := range fake.TopLevel(channel) {
		cards[m.TS] = m.Blocks
	}
	for _, r := range reqs {
		want := "Grand jury subpoena " + strings.TrimSuffix(r.MessageID, "@fbi.gov")
		if !bytes.Contains(cards[r.CardTS], []byte(want)) {
			t.Errorf("the card of %s does not show %q", r.ID, want)
		}
	}
}
