package commands

import (
	"context"

	"github.com/lebot-dev/lebot/store"
)

// homeItems are the outbox items that refresh users' App Home tabs.
func homeItems(users ...string) []store.OutboxItem { return nil }

// PublishHome renders and publishes user's App Home tab.
func (c *Commands) PublishHome(ctx context.Context, user string) error { return nil }
