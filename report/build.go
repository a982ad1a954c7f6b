package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/legal/agency"
	"github.com/lebot-dev/lebot/store"
)

// Source is what Build reads; store.Store satisfies it.
type Source interface {
	EachReceived(ctx context.Context, from, to time.Time, fn func(*legal.Request) error) error
	Agency(ctx context.Context, domain string) (*store.Agency, error)
}

var _ Source = store.Store(nil)

// Build counts the requests received in p. An agency's level and country
// are the team's settings in the registry where set, else what its
// domain says (agency.Classify); each domain is read once.
func Build(ctx context.Context, src Source, p Period) (*Report, error) {
	t := NewTally()
	type where struct {
		level   agency.Level
		country string
	}
	cache := map[string]where{}
	err := src.EachReceived(ctx, p.From, p.To, func(r *legal.Request) error {
		d := r.Facts.SenderDomain
		w, ok := cache[d]
		if !ok {
			w.level, w.country = agency.Classify(d)
			a, err := src.Agency(ctx, d)
			switch {
			case err == nil:
				w.level = cmpOr(a.Level, w.level)
				w.country = cmpOr(a.Country, w.country)
			case !errors.Is(err, store.ErrNotFound):
				return fmt.Errorf("agency of %s: %w", r.ID, err)
			}
			cache[d] = w
		}
		t.Add(r, w.level, w.country)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", p.Label, err)
	}
	return t.Report(p), nil
}
