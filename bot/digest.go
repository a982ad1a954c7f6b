package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// The digest's outbox kinds: the message in the digest channel, and its
// chart uploaded beside it. Both carry a DigestPayload.
const (
	KindDigest      = "slack.digest"
	KindDigestChart = "slack.digest_chart"
)

// digestEventType marks digest messages in metadata, with payload {"key"}.
const digestEventType = "lebot_digest"

// DigestLimit caps each list in a digest; the rest is counted in More.
const DigestLimit = 15

// DigestLine is one request in a digest list: ids, kinds and dates only,
// nothing from the request's mail.
type DigestLine struct {
	ID       string       `json:"id"`
	Kind     legal.Kind   `json:"kind"`
	Status   legal.Status `json:"status"`
	Assignee string       `json:"assignee,omitempty"`
	When     time.Time    `json:"when,omitzero"`      // a deadline or receipt instant
	AckedBy  string       `json:"acked_by,omitempty"` // who acknowledged an emergency
	Date     legal.Date   `json:"date,omitzero"`      // an expiry date
}

// DigestList is a capped list of requests and how many more there are.
type DigestList struct {
	Lines []DigestLine `json:"lines,omitempty"`
	More  int          `json:"more,omitempty"`
}

// Add appends l, counting it in More beyond DigestLimit lines.
func (d *DigestList) Add(l DigestLine) {
	if len(d.Lines) < DigestLimit {
		d.Lines = append(d.Lines, l)
		return
	}
	d.More++
}

// Len is the number of requests in the list, shown or not.
func (d DigestList) Len() int { return len(d.Lines) + d.More }

// AgeBuckets label the chart's age groups of open requests (by receipt).
var AgeBuckets = []string{"0–2 days", "3–7 days", "8–14 days", "15–30 days", "over 30 days"}

// AgeBucket returns the index in AgeBuckets of a request open for age.
func AgeBucket(age time.Duration) int {
	days := int(age / (24 * time.Hour))
	switch {
	case days <= 2:
		return 0
	case days <= 7:
		return 1
	case days <= 14:
		return 2
	case days <= 30:
		return 3
	}
	return 4
}

// DigestPayload is the managers' daily digest, computed by the digest job
// as of At and rendered when sent.
type DigestPayload struct {
	Key     string    `json:"key"`     // the digest's sent marker, also in its metadata
	Channel string    `json:"channel"` // DIGEST_CHANNEL
	At      time.Time `json:"at"`
	Since   time.Time `json:"since"` // the previous digest's moment
	// First: no digest went out before this one. Asked: posted on demand
	// (/legal digest), with the arrivals of the last 24 hours.
	First    bool       `json:"first,omitempty"`
	Asked    bool       `json:"asked,omitempty"`
	Zone     string     `json:"zone"` // TIMEZONE, for rendering times
	Received DigestList `json:"received"`
	DueSoon  DigestList `json:"due_soon"` // due in the next 3 business days
	Overdue  DigestList `json:"overdue"`
	// Emergencies are open emergency requests (also in Overdue).
	Emergencies   DigestList           `json:"emergencies"`
	Preservations DigestList           `json:"preservations"` // ending within 14 days
	NDOs          DigestList           `json:"ndos"`          // ending within 30 days
	Orders        DigestList           `json:"orders"`        // pen/trap and intercept orders ending within 7 days
	ByStatus      map[legal.Status]int `json:"by_status"`
	ByKind        map[legal.Kind]int   `json:"by_kind"` // open requests
	// Ages counts open requests per AgeBuckets index and status.
	Ages map[legal.Status][]int `json:"ages"`
	// OpenSampled: more open requests exist than were read for ByKind and
	// Ages (they cover the newest ones).
	OpenSampled bool `json:"open_sampled,omitempty"`
	// MedianResponse over Responded requests answered in the last 30 days.
	MedianResponse time.Duration `json:"median_response"`
	Responded      int           `json:"responded"`
}

// DigestItems are the outbox items that send d: the message, then its
// chart, in that order (one order group per digest), however the first
// is delayed; with no open request there is no chart.
func DigestItems(d DigestPayload) []store.OutboxItem {
	order := "slack.digest:" + d.Key
	if d.Quiet() && openTotal(d) == 0 {
		return []store.OutboxItem{ordered(item(KindDigest, "", d), order)} // nothing to chart
	}
	return []store.OutboxItem{ordered(item(KindDigest, "", d), order), ordered(item(KindDigestChart, "", d), order)}
}

// Quiet reports whether nothing needs anyone's attention.
func (d DigestPayload) Quiet() bool {
	for _, l := range []DigestList{d.Received, d.DueSoon, d.Overdue, d.Emergencies, d.Preservations, d.NDOs, d.Orders} {
		if l.Len() > 0 {
			return false
		}
	}
	return true
}

func (d DigestPayload) loc() *time.Location {
	if loc, err := time.LoadLocation(d.Zone); err == nil {
		return loc
	}
	return time.UTC
}

// RegisterJobs registers the scheduled jobs' kinds (reminders, the
// digest and its chart) of s with d.
func RegisterJobs(d *outbox.Dispatcher, s *Slack) {
	Handle(d, KindReminder, "slack", s.SendReminder)
	Handle(d, KindDigest, "slack", s.SendDigest)
	Handle(d, KindDigestChart, "slack", s.SendDigestChart)
}

func decodeDigest(it store.OutboxItem) (DigestPayload, error) {
	var d DigestPayload
	if err := json.Unmarshal(it.Payload, &d); err != nil || d.Channel == "" || d.Key == "" {
		return d, outbox.Permanent(fmt.Errorf("outbox item %s: bad digest payload: %v", it.ID, err))
	}
	return d, nil
}

// SendDigest posts the digest. A retried item first looks in the channel
// for a message with its key, so the digest appears once.
func (s *Slack) SendDigest(ctx context.Context, it store.OutboxItem) error {
	d, err := decodeDigest(it)
	if err != nil {
		return err
	}
	return outbox.FindThenSend(ctx, it, func(ctx context.Context) (bool, error) {
		return s.findInHistory(ctx, d.Channel, d.At.Add(-time.Minute), func(m slack.Message) bool {
			return m.Metadata.EventType == digestEventType && m.Metadata.EventPayload["key"] == d.Key
		})
	}, func(ctx context.Context) error {
		_, _, err := s.api.PostMessageContext(ctx, d.Channel,
			slack.MsgOptionText(truncate(DigestText(d), 3000), false),
			slack.MsgOptionBlocks(DigestBlocks(d)...),
			slack.MsgOptionMetadata(slack.SlackMetadata{EventType: digestEventType, EventPayload: map[string]any{"key": d.Key}}))
		if err != nil {
			return classify(fmt.Errorf("post digest %s: %w", d.Key, err))
		}
		return nil
	})
}

// ChartName is the file name of a digest's chart.
func ChartName(d DigestPayload) string {
	return "lebot-digest-" + d.At.In(d.loc()).Format("2006-01-02-1504") + ".png"
}

// maxAltText is the longest alt_txt files.getUploadURLExternal takes.
const maxAltText = 1000

// ChartAltText describes the digest's chart for people who cannot see
// it: what it counts and each age group's requests by status.
func ChartAltText(d DigestPayload) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Bar chart of %s by days since receipt, stacked by status.", plural(openTotal(d), "open request"))
	for i, bucket := range AgeBuckets {
		var parts []string
		total := 0
		for _, st := range legal.Statuses {
			if i < len(d.Ages[st]) && d.Ages[st][i] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", d.Ages[st][i], strings.ToLower(statusLabel(st))))
				total += d.Ages[st][i]
			}
		}
		if total == 0 {
			fmt.Fprintf(&b, " %s: none.", bucket)
			continue
		}
		fmt.Fprintf(&b, " %s: %d (%s).", bucket, total, strings.Join(parts, ", "))
	}
	return truncate(b.String(), maxAltText)
}

// SendDigestChart draws the chart of open requests by age and status and
// uploads it to the digest channel (files upload v2). A retried item looks
// for the file first.
func (s *Slack) SendDigestChart(ctx context.Context, it store.OutboxItem) error {
	d, err := decodeDigest(it)
	if err != nil {
		return err
	}
	name := ChartName(d)
	return outbox.FindThenSend(ctx, it, func(ctx context.Context) (bool, error) {
		return s.findInHistory(ctx, d.Channel, d.At.Add(-time.Minute), func(m slack.Message) bool { return hasFile(m, name) })
	}, func(ctx context.Context) error {
		png, err := ChartPNG(d)
		if err != nil {
			return outbox.Permanent(fmt.Errorf("draw digest chart %s: %w", d.Key, err))
		}
		_, err = s.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Channel: d.Channel, Filename: name, Title: "Open requests by age and status",
			Reader: strings.NewReader(string(png)), FileSize: len(png), AltTxt: ChartAltText(d),
		})
		if err != nil {
			return classify(fmt.Errorf("upload digest chart %s: %w", d.Key, err))
		}
		return nil
	})
}

// KindDigestMail is the outbox kind of the digest e-mailed to
// DIGEST_EMAILS; its payload is a DigestMailPayload.
const KindDigestMail = "mail.digest"

// DigestMailPayload is a digest and who receives it by e-mail.
type DigestMailPayload struct {
	DigestPayload
	To []string `json:"to"`
}

// DigestMailItem is the outbox item that e-mails d to the addresses.
func DigestMailItem(d DigestPayload, to []string) store.OutboxItem {
	return item(KindDigestMail, "", DigestMailPayload{d, to})
}
