package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// KindHome is the outbox kind that republishes a user's App Home tab
// after a change; payload HomePayload. main registers SendHome for it
// (Register).
const KindHome = "slack.home"

// HomePayload names whose App Home to refresh.
type HomePayload struct {
	UserID string `json:"user_id"`
}

// How far ahead the App Home looks.
const (
	dueSoonDays      = 3  // business days
	preservationDays = 14 // calendar days
)

// homeItems are the outbox items that refresh users' App Home tabs.
func homeItems(users ...string) []store.OutboxItem {
	seen := map[string]bool{}
	var out []store.OutboxItem
	for _, u := range users {
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		b, _ := json.Marshal(HomePayload{UserID: u})
		out = append(out, store.OutboxItem{Kind: KindHome, Payload: b})
	}
	return out
}

// Register registers SendHome with the outbox dispatcher.
func (c *Commands) Register(d *outbox.Dispatcher) { bot.Handle(d, KindHome, "slack", c.SendHome) }

// SendHome delivers a KindHome outbox item.
func (c *Commands) SendHome(ctx context.Context, it store.OutboxItem) error {
	var p HomePayload
	if err := json.Unmarshal(it.Payload, &p); err != nil || p.UserID == "" {
		return outbox.Permanent(fmt.Errorf("outbox item %s: bad home payload", it.ID))
	}
	return c.PublishHome(ctx, p.UserID)
}

// PublishHome renders and publishes user's App Home tab. Someone outside
// the legal team gets the tab without any request data.
func (c *Commands) PublishHome(ctx context.Context, user string) error {
	ok, err := c.auth.allowed(ctx, user)
	if err != nil {
		return err
	}
	d := bot.HomeData{Member: ok}
	if ok {
		if d, err = c.homeData(ctx, user); err != nil {
			return err
		}
	}
	view := bot.HomeView(d, c.now(), c.cal)
	if _, err := c.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view}); err != nil {
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) {
			return outbox.RetryAfter(rl.RetryAfter, err)
		}
		return fmt.Errorf("views.publish: %w", err)
	}
	return nil
}

func (c *Commands) homeData(ctx context.Context, user string) (bot.HomeData, error) {
	now := c.now()
	d := bot.HomeData{Member: true}
	var err error
	if d.Mine, err = c.st.ListByAssignee(ctx, user, listLimit); err != nil {
		return d, fmt.Errorf("home mine: %w", err)
	}
	if d.Emergencies, err = c.emergencies(ctx, now); err != nil {
		return d, fmt.Errorf("home emergencies: %w", err)
	}
	overdue, err := c.st.Range(ctx, store.IndexDue, time.Unix(0, 0), now, listLimit)
	if err != nil {
		return d, fmt.Errorf("home overdue: %w", err)
	}
	for _, r := range overdue { // emergencies have their own section
		if !slices.ContainsFunc(d.Emergencies, func(e *legal.Request) bool { return e.ID == r.ID }) {
			d.Overdue = append(d.Overdue, r)
		}
	}
	soon := c.cal.EndOfBusinessDay(c.cal.AddBusinessDays(c.cal.DateOf(now), dueSoonDays))
	if d.DueSoon, err = c.st.Range(ctx, store.IndexDue, now, soon.Add(time.Second), listLimit); err != nil {
		return d, fmt.Errorf("home due soon: %w", err)
	}
	today := c.cal.DateOf(now)
	var pres []*legal.Request
	if pres, err = c.st.Range(ctx, store.IndexPreservation, today.In(time.UTC),
		today.AddDays(preservationDays+1).In(time.UTC), listLimit); err != nil {
		return d, fmt.Errorf("home preservations: %w", err)
	}
	d.Preservations = pres
	if d.Unverified, err = c.unverified(ctx); err != nil {
		return d, fmt.Errorf("home unverified: %w", err)
	}
	return d, nil
}
