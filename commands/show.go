package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

func init() {
	register(&subcommand{name: "show", usage: "ID", summary: "show a request's card, with the letter's words for its period, deadline and NDO", run: runShow})
}

func runShow(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) != 1 {
		return nil, errUsage()
	}
	req, err := c.lookup(ctx, in.args[0])
	if err != nil {
		return nil, err
	}
	card := bot.Card(req, c.now(), c.cal)
	blocks := card.Blocks
	if ev := bot.EvidenceText(req); ev != "" {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwnText(ev), nil, nil))
	}
	return &bot.Reply{Text: card.Text, Blocks: append(blocks, identifierBlocks(req, 50-len(blocks))...)}, nil
}

// Limits of the full list: the card shows at most cardIdentifiers in
// one section (cardSection characters) and points here for the rest; a
// Slack message holds 50 blocks of 3000 characters.
const (
	cardIdentifiers = 25
	cardSection     = 2960
	listSection     = 2900
)

// identifierBlocks lists every identifier of req, in at most room
// sections, when the card could not show them all; it says plainly how
// many it could not fit.
func identifierBlocks(req *legal.Request, room int) []slack.Block {
	ids := req.Facts.Identifiers
	if room < 1 || len(ids) == 0 {
		return nil
	}
	size := len(fmt.Sprintf("*Targets (%d):*", len(ids)))
	for _, id := range ids {
		size += len("\n• `" + escape(id) + "`")
	}
	if len(ids) <= cardIdentifiers && size <= cardSection {
		return nil // the card shows them all
	}
	var (
		blocks []slack.Block
		b      strings.Builder
	)
	fmt.Fprintf(&b, "*All %d identifiers:*", len(ids))
	for i, id := range ids {
		line := "\n• `" + escape(strings.ReplaceAll(id, "`", "'")) + "`"
		if b.Len()+len(line) <= listSection {
			b.WriteString(line)
			continue
		}
		if len(blocks)+1 == room { // the last section says what is left
			fmt.Fprintf(&b, "\n…and %d more that do not fit in one Slack message.", len(ids)-i)
			break
		}
		blocks = append(blocks, slack.NewSectionBlock(mrkdwnText(b.String()), nil, nil))
		b.Reset()
		b.WriteString(strings.TrimPrefix(line, "\n"))
	}
	return append(blocks, slack.NewSectionBlock(mrkdwnText(b.String()), nil, nil))
}
