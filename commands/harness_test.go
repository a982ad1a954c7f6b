package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/testredis"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

const (
	secret   = "commands-test-secret"
	group    = "S0LEGAL"
	member   = "U0LEGAL1"
	member2  = "U0LEGAL2"
	outsider = "U0OUTSIDE"
)

var la = mustLoc("America/Los_Angeles")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// env is a /legal stack: real Redis store, fake Slack, real HTTP handlers.
type env struct {
	st    store.Store
	fake  *fakeslack.Server
	cmds  *Commands
	srv   *bot.Server
	url   string
	now   time.Time
	cal   *legal.Calendar
	seq   atomic.Int64
	users atomic.Int64
	// served, when set, is told how long the server took for each request
	// (from the handler's start to its return): the benchmark's
	// server-side latency.
	served atomic.Pointer[func(time.Duration)]
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	return newEnvWith(tb, nil)
}

// newEnvWith is newEnv with the commands' Config changed by configure.
func newEnvWith(tb testing.TB, configure func(*Config)) *env {
	tb.Helper()
	e := &env{now: time.Date(2026, 3, 2, 10, 0, 0, 0, la), cal: legal.NewCalendar(la)}
	ctx := context.Background()
	redisURL := testredis.URL(tb)
	st, err := store.Open(ctx, store.Config{RedisURL: redisURL, KeyPrefix: testredis.PrefixCleanup(tb, redisURL),
		Now: func() time.Time { return e.now }})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	e.st = st
	e.fake = fakeslack.New(tb)
	e.fake.AddChannel("C0LEGAL", fakeslack.Private)
	e.fake.AddChannel("C0DIGEST", fakeslack.Public)
	e.fake.SetUserGroup(group, member, member2)
	api := slack.New("xoxb-test", slack.OptionAPIURL(e.fake.URL()))
	cfg := Config{Store: st, Slack: api, UserGroup: group, Calendar: e.cal,
		Now: func() time.Time { return e.now }}
	if configure != nil {
		configure(&cfg)
	}
	e.cmds, err = New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	e.srv, err = bot.NewServer(bot.ServerConfig{SigningSecret: secret, Handler: e.cmds, Dedup: st,
		Now: func() time.Time { return e.now }, AckWithin: 5 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	e.srv.Register(mux)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		mux.ServeHTTP(w, r)
		if f := e.served.Load(); f != nil {
			(*f)(time.Since(start))
		}
	}))
	tb.Cleanup(ts.Close)
	e.url = ts.URL
	// Slack (the fake) delivers what users do to these endpoints, signed
	// at the same clock lebot checks signatures with.
	e.fake.SetClock(func() time.Time { return e.now })
	e.fake.SetApp(ts.URL, secret)
	return e
}

// post signs and posts a form body, returning the status and reply body.
func (e *env) post(tb testing.TB, path, body string) (int, []byte) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	bot.SignRequest(req, secret, []byte(body), e.now)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (e *env) commandBody(user, text, trigger string) string {
	return url.Values{"command": {"/legal"}, "text": {text}, "user_id": {user}, "channel_id": {"C0LEGAL"},
		"trigger_id": {trigger}, "response_url": {e.fake.ResponseURL()}}.Encode()
}

// legal has user type `/legal text` in the legal channel, delivered by
// the fake as Slack delivers it, and returns what the user was shown
// (the ack, then anything posted to the command's response_url; blocks'
// JSON appended), failing unless every answer was ephemeral.
func (e *env) legal(tb testing.TB, user, text string) string {
	tb.Helper()
	a := e.fake.SlashCommand(user, "C0LEGAL", text)
	if a.Error != "" {
		tb.Fatalf("/legal %s: Slack showed %s (status %d, %s)", text, a.Error, a.Status, a.Body)
	}
	e.srv.Wait()
	var out strings.Builder
	if a.Shown != nil {
		if a.Shown.User != user {
			tb.Fatalf("/legal %s: the answer was shown in the channel, want ephemeral", text)
		}
		out.WriteString(a.Shown.Text + string(a.Shown.Blocks))
	}
	for _, r := range e.fake.ResponsesTo(a.ResponseURL) {
		var msg struct {
			Text         string          `json:"text"`
			ResponseType string          `json:"response_type"`
			Blocks       json.RawMessage `json:"blocks"`
		}
		if err := json.Unmarshal(r.Body, &msg); err != nil || msg.ResponseType != slack.ResponseTypeEphemeral {
			tb.Fatalf("/legal %s: response_url post %s, want ephemeral", text, r.Body)
		}
		out.WriteString(msg.Text + string(msg.Blocks))
	}
	return out.String()
}

// postCard posts req's card to the legal channel as lebot renders it, so
// its buttons can be clicked, and returns its ts.
func (e *env) postCard(tb testing.TB, req *legal.Request) string {
	tb.Helper()
	api := slack.New("xoxb-test", slack.OptionAPIURL(e.fake.URL()))
	_, ts, err := api.PostMessageContext(context.Background(), "C0LEGAL", bot.Card(req, e.now, e.cal).Options()...)
	if err != nil {
		tb.Fatalf("post card: %v", err)
	}
	return ts
}

// click has user click actionID on the card at ts; Slack ignores the
// ack's body, so it must be empty. It returns the answer and what the
// user was shown through the click's response_url.
func (e *env) click(tb testing.TB, user, ts, actionID string) (fakeslack.Answer, string) {
	tb.Helper()
	a, err := e.fake.Click(user, "C0LEGAL", ts, actionID)
	if err != nil {
		tb.Fatal(err)
	}
	if a.Error != "" || len(a.Body) != 0 {
		tb.Fatalf("click %s: got error %q, ack body %q; want an empty ack", actionID, a.Error, a.Body)
	}
	e.srv.Wait()
	var shown strings.Builder
	for _, r := range e.fake.ResponsesTo(a.ResponseURL) {
		var msg struct {
			Text            string `json:"text"`
			ResponseType    string `json:"response_type"`
			ReplaceOriginal bool   `json:"replace_original"`
		}
		if err := json.Unmarshal(r.Body, &msg); err != nil || msg.ResponseType != slack.ResponseTypeEphemeral || msg.ReplaceOriginal {
			tb.Fatalf("click %s: response_url post %s, want an ephemeral message leaving the card alone", actionID, r.Body)
		}
		shown.WriteString(msg.Text)
	}
	return a, shown.String()
}

// submit has user submit the modal viewID with values.
func (e *env) submit(tb testing.TB, user, viewID string, values map[string]map[string]any) fakeslack.Answer {
	tb.Helper()
	a, err := e.fake.Submit(user, viewID, values)
	if err != nil {
		tb.Fatal(err)
	}
	if a.Error != "" {
		tb.Fatalf("submit %s: Slack showed %s (ack %s)", viewID, a.Error, a.Body)
	}
	e.srv.Wait()
	return a
}

// facts are a subpoena's facts with every standard item present.
func subpoenaFacts() legal.Facts {
	return legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}, SenderDomain: "fbi.gov", SenderOfficial: true,
		LegalProcess: true, Agent: legal.Agent{Name: "A. Agent", Email: "a@fbi.gov"},
		RecordsSought: []string{"subscriber information"}, Identifiers: []string{"+14155550100"},
		Period: &legal.Period{Start: legal.Date{Year: 2026, Month: 1, Day: 1}, End: legal.Date{Year: 2026, Month: 1, Day: 31}}}
}

// create stores a new request with facts f and returns it.
func (e *env) create(tb testing.TB, f legal.Facts) *legal.Request {
	tb.Helper()
	n := e.seq.Add(1)
	draft := legal.NewDraft(f, legal.Verification{}, e.now.Add(-time.Hour), "smtp", e.cal)
	req, created, err := e.st.CreateRequest(context.Background(), store.Incoming{
		Raw: []byte(fmt.Sprintf("Message-ID: <m%d@test>\r\n\r\nbody %d", n, n)), MessageID: fmt.Sprintf("m%d@test", n),
		ReceivedAt: draft.ReceivedAt, Request: draft,
		Audit: store.AuditEntry{At: e.now, Actor: "smtp", Action: "created"}})
	if err != nil || !created {
		tb.Fatalf("create: %v (created %v)", err, created)
	}
	return req
}

// drainOutbox takes every item the outbox would hand out at at, as a
// dispatcher that delivers each would (claim, ack, repeat: ordered items
// come one at a time), and returns them in that order.
func (e *env) drainOutbox(tb testing.TB, at time.Time) []store.OutboxItem {
	tb.Helper()
	ctx := context.Background()
	var out []store.OutboxItem
	for {
		items, err := e.st.Claim(ctx, at, time.Minute, 100)
		if err != nil {
			tb.Fatal(err)
		}
		if len(items) == 0 {
			return out
		}
		for _, it := range items {
			if err := e.st.Ack(ctx, it.ID); err != nil {
				tb.Fatal(err)
			}
		}
		out = append(out, items...)
	}
}

func (e *env) get(tb testing.TB, id string) *legal.Request {
	tb.Helper()
	r, err := e.st.GetRequest(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func (e *env) audit(tb testing.TB, id string) []store.AuditEntry {
	tb.Helper()
	a, err := e.st.Audit(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}
