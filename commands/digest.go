package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/lebot-dev/lebot/bot"
)

// Digester builds the managers' digest as of now, with arrivals since
// since; *jobs.Digest satisfies it (internal/app wires it: commands does
// not import jobs). It is safe for concurrent use and honours ctx.
type Digester interface {
	Build(ctx context.Context, now, since time.Time) (bot.DigestPayload, error)
}

func init() {
	register(&subcommand{name: "digest", summary: "post the managers' digest to the digest channel now " +
		"(arrivals of the last 24 hours; the scheduled digest still goes out)", run: runDigest})
}

// runDigest posts an extra digest on demand, through the outbox like the
// scheduled one but under its own key, so it neither replaces nor
// suppresses the next scheduled digest.
func runDigest(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) > 0 {
		return nil, errUsage()
	}
	if c.digest == nil {
		return text("The digest is not configured in this lebot, so there is nothing to post."), nil
	}
	now := c.now()
	p, err := c.digest.Build(ctx, now, now.Add(-24*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("build digest: %w", err)
	}
	p.At, p.Asked, p.Key = now, true, "digest:asked:"+in.user+":"+now.UTC().Format(time.RFC3339Nano)
	if err := c.st.Enqueue(ctx, bot.DigestItems(p)...); err != nil {
		return nil, fmt.Errorf("enqueue digest: %w", err)
	}
	c.kick()
	return text(fmt.Sprintf("Posting the digest to <#%s> now.", p.Channel)), nil
}
