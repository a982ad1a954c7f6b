package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot/pagerduty"
	"github.com/lebot-dev/lebot/internal/safetext"
	"github.com/lebot-dev/lebot/legal"
)

// pdMaxRecords bounds the records in a PagerDuty summary, which holds
// 1024 characters in all.
const pdMaxRecords = 600

// ActionOpenCard is the page DM's Open button (a link to the card).
const ActionOpenCard = "lebot_open_card"

// PageBlockID is the block id of the page DM's buttons.
const PageBlockID = "lebot_page_actions"

// dangerText says what danger the agency describes.
func dangerText(req *legal.Request) string {
	f := req.Facts
	switch {
	case f.ChildEndangerment:
		return "Child endangerment: risk of death or serious physical injury to a child"
	case f.DangerDescribed:
		return "Danger of death or serious physical injury described by the agency"
	}
	return "Emergency claimed, but no specific danger was read from the request: read the original"
}

// agencyText is the agency and its callback number.
func agencyText(req *legal.Request) (agency, callback string) {
	f := req.Facts
	agency = f.SenderDomain
	if agency == "" {
		agency = "unknown agency"
	}
	if f.Agent.Name != "" {
		agency = f.Agent.Name + ", " + agency
	}
	if req.Verification.Official || f.SenderOfficial {
		agency += " (official domain)"
	} else {
		agency += " (NOT an official domain: verify by calling a number found independently)"
	}
	callback = f.Agent.Phone
	if callback == "" {
		callback = "none given: find the agency's number independently"
	}
	return agency, callback
}

func deadlineLine(req *legal.Request) string {
	if d := req.Facts.Deadline; d != nil && !d.IsZero() {
		return "IMMEDIATE (the agency asks by " + dateLabel(*d) + ")"
	}
	return "IMMEDIATE"
}

func identifiersLine(req *legal.Request, max int) string {
	ids := req.Facts.Identifiers
	if len(ids) == 0 {
		return "none found"
	}
	shown := ids[:min(len(ids), max)]
	s := strings.Join(shown, ", ")
	if len(ids) > len(shown) {
		s += fmt.Sprintf(" and %d more", len(ids)-len(shown))
	}
	return s
}

func levelText(pg Page) string {
	if pg.By != "" {
		return "paged by hand by " + Mention(pg.By)
	}
	return fmt.Sprintf("level %d of %d, round %d of %d", pg.Level, pg.Levels, pg.Round, pg.Rounds)
}

// nextText says what happens after pg.Next if nobody acknowledges: the
// next level, a new round from level 1, or (after the last level of the
// last round) the @here alert — not "the next level" when there is none.
func nextText(pg Page) string {
	switch {
	case pg.Levels == 0 || pg.Level < pg.Levels:
		return "the next level is paged in " + pg.Next
	case pg.Round < pg.Rounds:
		return fmt.Sprintf("round %d starts again from level 1 in %s", pg.Round+1, pg.Next)
	}
	return "the whole channel is alerted (@here) in " + pg.Next
}

// pageDM is the DM to an on-call person. Its notification text names the
// request and nothing a bystander should read.
func pageDM(req *legal.Request, pg Page, link string, now time.Time, cal *legal.Calendar) CardMessage {
	agency, callback := agencyText(req)
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain(truncate("🚨 Emergency "+req.ID+": you are on call", maxHeaderText))),
		section("*" + esc(dangerText(req)) + "*\n" + esc(truncate(req.Subject, 300))),
		slack.NewSectionBlock(nil, []*slack.TextBlockObject{
			field("Agency", esc(agency)),
			field("Callback number", esc(callback)),
			field("Deadline", esc(deadlineLine(req))),
			field("Received", req.ReceivedAt.In(cal.Location()).Format("Mon Jan 2 15:04 MST")),
		}, nil),
		section("*Identifiers:* " + esc(identifiersLine(req, maxIdentifiers)) +
			"\n*Records requested:* " + RecordsLine(req.Facts, maxRecordsText)),
		slack.NewActionBlock(PageBlockID,
			slack.NewButtonBlockElement(ActionAck, req.ID, plain("Acknowledge")).WithStyle(slack.StyleDanger),
			slack.NewButtonBlockElement(ActionOpenCard, req.ID, plain("Open")).WithURL(link)),
	}
	ctx := "You are paged (" + levelText(pg) + ")."
	if pg.Next != "" {
		ctx += " Unless someone acknowledges, " + nextText(pg) + "."
	}
	ctx += " Or: `/legal ack " + req.ID + "`"
	blocks = append(blocks, slack.NewContextBlock("lebot_page_context", mrkdwn(ctx)))
	return CardMessage{
		Text:     fmt.Sprintf("🚨 EMERGENCY %s: you are on call — acknowledge now", req.ID),
		Blocks:   blocks,
		Metadata: pageMetadata(req.ID, ""),
	}
}

// ackedDM replaces a page DM once someone acknowledged.
func ackedDM(req *legal.Request, link string, cal *legal.Calendar) CardMessage {
	who := Mention(req.AckedBy)
	if req.AckedBy == "" {
		who = "someone"
	}
	line := fmt.Sprintf("✅ *%s acknowledged by %s* on %s — paging has stopped.", req.ID, who,
		legal.TimeLabel(req.AckedAt, cal.Location()))
	return CardMessage{
		Text:     fmt.Sprintf("✅ %s acknowledged by %s", req.ID, who),
		Metadata: pageMetadata(req.ID, ""),
		Blocks: []slack.Block{section(line), slack.NewActionBlock(PageBlockID,
			slack.NewButtonBlockElement(ActionOpenCard, req.ID, plain("Open")).WithURL(link))},
	}
}

// stoodDownDM replaces a page DM once the team corrected the request out
// of being an emergency: nobody needs to act on the page any more.
func stoodDownDM(req *legal.Request, link string, cal *legal.Calendar) CardMessage {
	line := fmt.Sprintf("✅ *%s is no longer an emergency* — paging has stopped.", req.ID)
	if c, ok := req.Corrections[legal.FieldEmergency]; ok {
		line = fmt.Sprintf("✅ *%s is no longer an emergency:* %s corrected it on %s — paging has stopped.",
			req.ID, Mention(c.By), legal.TimeLabel(c.At, cal.Location()))
	}
	return CardMessage{
		Text:     fmt.Sprintf("✅ %s is no longer an emergency", req.ID),
		Metadata: pageMetadata(req.ID, ""),
		Blocks: []slack.Block{section(line), slack.NewActionBlock(PageBlockID,
			slack.NewButtonBlockElement(ActionOpenCard, req.ID, plain("Open")).WithURL(link))},
	}
}

// threadAlert is the step's alert in the card's thread.
func threadAlert(req *legal.Request, pg Page) string {
	if pg.Final {
		why := "after " + plural(pg.Rounds, "round") + " of paging every on-call level"
		if pg.Reason != "" {
			why = "because " + pg.Reason
		}
		return fmt.Sprintf("<!here> 🚨 *Nobody has acknowledged emergency %s* %s. "+
			"Whoever can, take it now: press Acknowledge on the card or run `/legal ack %s`.", req.ID, why, req.ID)
	}
	ms := make([]string, len(pg.Targets))
	for i, t := range pg.Targets {
		ms[i] = Mention(t)
	}
	s := fmt.Sprintf("🚨 Paging %s for emergency %s (%s).", strings.Join(ms, ", "), req.ID, levelText(pg))
	if pg.Next != "" {
		s += " Unless someone acknowledges, " + nextText(pg) + "."
	}
	return s + " Acknowledge on the card or with `/legal ack " + req.ID + "`."
}

// recordsPlain is the records requested as plain text ("not stated" when
// the request does not say), at most max characters.
func recordsPlain(f legal.Facts, max int) string {
	rs := f.RecordsRequested()
	if len(rs) == 0 {
		return "not stated"
	}
	return truncate(safetext.Clean(strings.Join(rs, ", ")), max)
}

// pdTrigger is the PagerDuty trigger for a step. Targets' identifiers stay
// out of PagerDuty: it gets the danger, the records sought, agency,
// callback and a link.
func pdTrigger(req *legal.Request, pg Page, link string, now time.Time) pagerduty.Event {
	agency, callback := agencyText(req)
	// The records go before the level so that PagerDuty's 1024-character
	// summary cuts them, not the request id or the danger.
	summary := fmt.Sprintf("EMERGENCY legal request %s: %s — records: %s — %s", req.ID, dangerText(req),
		recordsPlain(req.Facts, pdMaxRecords), levelText(pg))
	if pg.Final {
		summary = fmt.Sprintf("EMERGENCY legal request %s: nobody acknowledged in Slack", req.ID)
	}
	return pagerduty.Event{
		EventAction: "trigger",
		DedupKey:    req.ID,
		Payload: &pagerduty.Payload{
			Summary: truncate(summary, 1024), Source: "lebot", Severity: "critical",
			Timestamp: now.UTC().Format(time.RFC3339), Component: "legal-intake", Group: "legal",
			Class: "emergency_disclosure",
			CustomDetails: map[string]any{"request_id": req.ID, "danger": dangerText(req), "agency": agency,
				"callback": callback, "deadline": deadlineLine(req), "step": pg.Step + 1,
				"records":  recordsPlain(req.Facts, maxRecordsText),
				"received": req.ReceivedAt.UTC().Format(time.RFC3339)},
		},
		Client: "lebot", ClientURL: link,
		Links: []pagerduty.Link{{Href: link, Text: "Request " + req.ID + " in Slack"}},
	}
}

// pageEmail is the page e-mail's subject and body.
func pageEmail(req *legal.Request, pg Page, link string, now time.Time, cal *legal.Calendar) (string, string) {
	agency, callback := agencyText(req)
	var b strings.Builder
	fmt.Fprintf(&b, "EMERGENCY legal request %s: you are on call (%s).\n\n", req.ID, strings.NewReplacer("<@", "", ">", "").Replace(levelText(pg)))
	fmt.Fprintf(&b, "Danger:      %s\n", dangerText(req))
	fmt.Fprintf(&b, "Subject:     %s\n", truncate(req.Subject, 300))
	fmt.Fprintf(&b, "Agency:      %s\n", agency)
	fmt.Fprintf(&b, "Callback:    %s\n", callback)
	fmt.Fprintf(&b, "Deadline:    %s\n", deadlineLine(req))
	fmt.Fprintf(&b, "Identifiers: %s\n", identifiersLine(req, maxIdentifiers))
	fmt.Fprintf(&b, "Records:     %s\n", recordsPlain(req.Facts, maxRecordsText))
	fmt.Fprintf(&b, "Received:    %s\n\n", req.ReceivedAt.In(cal.Location()).Format("Mon Jan 2 15:04 MST"))
	fmt.Fprintf(&b, "Acknowledge in Slack (the button on the page or the card, or /legal ack %s):\n%s\n", req.ID, link)
	return "[EMERGENCY] " + req.ID + ": you are on call — acknowledge in Slack", b.String()
}

// pageMetadata marks a page DM with its request and outbox item.
func pageMetadata(requestID, outboxID string) slack.SlackMetadata {
	p := map[string]any{"request_id": requestID}
	if outboxID != "" {
		p["outbox_id"] = outboxID
	}
	return slack.SlackMetadata{EventType: pageDMEventType, EventPayload: p}
}
