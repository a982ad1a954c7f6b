package app

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/internal/fakeslack"
)

// TestServeMetricsFollowUps: over real SMTP, a reply in a request's mail
// thread is counted as a follow-up, not as a new request nor as a
// duplicate; delivered again, it is a duplicate; the request still has
// one card.
func TestServeMetricsFollowUps(t *testing.T) {
	fake := fakeslack.New(t)
	env := testEnv(t, fake)
	base := startServe(t, env, io.Discard)
	if err := sendMail(t, env["SMTP_ADDR"], "legal@example.com", "fu-orig@fbi.gov"); err != nil {
		t.Fatalf("SMTP: %v", err)
	}
	waitFor(t, "the card", func() bool { return len(fake.TopLevel("C0LEGAL")) == 1 })
	_, body := get(t, base+"/metrics")
	if got := metricValue(body, `lebot_follow_ups_joined_total{source="smtp"}`); got != "0" {
		t.Errorf("before any follow-up: got %q, want 0 (the series exists from the start)", got)
	}

	followUp := "From: Agent Dana Smith <dana.smith@fbi.gov>\r\nTo: legal@example.com\r\n" +
		"Subject: Re: Grand jury subpoena\r\nDate: Mon, 02 Mar 2026 11:00:00 -0800\r\nMessage-ID: <fu-answer@fbi.gov>\r\n" +
		"In-Reply-To: <fu-orig@fbi.gov>\r\nReferences: <fu-orig@fbi.gov>\r\n\r\nThe signed subpoena is attached.\r\n"
	for range 2 { // the second delivery is the relay retrying
		c, err := smtp.Dial(env["SMTP_ADDR"])
		if err != nil {
			t.Fatal(err)
		}
		if err := c.SendMail("dana.smith@fbi.gov", []string{"legal@example.com"}, strings.NewReader(followUp)); err != nil {
			t.Fatalf("SMTP follow-up: %v", err)
		}
		c.Close()
	}
	waitFor(t, "the follow-ups counted", func() bool {
		_, body = get(t, base+"/metrics")
		return metricValue(body, `lebot_requests_duplicate_total{source="smtp"}`) == "1"
	})
	for series, want := range map[string]string{
		`lebot_requests_received_total{dkim="none",kind="subpoena",official="true",source="smtp"}`: "1",
		`lebot_follow_ups_joined_total{source="smtp"}`:                                             "1",
		`lebot_follow_ups_joined_total{source="http"}`:                                             "0",
		`lebot_requests_duplicate_total{source="smtp"}`:                                            "1",
	} {
		if got := metricValue(body, series); got != want {
			t.Errorf("%s: got %q, want %q", series, got, want)
		}
	}
	if n := len(fake.TopLevel("C0LEGAL")); n != 1 {
		t.Errorf("cards: got %d, want 1 (a follow-up makes none)", n)
	}
	// The card says so, once, in the card's date style.
	line := regexp.MustCompile(`✉️ \*Correspondence:\* follow-up received [A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2} [A-Z]{2,5}"`)
	waitFor(t, "the card to show the follow-up", func() bool {
		cards := fake.TopLevel("C0LEGAL")
		return len(cards) == 1 && len(line.FindAll(cards[0].Blocks, -1)) == 1
	})
	if !strings.Contains(body, "# HELP lebot_follow_ups_joined_total ") {
		t.Errorf("/metrics lacks the follow-up counter's help: %s", firstLines(body, "lebot_follow_ups"))
	}
}

func firstLines(body, prefix string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, prefix) {
			out = append(out, l)
		}
	}
	return fmt.Sprint(out)
}
