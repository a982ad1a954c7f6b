package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestBoltBatchUpdate: calls made at once share commits, yet each call's
// error is its own: the one that fails leaves nothing, the others are
// all stored.
func TestBoltBatchUpdate(t *testing.T) {
	s := mustOpenBolt(t, t.TempDir(), nil)
	ctx := context.Background()
	const n, bad = 32, 7
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.batchUpdate(ctx, func(tx btx) error {
				if err := tx.Bucket(bLocks).Put(fmt.Appendf(nil, "k%d", i), []byte("v")); err != nil {
					return err
				}
				if i == bad {
					return errors.New("refused")
				}
				return nil
			})
		})
	}
	wg.Wait()
	err := s.view(ctx, func(tx btx) error {
		for i := range n {
			got := tx.Bucket(bLocks).Get(fmt.Appendf(nil, "k%d", i)) != nil
			if (i == bad) == (errs[i] == nil) || got != (i != bad) {
				t.Errorf("call %d: err %v, stored %v", i, errs[i], got)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
