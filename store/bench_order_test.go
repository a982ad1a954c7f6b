package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkClaimAck delivers outbox items one claim and ack at a time,
// unordered and in order groups (each group's items waiting behind its
// head), with 1,000 items waiting: the price of keeping order.
func BenchmarkClaimAck(b *testing.B) {
	for _, be := range benchBackends(b) {
		for _, order := range []string{"", "slack.thread"} {
			name := "unordered"
			if order != "" {
				name = "ordered"
			}
			b.Run(be.name+"/"+name, func(b *testing.B) {
				s := be.open(b)
				ctx := context.Background()
				seq := 0
				fill := func(n int) {
					items := make([]OutboxItem, n)
					for i := range items {
						seq++
						items[i] = OutboxItem{Kind: "slack.thread", RequestID: fmt.Sprintf("R%d", seq%50), Order: order}
					}
					if err := s.Enqueue(ctx, items...); err != nil {
						b.Fatal(err)
					}
				}
				// 1,000 items wait; each one delivered is replaced by a
				// new one, so the store never holds more.
				fill(1000)
				at := time.Now().Add(time.Hour)
				for b.Loop() {
					got, err := s.Claim(ctx, at, time.Minute, 1)
					if err != nil {
						b.Fatal(err)
					}
					if len(got) == 0 {
						b.Fatal("nothing claimable while 1,000 items wait")
					}
					if err := s.Ack(ctx, got[0].ID); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					fill(1)
					b.StartTimer()
				}
			})
		}
	}
}
