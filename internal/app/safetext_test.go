package app

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/lebot-dev/lebot/internal/fakeslack"
	"github.com/lebot-dev/lebot/internal/safetext"
)

// hiddenMail is an emergency request whose subject, sender name, body
// and attachment name are disguised with direction overrides and
// zero-width characters (issue 11: they reached cards unchanged).
func hiddenMail() string {
	subject := mime.BEncoding.Encode("utf-8", "EMERGENCY \u202Etseuqer\u202C disclosure\u200B request")
	from := mime.BEncoding.Encode("utf-8", "Dana\u200D Smith \u2066FBI\u2069")
	file := mime.BEncoding.Encode("utf-8", "warrant\u202Efdp.exe")
	return strings.ReplaceAll(`From: `+from+` <dana.smith@fbi.gov>
To: legal@example.com
Subject: `+subject+`
Date: Mon, 02 Mar 2026 10:00:00 -0800
Message-ID: <hidden-1@fbi.gov>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B"

--B
Content-Type: text/plain; charset=utf-8

Emergency disclosure request: a child has been abducted and is in danger
of death. Subscriber records for phone number (415) 555`+"\u200B"+`-0100.

Special Agent Dana`+"\u200D"+` Smith`+"\u202E"+`
Federal Bureau of Investigation
(202) 555-0199
--B
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="`+file+`"

binary
--B--
`, "\n", "\r\n")
}

// textsOf returns every string in a JSON document.
func textsOf(raw []byte) []string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return []string{string(raw)}
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// TestServeCardsShowNoHiddenCharacters: through the whole of serve (SMTP,
// triage, store, outbox, Slack), no message lebot posts holds a hidden
// character, and the card says some were removed.
func TestServeCardsShowNoHiddenCharacters(t *testing.T) {
	fake := fakeslack.New(t)
	env := testEnv(t, fake)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, envOf(env), Options{Log: io.Discard, OutboxPoll: testPoll}) }()
	base := "http://127.0.0.1:" + env["PORT"]
	waitFor(t, "/healthz", func() bool { return httpStatus(base+"/healthz") == http.StatusOK })

	c, err := smtp.Dial(env["SMTP_ADDR"])
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendMail("dana.smith@fbi.gov", []string{"legal@example.com"}, strings.NewReader(hiddenMail())); err != nil {
		t.Fatalf("SMTP: %v", err)
	}
	c.Quit()
	waitFor(t, "the card", func() bool { return len(fake.TopLevel("C0LEGAL")) == 1 })

	var all strings.Builder
	for _, m := range fake.Messages("C0LEGAL") {
		for _, s := range append(textsOf(m.Blocks), m.Text) {
			if i := strings.IndexFunc(s, safetext.Invisible); i >= 0 {
				t.Errorf("message %s holds hidden character %U: %+q", m.TS, []rune(s[i:])[0], s)
			}
			all.WriteString(s + "\n")
		}
	}
	card := all.String()
	for _, want := range []string{"Removed 10 invisible or direction-changing characters from the subject, the sender's name, the message text and attachment names",
		"EMERGENCY tseuqer disclosure request", "warrantfdp.exe"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}
