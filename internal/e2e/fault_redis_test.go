package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/store"
)

// TestFaultRedisRestartDuringIntake kills Redis twice while a stream of
// real SMTP deliveries arrives. While it is down the intake answers 451
// and the senders retry, as real MTAs do; afterwards every message that
// got 250 is stored once and carded once. Redis runs with an fsynced
// append-only file, as production should: a write it acknowledged
// survives its kill.
func TestFaultRedisRestartDuringIntake(t *testing.T) {
	t.Parallel() // each on its own store, fakes and ports
	if testing.Short() {
		t.Skip("fault suite: kills and restarts a redis-server")
	}
	rs := testredis.NewPersistent(t) // ours to kill, whatever REDIS_URL says
	st, err := store.Open(context.Background(), store.Config{RedisURL: rs.URL, KeyPrefix: "lebot:"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fake := fakeslack.New(t)
	// While Redis is down the store's client keeps redialling until the
	// intake's StoreTimeout ends the try with 451: a short one lets the
	// senders see their 451s and retry sooner. (A write slower than it
	// with Redis up is answered 451 too, and retried like the others.)
	p := startPipelineWith(t, st, fake, nil, pipeOpts{storeTimeout: 500 * time.Millisecond})

	const n = 120
	o := newOutcomes()
	deadline := time.Now().Add(90 * time.Second)
	var wg sync.WaitGroup
	wg.Go(func() { burst(t, p.addr, "redis", n, 4, o, deadline) })

	// Two outages, each starting once more mail has been accepted and
	// lasting until the intake has refused several deliveries with 451.
	for round := 1; round <= 2; round++ {
		waitFor(t, "mail accepted before outage", 60*time.Second, func() bool { return len(o.acceptedIDs()) >= round*n/4 })
		refused := o.count(451)
		rs.Stop()
		t.Logf("outage %d: Redis killed after %d accepted", round, len(o.acceptedIDs()))
		waitFor(t, "451s during the outage", 30*time.Second, func() bool { return o.count(451) >= refused+6 })
		rs.Start()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if o.count(451) == 0 {
		t.Fatal("no delivery was refused with 451: the outage never reached the intake")
	}
	t.Logf("deliveries: %d accepted, %d answered 451, %d sessions broken", o.count(250), o.count(451), o.count(0))
	waitCarded(t, st, fake, n, 60*time.Second)
	checkExactlyOnce(t, st, fake, o.acceptedIDs())
}
