package config

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

// envOf returns a getenv over m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// serveEnv is the smallest environment serve accepts.
func serveEnv() map[string]string {
	return map[string]string{
		"SLACK_BOT_TOKEN":      "xoxb-test",
		"SLACK_SIGNING_SECRET": "s3cret",
		"LEGAL_CHANNEL":        "C0LEGAL",
		"LEGAL_USERS":          "U0LEGAL1",
		"INTAKE_ADDRESSES":     "legal@example.com",
	}
}

func TestLoadConfigDefaults(t *testing.T) {
	cfg, errs := Parse(envOf(nil))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := Config{
		RedisKeyPrefix: "lebot:", DataDir: "./data", SMTPAddr: ":2525", SMTPMaxBytes: 25 << 20, SMTPMaxSessions: 200,
		Timezone: "America/Los_Angeles", ReminderSchedule: "*/15 * * * *", DigestSchedule: "0 8 * * 1-5",
		EscalationDelay: 5 * time.Minute, EscalationRepeat: 3, Port: 8080, LogFormat: "text",
	}
	if !reflect.DeepEqual(*cfg, want) {
		t.Errorf("got %+v, want %+v", *cfg, want)
	}
	if err := cfg.Validate(false); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
}

func TestLoadConfigValues(t *testing.T) {
	env := serveEnv()
	env["LEGAL_USERS"] = " U1, U2 ,,U3 "
	env["SMTP_MAX_BYTES"] = "10MiB"
	env["ESCALATION_DELAY"] = "90s"
	env["PORT"] = "9090"
	cfg, errs := Parse(envOf(env))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got, want := cfg.LegalUsers, []string{"U1", "U2", "U3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("LEGAL_USERS: got %q, want %q", got, want)
	}
	if cfg.SMTPMaxBytes != 10<<20 || cfg.EscalationDelay != 90*time.Second || cfg.Port != 9090 {
		t.Errorf("got %d %v %d, want 10MiB 90s 9090", cfg.SMTPMaxBytes, cfg.EscalationDelay, cfg.Port)
	}
	if err := cfg.Validate(true); err != nil {
		t.Errorf("Validate(serve): %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		serve bool
		want  []string // every one must appear in the one message
	}{
		{"serve needs slack and intake", map[string]string{}, true,
			[]string{"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "LEGAL_CHANNEL", "INTAKE_ADDRESSES", "LEGAL_USERGROUP/LEGAL_USERS"}},
		{"socket mode needs no signing secret", map[string]string{
			"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "LEGAL_CHANNEL": "C1", "INTAKE_ADDRESSES": "a@b.c",
			"LEGAL_USERGROUP": "S1"}, true, nil},
		{"serve needs someone who may act", map[string]string{
			"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "LEGAL_CHANNEL": "C1", "INTAKE_ADDRESSES": "a@b.c"}, true,
			[]string{"LEGAL_USERGROUP/LEGAL_USERS: set at least one"}},
		{"users alone are enough", map[string]string{
			"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "LEGAL_CHANNEL": "C1", "INTAKE_ADDRESSES": "a@b.c",
			"LEGAL_USERS": "U1,U2"}, true, nil},
		{"swapped tokens", map[string]string{
			"SLACK_BOT_TOKEN": "xapp-1", "SLACK_APP_TOKEN": "xoxb-1", "LEGAL_CHANNEL": "C1", "INTAKE_ADDRESSES": "a@b.c"}, true,
			[]string{"SLACK_BOT_TOKEN: want a bot token", "SLACK_APP_TOKEN: want an app-level token"}},
		{"config command needs no slack", map[string]string{}, false, nil},
		{"everything wrong at once", map[string]string{
			"TIMEZONE": "Mars/Olympus", "DIGEST_SCHEDULE": "every day", "REMINDER_SCHEDULE": "61 * * * *",
			"SMTP_TLS_CERT": "cert.pem", "SMTP_MAX_BYTES": "lots", "PORT": "http", "ESCALATION_DELAY": "5",
			"LOG_FORMAT": "xml", "INTAKE_ADDRESSES": "legal@example.com, not-an-address", "REDIS_URL": "http://x",
			"SLACK_API_URL": "nope", "OUTBOUND_SMTP_URL": "mail.example.com",
		}, false, []string{"TIMEZONE", "DIGEST_SCHEDULE", "REMINDER_SCHEDULE", "SMTP_TLS_CERT/SMTP_TLS_KEY",
			"SMTP_MAX_BYTES", "PORT", "ESCALATION_DELAY", "LOG_FORMAT", `"not-an-address"`, "REDIS_URL",
			"SLACK_API_URL", "OUTBOUND_SMTP_URL"}},
		{"names where ids go", map[string]string{"LEGAL_CHANNEL": "legal", "DIGEST_CHANNEL": "#managers",
			"LEGAL_USERS": "U0LEGAL1,bob", "LEGAL_USERGROUP": "@legal-team"}, false,
			[]string{`LEGAL_CHANNEL: "legal" is not a channel id: want the id that starts with C`,
				`DIGEST_CHANNEL: "#managers" is not a channel id`,
				`LEGAL_USERS: "bob" is not a user id: want ids that start with U`,
				`LEGAL_USERGROUP: "@legal-team" is not a user group id: want the id that starts with S`}},
		{"ids as Slack gives them", map[string]string{"LEGAL_CHANNEL": "C0123ABCD", "DIGEST_CHANNEL": "G0LEGACY",
			"LEGAL_USERS": "U0LEGAL1,W0ENTERPRISE", "LEGAL_USERGROUP": "S0TEAM"}, false, nil},
		{"negative size", map[string]string{"SMTP_MAX_BYTES": "-1"}, false, []string{"SMTP_MAX_BYTES"}},
		{"no sessions", map[string]string{"SMTP_MAX_SESSIONS": "0"}, false, []string{"SMTP_MAX_SESSIONS"}},
		{"negative retention", map[string]string{"RETENTION_DAYS": "-1"}, false, []string{"RETENTION_DAYS: want 0"}},
		{"retention not a number", map[string]string{"RETENTION_DAYS": "a year"}, false, []string{"RETENTION_DAYS"}},
		{"retention in days", map[string]string{"RETENTION_DAYS": "730"}, false, nil},
		// Every REDIS_URL form the README documents validates.
		{"redis single", map[string]string{"REDIS_URL": "redis://:pw@127.0.0.1:6379/0"}, false, nil},
		{"redis tls", map[string]string{"REDIS_URL": "rediss://redis.internal:6380/0?skip_verify=true"}, false, nil},
		{"redis socket", map[string]string{"REDIS_URL": "unix:///run/redis.sock?db=2"}, false, nil},
		{"redis cluster", map[string]string{"REDIS_URL": "redis://h1:7000,h2:7001,h3:7002"}, false, nil},
		{"redis cluster one seed", map[string]string{"REDIS_URL": "redis://h1:7000?cluster=true"}, false, nil},
		{"redis sentinel", map[string]string{"REDIS_URL": "redis://:pw@s1:26379,s2:26379,s3:26379/0?master=mymaster"}, false, nil},
		{"redis bad option", map[string]string{"REDIS_URL": "redis://:hunter2@h1:7000,h2:7001?nope=1"}, false, []string{"REDIS_URL", "nope"}},
		{"redis empty address", map[string]string{"REDIS_URL": "redis://h1:7000,,h3:7002"}, false, []string{"REDIS_URL", "empty address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := configFrom(envOf(tt.env), tt.serve)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got no error, want one naming %v", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not name %s:\n%v", w, err)
				}
			}
		})
	}
}

// TestConfigErrorsOncePerVariable: a value that does not parse is reported
// once, not a second time by validation of the zero value it left behind,
// and the problems come in the same order on every run.
func TestConfigErrorsOncePerVariable(t *testing.T) {
	env := envOf(map[string]string{"ESCALATION_DELAY": "soon", "PORT": "abc", "SMTP_MAX_BYTES": "lots",
		"DIGEST_SCHEDULE": "bad", "REMINDER_SCHEDULE": "bad"})
	first := configFrom(env, false)
	if first == nil {
		t.Fatal("got no error, want one")
	}
	for _, key := range []string{"ESCALATION_DELAY", "PORT", "SMTP_MAX_BYTES"} {
		if n := strings.Count(first.Error(), key); n != 1 {
			t.Errorf("%s named %d times, want 1:\n%v", key, n, first)
		}
	}
	for range 20 {
		if err := configFrom(env, false); err.Error() != first.Error() {
			t.Fatalf("got\n%v\nwant the same message as before\n%v", err, first)
		}
	}
}

// configFrom loads and validates like run does.
func configFrom(getenv func(string) string, serve bool) error {
	_, err := Load(getenv, serve)
	return err
}

func TestPrintConfigListsEveryVariable(t *testing.T) {
	var buf bytes.Buffer
	if err := Print(&buf, envOf(map[string]string{"INBOUND_SECRET": "hunter2", "STORE_ENCRYPTION_KEY": "aHVudGVyMmh1bnRlcjJodW50ZXIyaHVudGVyMmh1bnQ="})); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, name := range []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL",
		"LEGAL_CHANNEL", "DIGEST_CHANNEL", "LEGAL_USERGROUP", "LEGAL_USERS", "REDIS_URL", "DATA_DIR", "SMTP_ADDR",
		"SMTP_MAX_BYTES", "SMTP_MAX_SESSIONS", "STORE_ENCRYPTION_KEY", "SMTP_TLS_CERT", "SMTP_TLS_KEY", "INTAKE_ADDRESSES", "INBOUND_SECRET", "OFFICIAL_DOMAINS",
		"COMPANY_NAME", "TIMEZONE", "REMINDER_SCHEDULE", "DIGEST_SCHEDULE", "DIGEST_EMAILS", "RETENTION_DAYS", "ONCALL_USERS",
		"ONCALL_ROTATION", "ESCALATION_DELAY", "ESCALATION_REPEAT", "PAGERDUTY_ROUTING_KEY", "PAGERDUTY_EVENTS_URL",
		"OUTBOUND_SMTP_URL", "MAIL_FROM", "PORT", "LOG_FORMAT"} {
		if !strings.Contains(out, "\n"+name+" ") {
			t.Errorf("config output lacks %s", name)
		}
	}
	if strings.Contains(out, "hunter2") || strings.Contains(out, "aHVudGVy") {
		t.Error("config output shows a secret value")
	}
	if !strings.Contains(out, "0 8 * * 1-5") {
		t.Error("config output lacks the DIGEST_SCHEDULE default")
	}
}

// TestConfigRedisURLHidesPassword: a bad REDIS_URL is reported without
// the password it carries.
func TestConfigRedisURLHidesPassword(t *testing.T) {
	for _, u := range []string{"redis://:hunter2@h1:7000,h2:7001?nope=1", "redis://:hunter2@h1:7000,,h2:1", "http://:hunter2@h"} {
		err := configFrom(envOf(map[string]string{"REDIS_URL": u}), false)
		if err == nil || !strings.Contains(err.Error(), "REDIS_URL") || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("REDIS_URL %s: got %v, want a REDIS_URL error without the password", u, err)
		}
	}
}

// TestConfigEncryptionKey: STORE_ENCRYPTION_KEY is checked at load (one
// or more base64 keys of 32 bytes), errors never show it, and the keys
// reach the store.
func TestConfigEncryptionKey(t *testing.T) {
	k1 := "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	k2 := "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
	cfg, err := Load(envOf(map[string]string{"STORE_ENCRYPTION_KEY": k1 + "," + k2}), false)
	if err != nil {
		t.Fatal(err)
	}
	if keys := cfg.EncryptionKeys(); len(keys) != 2 || keys[0][1] != 1 || keys[1][0] != 32 {
		t.Errorf("got %d keys %v, want the two given, in order", len(keys), keys)
	}
	if cfg, err := Load(envOf(nil), false); err != nil || cfg.EncryptionKeys() != nil {
		t.Errorf("unset: got %v, %v; want no keys", cfg.EncryptionKeys(), err)
	}
	for _, bad := range []string{"c2hvcnQ=", k1 + ",not base64!", k1 + "," + k1} {
		_, err := Load(envOf(map[string]string{"STORE_ENCRYPTION_KEY": bad}), false)
		if err == nil || !strings.Contains(err.Error(), "STORE_ENCRYPTION_KEY") || strings.Contains(err.Error(), k1[:12]) || strings.Contains(err.Error(), "c2hvcnQ") {
			t.Errorf("%q: got %v, want a STORE_ENCRYPTION_KEY error that does not show the key", bad, err)
		}
	}
}
