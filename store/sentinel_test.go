package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testredis"
)

// TestSentinelCreateWaitsForReplica: under Sentinel a new request is
// only stored once the replica has it, so a failover cannot lose a mail
// already answered 250. With the replica down, CreateRequest fails (the
// intake answers 451 and the sender retries) — unless wait_replicas=0
// trades that guarantee for availability. A retry once the replica is
// back finds the request the failed attempt wrote.
func TestSentinelCreateWaitsForReplica(t *testing.T) {
	t.Parallel() // its own servers
	sen := testredis.NewSentinel(t)
	prefix := testredis.Prefix(t)
	st := mustOpenRedis(t, sen.URL+"&wait_timeout=300ms", prefix, nil)
	noWait := mustOpenRedis(t, sen.URL+"&wait_replicas=0", prefix, nil)
	// With the replica up a create waits for it; on a loaded machine its
	// confirmation can take longer than the 300 ms that keeps the
	// replica-down creates below short.
	patient := mustOpenRedis(t, sen.URL+"&wait_timeout=10s", prefix, nil)
	ctx := context.Background()
	mustCreate(t, patient, incoming(1, day0))

	restart := sen.StopReplica(t)
	_, _, err := st.CreateRequest(ctx, incoming(2, day0))
	if !errors.Is(err, errNotReplicated) {
		t.Fatalf("create with the replica down: got %v, want errNotReplicated", err)
	}
	if _, _, err := st.CreateRequest(ctx, incoming(2, day0)); !errors.Is(err, errNotReplicated) {
		t.Fatalf("retry with the replica down: got %v, want errNotReplicated (a stored but unreplicated create is not acknowledged)", err)
	}
	mustCreate(t, noWait, incoming(3, day0))

	restart()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, created, err := st.CreateRequest(ctx, incoming(2, day0))
		if err == nil {
			if created || r.MessageID != "m2@agency.gov" {
				t.Errorf("retry after the replica is back: got created=%v %s, want the request the first try stored", created, r.MessageID)
			}
			break
		}
		if !errors.Is(err, errNotReplicated) || time.Now().After(deadline) {
			t.Fatalf("retry after the replica is back: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
