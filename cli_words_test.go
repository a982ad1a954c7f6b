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
)

// TestHelpFlagsExitZero asks every command for its help: each prints a
// usage and succeeds (exit 0, so main prints no "lebot: …" error line).
func TestHelpFlagsExitZero(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"help"}, {"serve", "--help"}, {"triage", "--help"}, {"eval", "-h"}, {"demo", "--help"},
		{"jobs", "--help"}, {"jobs", "run", "--help"}, {"jobs", "run", "digest", "--help"},
		{"report", "--help"}, {"corpus", "--help"}, {"corpus", "export", "--help"},
		{"store", "--help"}, {"store", "rekey", "--help"}, {"config", "--help"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), args, envOf(nil), &out, &errOut)
			if err != nil {
				t.Fatalf("got %v (exit %d), want success", err, exitCode(err))
			}
			if !strings.Contains(out.String()+errOut.String(), "usage") && !strings.Contains(out.String(), "Usage") {
				t.Errorf("got no usage text:\n%s%s", out.String(), errOut.String())
			}
		})
	}
}

// TestUsageNamesEveryJob: lebot --help lists every job jobs run takes and
// the digest's --chart.
func TestUsageNamesEveryJob(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, envOf(nil), &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"outbox", "reminders", "digest", "escalations", "retention", "--chart", "--dry-run"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("lebot --help lacks %q:\n%s", w, out.String())
		}
	}
	if strings.Contains(out.String(), "come later") {
		t.Errorf("lebot --help still says jobs come later:\n%s", out.String())
	}
}

// TestDigestDryRunNeedsNoChannel: a dry run sends nothing, so it works
// with no channel set, and a one-off command prints no log lines meant
// for serve's operator (here: DIGEST_EMAILS without a mail relay).
func TestDigestDryRunNeedsNoChannel(t *testing.T) {
	env := map[string]string{"DATA_DIR": t.TempDir(), "TIMEZONE": "America/Los_Angeles", "DIGEST_EMAILS": "boss@example.com"}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"jobs", "run", "digest", "--dry-run", "--at", "2026-12-10T09:00:00-08:00"},
		envOf(env), &out, &errOut)
	if err != nil {
		t.Fatalf("got %v, want success", err)
	}
	for _, w := range []string{"Legal digest — Thu Dec 10, 2026", "DIGEST_CHANNEL and LEGAL_CHANNEL are unset", "as of Thu Dec 10, 2026 09:00 PST (dry run: nothing sent)"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
	if errOut.Len() > 0 {
		t.Errorf("stderr: got %q, want nothing (no operator log lines in a CLI command)", errOut.String())
	}
}

// TestTriageTextAndJSONAgree: the text report shows every warning the
// JSON report carries.
func TestTriageTextAndJSONAgree(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.eml")
	msg := "From: Agent Dana Smith <dana.smith@fbi.gov>\r\nTo: legal@example.com\r\nSubject: Grand jury subpoena\r\n" +
		"Date: the day before yesterday\r\nMessage-ID: <words-1@fbi.gov>\r\n\r\n" +
		"Grand jury subpoena for subscriber information for (415) 555-0100.\r\n"
	if err := os.WriteFile(path, []byte(msg), 0o600); err != nil {
		t.Fatal(err)
	}
	var text, js bytes.Buffer
	if err := run(context.Background(), []string{"triage", path}, envOf(nil), &text, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"triage", "--json", path}, envOf(nil), &js, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out struct{ Warnings []string }
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Warnings) == 0 {
		t.Fatalf("--json: no warnings for an unreadable Date header:\n%s", js.String())
	}
	for _, w := range out.Warnings {
		if !strings.Contains(text.String(), "warning:     "+w) {
			t.Errorf("text report lacks the warning %q:\n%s", w, text.String())
		}
	}
}
