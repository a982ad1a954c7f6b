package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
)

// noPeriodMail is a subpoena that states everything the checklist asks
// for except the period of the records.
const noPeriodMail = "From: Special Agent Dana Reyes <dana.reyes@fbi.gov>\r\nTo: legal@example.com\r\n" +
	"Subject: Grand jury subpoena\r\nDate: Mon, 02 Mar 2026 10:00:00 -0800\r\nMessage-ID: <corrections-e2e@fbi.gov>\r\n\r\n" +
	"Counsel,\r\n\r\nServed herewith is a signed grand jury subpoena issued by the\r\n" +
	"United States District Court. Please produce subscriber information and\r\n" +
	"call detail records for telephone number (202) 555-0150.\r\n\r\n" +
	"Regards,\r\nDana Reyes\r\nSpecial Agent, Federal Bureau of Investigation\r\n(202) 555-0111\r\ndana.reyes@fbi.gov\r\n"

// slackShown is what Slack showed for one delivery: the ack and what
// lebot posted to its response_url, the blocks' JSON decoded as Slack
// shows it.
func slackShown(tb testing.TB, fake *fakeslack.Server, a fakeslack.Answer) string {
	tb.Helper()
	if a.Error != "" {
		tb.Fatalf("Slack showed %s (%s)", a.Error, a.Body)
	}
	var out strings.Builder
	if a.Shown != nil {
		out.WriteString(a.Shown.Text + string(a.Shown.Blocks))
	}
	for _, r := range fake.ResponsesTo(a.ResponseURL) {
		out.Write(r.Body)
	}
	return slackJSON(out.String())
}

func slackJSON(s string) string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&", `\n`, "\n").Replace(s)
}

// say has user type `/legal text` and waits for the answer.
func say(tb testing.TB, fake *fakeslack.Server, user, text string) string {
	tb.Helper()
	a := fake.SlashCommand(user, "C0LEGAL", text)
	var got string
	waitFor(tb, "the answer to /legal "+text, func() bool {
		got = slackShown(tb, fake, a)
		return got != ""
	})
	return got
}

// TestCorrectionsDoneWhen is issue 15's "done when" end to end, through
// lebot serve (real Redis, real SMTP, Slack faked at its HTTP API):
// a request that stated no period fails the time-period item until
// `/legal set ID period …`; then the card shows the period and no failed
// item, and the thread and the audit say who changed it from what to
// what; `/legal edit` opens a modal with the period, the deadline and
// the identifiers and accepts an unchanged submission; an outsider's set
// changes nothing; `lebot corpus export` writes the message as received
// with labels carrying the correction, and `lebot eval` reads the case.
func TestCorrectionsDoneWhen(t *testing.T) {
	const alice, outsider = "U0LEGAL1", "U0OUTSIDER"
	fake := fakeslack.New(t)
	env := testEnv(t, fake)
	env["REDIS_URL"] = testredis.URL(t)
	env["REDIS_KEY_PREFIX"] = testredis.PrefixCleanup(t, env["REDIS_URL"])
	fake.SetApp("http://127.0.0.1:"+env["PORT"], env["SLACK_SIGNING_SECRET"])
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, envOf(env), io.Discard, io.Discard) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		}
	}
	defer stop()
	waitFor(t, "serve", func() bool { return httpStatus("http://127.0.0.1:"+env["PORT"]+"/readyz") == 200 })

	c, err := smtp.Dial(env["SMTP_ADDR"])
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendMail("dana.reyes@fbi.gov", []string{"legal@example.com"}, strings.NewReader(noPeriodMail)); err != nil {
		t.Fatal(err)
	}
	c.Quit()

	var card fakeslack.Message
	waitFor(t, "the card", func() bool {
		top := fake.TopLevel("C0LEGAL")
		if len(top) == 1 {
			card = top[0]
		}
		return len(top) == 1
	})
	id, _ := card.Metadata.EventPayload["request_id"].(string)
	if id == "" {
		t.Fatalf("card without its request id: %+v", card.Metadata)
	}
	if got := slackJSON(string(card.Blocks)); !strings.Contains(got, "❌ Specific time period") || !strings.Contains(got, "*Period:*\n_not stated_") {
		t.Fatalf("card before the correction:\n%s", got)
	}

	if got := say(t, fake, outsider, "set "+id+" period 2026-01-01..2026-03-31"); !strings.Contains(got, "only for the legal team") {
		t.Fatalf("outsider: got %q", got)
	}
	if got := say(t, fake, alice, "show "+id); !strings.Contains(got, "❌ Specific time period") || strings.Contains(got, "corrected") {
		t.Fatalf("after the outsider's set:\n%s", got)
	}

	if got := say(t, fake, alice, "set "+id+" period 2026-01-01..2026-03-31"); !strings.Contains(got, "Corrected on "+id+": the period Jan 1 – Mar 31, 2026.") {
		t.Fatalf("set: got %q", got)
	}
	waitFor(t, "the card updated", func() bool {
		got := slackJSON(string(fake.TopLevel("C0LEGAL")[0].Blocks))
		return strings.Contains(got, "*Period:*\nJan 1 – Mar 31, 2026 ✏️ _corrected by <@"+alice+">_") && !strings.Contains(got, "❌")
	})
	wantThread := "✏️ <@" + alice + "> corrected the period: none → Jan 1 – Mar 31, 2026."
	waitFor(t, "the thread", func() bool {
		for _, m := range fake.Replies("C0LEGAL", card.TS) {
			if m.Text == wantThread {
				return true
			}
		}
		return false
	})
	if got := say(t, fake, alice, "audit "+id); !strings.Contains(got, "corrected the period: none → Jan 1 – Mar 31, 2026") || !strings.Contains(got, alice) {
		t.Fatalf("audit:\n%s", got)
	}

	n := len(fake.Views())
	if a := fake.SlashCommand(alice, "C0LEGAL", "edit "+id); a.Error != "" {
		t.Fatalf("edit: %s", a.Error)
	}
	var view fakeslack.View
	waitFor(t, "the edit modal", func() bool {
		if vs := fake.Views(); len(vs) > n {
			view = vs[n]
			return true
		}
		return false
	})
	state := initialState(t, view)
	for _, b := range []string{"period_start", "period_end", "deadline", "identifiers"} {
		if _, ok := state[b]; !ok {
			t.Fatalf("the modal has no %s field:\n%s", b, view.JSON)
		}
	}
	if ans, err := fake.Submit(alice, view.ID, state); err != nil || !ans.Closed || len(ans.ViewErrors) != 0 {
		t.Fatalf("unchanged submission: %+v, %v; want the modal closed", ans, err)
	}
	stop()

	raw := []byte(noPeriodMail)
	dir := filepath.Join(t.TempDir(), "cases")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"corpus", "export", "--all-corrected", dir}, envOf(env), &out, io.Discard); err != nil {
		t.Fatalf("corpus export: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), id+": written (corrected: period)") {
		t.Fatalf("corpus export: %s", out.String())
	}
	eml, err := os.ReadFile(filepath.Join(dir, id+".eml"))
	if err != nil || !bytes.Equal(eml, raw) {
		t.Fatalf("%s.eml is not the message sent (%v):\n%s", id, err, eml)
	}
	var label struct {
		Period  map[string]string `json:"period"`
		Missing []string          `json:"missing"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, id+".json")); err != nil || json.Unmarshal(b, &label) != nil {
		t.Fatalf("label: %v", err)
	}
	if label.Period["start"] != "2026-01-01" || label.Period["end"] != "2026-03-31" || label.Missing == nil || len(label.Missing) != 0 {
		t.Fatalf("label: %+v, want the corrected period and nothing missing", label)
	}
	out.Reset()
	if err := run(context.Background(), []string{"eval", dir}, envOf(env), &out, io.Discard); err != nil {
		t.Fatalf("eval: %v", err)
	}
	for _, want := range []string{"1 cases in " + dir, id + "  period: got null, want 2026-01-01..2026-03-31"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("eval: missing %q in\n%s", want, out.String())
		}
	}
}

// initialState is the state Slack sends for a modal submitted as shown.
func initialState(tb testing.TB, v fakeslack.View) map[string]map[string]any {
	tb.Helper()
	var view struct {
		Blocks []struct {
			Type    string `json:"type"`
			BlockID string `json:"block_id"`
			Element struct {
				Type           string            `json:"type"`
				ActionID       string            `json:"action_id"`
				InitialValue   string            `json:"initial_value"`
				InitialDate    string            `json:"initial_date"`
				InitialOptions []json.RawMessage `json:"initial_options"`
			} `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(v.JSON, &view); err != nil {
		tb.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, b := range view.Blocks {
		if b.Type != "input" {
			continue
		}
		el := b.Element
		val := map[string]any{"type": el.Type}
		switch el.Type {
		case "plain_text_input":
			val["value"] = el.InitialValue
		case "datepicker":
			if el.InitialDate != "" {
				val["selected_date"] = el.InitialDate
			}
		default:
			val["selected_options"] = append([]json.RawMessage{}, el.InitialOptions...)
		}
		out[b.BlockID] = map[string]any{el.ActionID: val}
	}
	return out
}
