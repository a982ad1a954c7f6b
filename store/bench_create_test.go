package store

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
)

// BenchmarkCreateConcurrent is intake's load on the store alone: 10
// goroutines (5 per CPU on this 2-core machine) create distinct requests
// carrying a 20 KB message, each create durable before it returns (Redis:
// written; bbolt: fsynced). ns/op is wall time per create across all of
// them: its inverse is the store's create rate under that load.
func BenchmarkCreateConcurrent(b *testing.B) {
	for _, be := range benchBackends(b) {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b)
			pad := bytes.Repeat([]byte("records of the account, "), 20<<10/24)
			var next atomic.Int64
			b.SetParallelism(5)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					in := incoming(int(next.Add(1)), day0)
					in.Raw = append(in.Raw, pad...)
					if _, created, err := s.CreateRequest(context.Background(), in); err != nil || !created {
						b.Errorf("create: created=%v, %v", created, err)
						return
					}
				}
			})
		})
	}
}
