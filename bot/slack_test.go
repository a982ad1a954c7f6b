package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/store"
)

func TestCheckAuth(t *testing.T) {
	tests := []struct {
		name, token string
		down        bool
		want        string // substring of the error; "" for none
	}{
		{"accepted", "xoxb-good", false, ""},
		{"rejected", "xoxb-revoked", false, "SLACK_BOT_TOKEN was rejected by Slack (auth.test: invalid_auth)"},
		{"missing", "", false, "SLACK_BOT_TOKEN is not set"},
		{"slack down", "xoxb-good", true, "slack auth.test: slack server error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "bolt")
			e.slack.RejectToken("xoxb-revoked")
			if tt.down {
				e.slack.Fail("auth.test", 1)
			}
			s, err := New(Config{Token: tt.token, APIURL: strings.TrimSuffix(e.slack.URL(), "/"), Channel: testChannel, Store: e.store})
			if err != nil {
				t.Fatal(err)
			}
			err = s.CheckAuth(context.Background())
			if got := errText(err); (tt.want == "") != (err == nil) || !strings.Contains(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			calls := 1
			if tt.token == "" {
				calls = 0 // no point asking Slack
			}
			if n := len(e.slack.Calls("auth.test")); n != calls {
				t.Errorf("got %d auth.test calls, want %d", n, calls)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestNewValidates(t *testing.T) {
	if _, err := New(Config{Token: "x", Store: store.Store(nil)}); err == nil || !strings.Contains(err.Error(), "LEGAL_CHANNEL") {
		t.Fatalf("no channel: got %v, want an error naming LEGAL_CHANNEL", err)
	}
}
