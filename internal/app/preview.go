package app

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/store"
)

// printPreview prints, indented, the text each outbox item of a dry run
// would send, so an operator sees the reminders and the digest as the
// team would, not only their ids. The texts are lebot's own (ids, kinds,
// dates): nothing from a request's mail.
func printPreview(w io.Writer, items []store.OutboxItem) {
	for _, it := range items {
		var where, text string
		switch it.Kind {
		case bot.KindReminder:
			var p bot.ReminderPayload
			if json.Unmarshal(it.Payload, &p) != nil {
				continue
			}
			where, text = "in the card's thread", p.Text
			if p.User != "" {
				where = "DM to " + p.User
			} else if p.Broadcast {
				where += " (also sent to the channel)"
			}
		case bot.KindDigest:
			var p bot.DigestPayload
			if json.Unmarshal(it.Payload, &p) != nil {
				continue
			}
			where, text = "in channel "+p.Channel, bot.DigestText(p)
		case bot.KindDigestChart:
			where, text = "chart", "a PNG of open requests by age and status (--chart FILE.png writes it)"
		case bot.KindDigestMail:
			var p bot.DigestMailPayload
			if json.Unmarshal(it.Payload, &p) != nil {
				continue
			}
			where, text = fmt.Sprintf("e-mail to %d address(es)", len(p.To)), "the digest's text, as above"
		default:
			continue
		}
		fmt.Fprintf(w, "  %s:\n", where)
		for line := range strings.SplitSeq(strings.TrimRight(text, "\n"), "\n") {
			fmt.Fprintf(w, "    │ %s\n", line)
		}
	}
}

// writeChart writes the chart of the digest among items to j.chart.
func (j *jobRun) writeChart(items []store.OutboxItem) error {
	if j.chart == "" {
		return nil
	}
	for _, it := range items {
		if it.Kind != bot.KindDigestChart {
			continue
		}
		var p bot.DigestPayload
		if err := json.Unmarshal(it.Payload, &p); err != nil {
			return fmt.Errorf("chart: %w", err)
		}
		png, err := bot.ChartPNG(p)
		if err != nil {
			return fmt.Errorf("chart: %w", err)
		}
		if err := os.WriteFile(j.chart, png, 0o644); err != nil {
			return fmt.Errorf("--chart: %w", err)
		}
		fmt.Fprintf(j.out, "chart: wrote %s (%d bytes)\n", j.chart, len(png))
	}
	return nil
}
