package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/redis/go-redis/v9"
	bolt "go.etcd.io/bbolt"
)

// Run: go test -run x -bench . -benchtime 2000x ./store/

type benchBackend struct {
	name string
	open func(b *testing.B) Store
}

func benchBackends(b *testing.B) []benchBackend {
	url := testredis.URL(b)
	return []benchBackend{
		{"redis", func(b *testing.B) Store { return mustOpenRedis(b, url, testredis.PrefixCleanup(b, url), nil) }},
		{"bolt", func(b *testing.B) Store { return mustOpenBolt(b, b.TempDir(), nil) }},
	}
}

// seedDue stores n requests whose Due times are one minute apart from
// day0, in large batches (one bbolt transaction or one Redis pipeline
// per batch) rather than n separate durable writes.
func seedDue(b *testing.B, s Store, n int) {
	b.Helper()
	const batch = 5000
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		var err error
		switch s := s.(type) {
		case *Bolt:
			err = s.db.Update(func(tx *bolt.Tx) error {
				for i := start; i < end; i++ {
					in := incoming(i, day0)
					in.Request.Due = day0.Add(time.Duration(i) * time.Minute)
					if _, _, err := createTx(btx{tx, s.cr}, in, day0); err != nil {
						return err
					}
				}
				return nil
			})
		case *Redis:
			ctx := context.Background()
			_, err = s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
				for i := start; i < end; i++ {
					in := incoming(i, day0)
					in.Request.Due = day0.Add(time.Duration(i) * time.Minute)
					if err := draft(&in); err != nil {
						return err
					}
					id := FormatID(2026, uint64(i+1))
					plan := s.cr.dedupPlan(in.MessageID, in.Raw)
					v := id
					if plan.hasMID {
						v = formatMid([]midEntry{{id, plan.content}})
					}
					p.Set(ctx, s.k.dedup(plan.key), v, 0)
					if err := finishCreate(&in, id, day0); err != nil {
						return err
					}
					body, _ := json.Marshal(&in.Request)
					p.Set(ctx, s.k.request(id), body, 0)
					p.Set(ctx, s.k.raw(id), in.Raw, 0)
					s.reindex(ctx, p, nil, &in.Request)
				}
				// As CreateRequest leaves them, so a later create takes the next id.
				p.Set(ctx, s.k.seq(2026), end, 0)
				p.SAdd(ctx, s.k.years(), 2026)
				return nil
			})
		}
		if err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
}

// benchSizes are the store sizes issue 2 asks the create, get and range
// costs at: each must stay about flat from 1k to 100k stored.
var benchSizes = []int{1_000, 100_000}

// BenchmarkCreate creates requests (one durable atomic write each) into a
// store already holding 1k or 100k.
func BenchmarkCreate(b *testing.B) {
	for _, be := range benchBackends(b) {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/%dk", be.name, n/1000), func(b *testing.B) {
				s := be.open(b)
				seedDue(b, s, n)
				i := n
				for b.Loop() {
					i++
					if _, created, err := s.CreateRequest(context.Background(), incoming(i, day0)); err != nil || !created {
						b.Fatalf("create %d: created=%v, %v", i, created, err)
					}
				}
			})
		}
	}
}

// BenchmarkGet reads requests spread over the whole store of 1k or 100k.
func BenchmarkGet(b *testing.B) {
	for _, be := range benchBackends(b) {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/%dk", be.name, n/1000), func(b *testing.B) {
				s := be.open(b)
				seedDue(b, s, n)
				i := 0
				for b.Loop() {
					i += 7919 // a prime stride, so reads do not walk the file in order
					if _, err := s.GetRequest(context.Background(), FormatID(2026, uint64(i%n+1))); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRangeDue asks the due index for a 10-minute window (10
// requests) with 1k and 100k stored: the cost must not grow with N.
func BenchmarkRangeDue(b *testing.B) {
	for _, be := range benchBackends(b) {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/%dk", be.name, n/1000), func(b *testing.B) {
				s := be.open(b)
				seedDue(b, s, n)
				from := day0.Add(time.Duration(n/2) * time.Minute)
				to := from.Add(10 * time.Minute)
				for b.Loop() {
					rs, err := s.Range(context.Background(), IndexDue, from, to, 0)
					if err != nil || len(rs) != 10 {
						b.Fatalf("got %d results, %v; want 10", len(rs), err)
					}
				}
			})
		}
	}
}

// BenchmarkBoltFileCheck: the structure check OpenBolt runs on an
// existing lebot.db, on a file of 20,000 requests (raw messages, audit
// trails, indexes, outbox items).
func BenchmarkBoltFileCheck(b *testing.B) {
	dir := b.TempDir()
	s := mustOpenBolt(b, dir, nil)
	seedDue(b, s, 20000)
	s.Close()
	fi, err := os.Stat(s.Path())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if reason := checkBoltFile(s.Path()); reason != "" {
			b.Fatal(reason)
		}
	}
	b.ReportMetric(float64(fi.Size())/(1<<20), "file-MiB")
}

// BenchmarkEncryption: the cost of STORE_ENCRYPTION_KEY on a create (one
// durable write: the request, raw message, audit entry and outbox item
// sealed) and a get (one request opened), against the same in clear.
func BenchmarkEncryption(b *testing.B) {
	url := testredis.URL(b)
	for _, be := range []string{"redis", "bolt"} {
		for _, enc := range []string{"clear", "encrypted"} {
			var keys [][]byte
			if enc == "encrypted" {
				keys = [][]byte{testKey(1)}
			}
			open := func(b *testing.B) Store {
				if be == "redis" {
					return mustOpenRedisKeys(b, url, testredis.PrefixCleanup(b, url), nil, keys)
				}
				return mustOpenBoltKeys(b, b.TempDir(), nil, keys)
			}
			b.Run(be+"/"+enc+"/create", func(b *testing.B) {
				s, i := open(b), 0
				for b.Loop() {
					i++
					if _, _, err := s.CreateRequest(context.Background(), incoming(i, day0)); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(be+"/"+enc+"/get", func(b *testing.B) {
				s := open(b)
				for i := range 100 {
					mustCreate(b, s, incoming(i, day0))
				}
				i := 0
				for b.Loop() {
					i++
					if _, err := s.GetRequest(context.Background(), FormatID(2026, uint64(i%100+1))); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
