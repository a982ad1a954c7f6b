// Package config is lebot's configuration: every environment variable,
// its default and meaning (the Config struct's tags), how it is read
// through a getenv (never the process environment directly, so tests and
// the demo hand lebot an environment of their own), and the checks that
// report every problem at once.
package config

import (
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/lebot-dev/lebot/legal"

	"github.com/lebot-dev/lebot/store"
)

// Config is lebot's whole configuration, read from the environment. The
// names are part of the public interface (DESIGN.md); the env tags name
// them, default tags give defaults and desc tags describe them for
// `lebot config`.
//
// It is read by Parse, not by kelseyhightower/envconfig: envconfig's
// Process reads the process environment only, and lebot's run takes a
// getenv so tests and the demo never read or change the real one; Process
// also stops at the first bad value, where lebot reports every problem at
// once, and does not trim list entries.
type Config struct {
	SlackBotToken      string   `env:"SLACK_BOT_TOKEN" desc:"Slack bot token (xoxb-...); required by serve"`
	SlackAppToken      string   `env:"SLACK_APP_TOKEN" desc:"Slack app-level token (xapp-...); when set, serve uses Socket Mode"`
	SlackSigningSecret string   `env:"SLACK_SIGNING_SECRET" desc:"Slack signing secret; required by serve unless Socket Mode"`
	SlackAPIURL        string   `env:"SLACK_API_URL" desc:"Slack Web API base URL (empty: Slack's own; tests point it at a fake)"`
	LegalChannel       string   `env:"LEGAL_CHANNEL" desc:"private channel id where request cards are posted; required by serve"`
	DigestChannel      string   `env:"DIGEST_CHANNEL" desc:"channel id for the daily digest (empty: LEGAL_CHANNEL)"`
	LegalUsergroup     string   `env:"LEGAL_USERGROUP" desc:"Slack user group id whose members may act on requests"`
	LegalUsers         []string `env:"LEGAL_USERS" desc:"comma-separated Slack user ids who may act on requests"`

	RedisURL       string `env:"REDIS_URL" desc:"Redis URL (redis://, rediss://, unix://; several comma-separated addresses for Sentinel/Cluster); empty: embedded store"`
	RedisKeyPrefix string `env:"REDIS_KEY_PREFIX" default:"lebot:" desc:"prefix of every Redis key, as a Cluster hash tag: lebot: gives keys {lebot}:..."`
	DataDir        string `env:"DATA_DIR" default:"./data" desc:"directory of the embedded store file (lebot.db)"`
	// StoreEncryptionKey is read by EncryptionKeys (store.ParseEncryptionKeys).
	StoreEncryptionKey string `env:"STORE_ENCRYPTION_KEY" desc:"encrypt stored messages and requests at rest: base64 keys of 32 bytes (openssl rand -base64 32), comma-separated; the first encrypts, all decrypt (to rotate: put a new key first, run lebot store rekey, drop the old); empty: not encrypted"`

	SMTPAddr        string   `env:"SMTP_ADDR" default:":2525" desc:"SMTP intake listen address"`
	SMTPMaxBytes    ByteSize `env:"SMTP_MAX_BYTES" default:"26214400" desc:"largest accepted message in bytes (also 25MiB, 10MB, ...); also limits POST /inbound/email"`
	SMTPMaxSessions int      `env:"SMTP_MAX_SESSIONS" default:"200" desc:"SMTP connections open at once; one more is answered 421 and closed"`
	SMTPTLSCert     string   `env:"SMTP_TLS_CERT" desc:"PEM certificate file for STARTTLS (with SMTP_TLS_KEY)"`
	SMTPTLSKey      string   `env:"SMTP_TLS_KEY" desc:"PEM private key file for STARTTLS (with SMTP_TLS_CERT)"`
	IntakeAddresses []string `env:"INTAKE_ADDRESSES" desc:"comma-separated addresses the SMTP intake accepts mail for; required by serve"`
	InboundSecret   string   `env:"INBOUND_SECRET" desc:"bearer token for POST /inbound/email (empty: endpoint answers 503)"`
	OfficialDomains []string `env:"OFFICIAL_DOMAINS" desc:"extra sender domains treated as official (comma-separated)"`
	CompanyName     string   `env:"COMPANY_NAME" desc:"the company's name as agencies write it (used in extraction and replies)"`

	Timezone         string   `env:"TIMEZONE" default:"America/Los_Angeles" desc:"IANA time zone for business days, deadlines and schedules"`
	ReminderSchedule string   `env:"REMINDER_SCHEDULE" default:"*/15 * * * *" desc:"cron spec of the reminder and escalation tick"`
	DigestSchedule   string   `env:"DIGEST_SCHEDULE" default:"0 8 * * 1-5" desc:"cron spec of the daily digest"`
	DigestEmails     []string `env:"DIGEST_EMAILS" desc:"comma-separated e-mail addresses that also receive the digest"`
	RetentionDays    int      `env:"RETENTION_DAYS" default:"0" desc:"days after a request is responded to, rejected or closed before its raw message and identifiers are deleted (daily at 03:00 in TIMEZONE); 0 keeps everything: legal holds mean deletion must be a deliberate choice"`

	OncallUsers         []string      `env:"ONCALL_USERS" desc:"escalation levels in order, comma-separated; each a Slack user (U...) or user group (S...) id"`
	OncallRotation      string        `env:"ONCALL_ROTATION" desc:"weekly rotation of the first on-call level: U1,U2,U3@mon 09:00 [from 2026-03-02] (hand-off in TIMEZONE); empty: none"`
	EscalationDelay     time.Duration `env:"ESCALATION_DELAY" default:"5m" desc:"wait before paging the next on-call level"`
	EscalationRepeat    int           `env:"ESCALATION_REPEAT" default:"3" desc:"rounds through the on-call levels before @here in the channel"`
	PagerDutyRoutingKey string        `env:"PAGERDUTY_ROUTING_KEY" desc:"PagerDuty Events v2 routing key (empty: no PagerDuty pages)"`
	PagerDutyEventsURL  string        `env:"PAGERDUTY_EVENTS_URL" desc:"PagerDuty Events v2 URL (empty: PagerDuty's own)"`

	OutboundSMTPURL string `env:"OUTBOUND_SMTP_URL" desc:"outbound mail relay, smtp://user:pass@host:587 (empty: no e-mail)"`
	MailFrom        string `env:"MAIL_FROM" desc:"From address of mail lebot sends"`
	// ReplyTemplatesDir holds the team's reply templates (reply package).
	ReplyTemplatesDir string `env:"REPLY_TEMPLATES_DIR" desc:"directory of the team's reply templates (receipt.txt, deficiency.txt, custom.txt; Go text/template), each replacing the built-in one when present"`

	Port      int    `env:"PORT" default:"8080" desc:"HTTP listen port (Slack, inbound mail, health, metrics)"`
	LogFormat string `env:"LOG_FORMAT" default:"text" desc:"log format: text or json"`
}

// ByteSize is a size in bytes, written as a number with an optional unit.
type ByteSize int64

// Decode implements decoder.
func (b *ByteSize) Decode(v string) error {
	s := strings.TrimSpace(v)
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return fmt.Errorf("want a positive size in bytes such as 26214400 or 25MiB")
	}
	*b = ByteSize(n * mult)
	return nil
}

// decoder is a field type that parses its own value (ByteSize).
type decoder interface {
	Decode(value string) error
}

var _ decoder = (*ByteSize)(nil)

// Parse reads the configuration through getenv, walking Config's tags,
// without validating it. Every parse error is reported, not the first.
func Parse(getenv func(string) string) (*Config, []error) {
	var cfg Config
	var errs []error
	v := reflect.ValueOf(&cfg).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		key := f.Tag.Get("env")
		raw := getenv(key)
		if raw == "" {
			raw = f.Tag.Get("default")
		}
		if raw == "" {
			continue
		}
		if err := setField(v.Field(i), raw); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %v", key, raw, err))
			// Validation then sees the default, so one bad value is
			// reported once, not again as "want a positive duration".
			if def := f.Tag.Get("default"); def != "" && def != raw {
				_ = setField(v.Field(i), def)
			}
		}
	}
	return &cfg, errs
}

// setField decodes raw into field by its type.
func setField(field reflect.Value, raw string) error {
	if d, ok := field.Addr().Interface().(decoder); ok {
		return d.Decode(raw)
	}
	switch field.Interface().(type) {
	case string:
		field.SetString(strings.TrimSpace(raw))
	case []string:
		var list []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				list = append(list, s)
			}
		}
		field.Set(reflect.ValueOf(list))
	case time.Duration:
		d, err := time.ParseDuration(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("want a duration such as 5m or 90s")
		}
		field.SetInt(int64(d))
	case int:
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("want a whole number")
		}
		field.SetInt(int64(n))
	default:
		return fmt.Errorf("unsupported type %s", field.Type())
	}
	return nil
}

// joinConfigErrors makes one message of every problem, one per line.
func joinConfigErrors(errs []error) error {
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = "  " + e.Error()
	}
	return fmt.Errorf("configuration: %d problem(s):\n%s", len(errs), strings.Join(lines, "\n"))
}

// Validate checks values that parse but make no sense. serve adds the
// variables only the bot needs (tokens, channel, intake addresses).
func (c *Config) Validate(serve bool) error {
	if errs := c.problems(serve); len(errs) > 0 {
		return joinConfigErrors(errs)
	}
	return nil
}

func (c *Config) problems(serve bool) []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil || c.Timezone == "" {
		bad("TIMEZONE", "unknown time zone %q (want an IANA name such as America/Los_Angeles)", c.Timezone)
	}
	for _, s := range []struct{ key, spec string }{{"REMINDER_SCHEDULE", c.ReminderSchedule}, {"DIGEST_SCHEDULE", c.DigestSchedule}} {
		if _, err := cron.ParseStandard(s.spec); err != nil {
			bad(s.key, "bad cron spec %q: %v", s.spec, err)
		}
	}
	if (c.SMTPTLSCert == "") != (c.SMTPTLSKey == "") {
		bad("SMTP_TLS_CERT/SMTP_TLS_KEY", "set both or neither")
	}
	if _, _, err := net.SplitHostPort(c.SMTPAddr); err != nil {
		bad("SMTP_ADDR", "want host:port such as :2525, got %q", c.SMTPAddr)
	}
	if c.SMTPMaxSessions <= 0 {
		bad("SMTP_MAX_SESSIONS", "want a positive number, got %d", c.SMTPMaxSessions)
	}
	if c.Port < 0 || c.Port > 65535 {
		bad("PORT", "want 0-65535, got %d", c.Port)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("LOG_FORMAT", "want text or json, got %q", c.LogFormat)
	}
	if c.EscalationDelay <= 0 {
		bad("ESCALATION_DELAY", "want a positive duration")
	}
	if c.EscalationRepeat < 0 {
		bad("ESCALATION_REPEAT", "want 0 or more")
	}
	if c.RetentionDays < 0 {
		bad("RETENTION_DAYS", "want 0 (keep everything) or a positive number of days, got %d", c.RetentionDays)
	}
	c.validateAddresses(bad)
	c.validateIDs(bad)
	c.validateURLs(bad)
	c.validatePaging(bad)
	if serve {
		c.validateServe(bad)
	}
	return errs
}

func (c *Config) validateAddresses(bad func(string, string, ...any)) {
	for _, l := range []struct {
		key  string
		list []string
	}{{"INTAKE_ADDRESSES", c.IntakeAddresses}, {"DIGEST_EMAILS", c.DigestEmails}} {
		for _, a := range l.list {
			if addr, err := mail.ParseAddress(a); err != nil || addr.Address != a {
				bad(l.key, "%q is not a bare e-mail address", a)
			}
		}
	}
	if c.MailFrom != "" {
		if _, err := mail.ParseAddress(c.MailFrom); err != nil {
			bad("MAIL_FROM", "%q is not an e-mail address", c.MailFrom)
		}
	}
}

func (c *Config) validateURLs(bad func(string, string, ...any)) {
	for _, u := range []struct{ key, val string }{
		{"SLACK_API_URL", c.SlackAPIURL}, {"PAGERDUTY_EVENTS_URL", c.PagerDutyEventsURL},
	} {
		if p, err := url.Parse(u.val); u.val != "" && (err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "") {
			bad(u.key, "want an http(s) URL")
		}
	}
	if c.OutboundSMTPURL != "" {
		if p, err := url.Parse(c.OutboundSMTPURL); err != nil || (p.Scheme != "smtp" && p.Scheme != "smtps") || p.Host == "" {
			bad("OUTBOUND_SMTP_URL", "want smtp://user:pass@host:587 or smtps://...")
		}
	}
	if _, err := store.ParseEncryptionKeys(c.StoreEncryptionKey); err != nil {
		bad("STORE_ENCRYPTION_KEY", "%v", err)
	}
	if c.RedisURL != "" {
		// The store's own parser: every form that opens also validates
		// (Sentinel and Cluster list several addresses).
		if err := store.CheckRedisURL(c.RedisURL); err != nil {
			bad("REDIS_URL", "%v (want redis://host:6379/0, rediss://..., unix:///path, redis://h1:p1,h2:p2,h3:p3 for Cluster or redis://s1:p1,s2:p2/0?master=NAME for Sentinel)", err)
		}
	}
}

func (c *Config) validateServe(bad func(string, string, ...any)) {
	switch {
	case c.SlackBotToken == "":
		bad("SLACK_BOT_TOKEN", "required (the bot token, xoxb-...)")
	case !strings.HasPrefix(c.SlackBotToken, "xoxb-"):
		bad("SLACK_BOT_TOKEN", "want a bot token starting with xoxb-")
	}
	if c.SlackAppToken != "" && !strings.HasPrefix(c.SlackAppToken, "xapp-") {
		bad("SLACK_APP_TOKEN", "want an app-level token starting with xapp-")
	}
	if c.SlackAppToken == "" && c.SlackSigningSecret == "" {
		bad("SLACK_SIGNING_SECRET", "required unless SLACK_APP_TOKEN is set (Socket Mode)")
	}
	if c.LegalChannel == "" {
		bad("LEGAL_CHANNEL", "required (the channel id of the private legal channel)")
	}
	if c.LegalUsergroup == "" && len(c.LegalUsers) == 0 {
		bad("LEGAL_USERGROUP/LEGAL_USERS", "set at least one (the legal team's user group id S…, or a comma-separated list of user ids U…); otherwise nobody may use /legal")
	}
	if len(c.IntakeAddresses) == 0 {
		bad("INTAKE_ADDRESSES", "required (the addresses agencies write to, e.g. legal@example.com)")
	}
}

// EncryptionKeys returns the keys of STORE_ENCRYPTION_KEY (Validate has
// checked them); none when it is not set.
func (c *Config) EncryptionKeys() [][]byte {
	keys, _ := store.ParseEncryptionKeys(c.StoreEncryptionKey)
	return keys
}

// Location returns the configured time zone (Validate has checked it).
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Print lists every variable with its default and meaning, and
// whether it is set (never its value: some are secrets). It walks the same
// tags Parse reads, so the list cannot drift from the struct.
func Print(w io.Writer, getenv func(string) string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIABLE\tDEFAULT\tSET\tMEANING")
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		f := t.Field(i)
		key, def := f.Tag.Get("env"), f.Tag.Get("default")
		if def == "" {
			def = "-"
		}
		set := "-"
		if getenv(key) != "" {
			set = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", key, def, set, f.Tag.Get("desc"))
	}
	return tw.Flush()
}

// Load parses the configuration and validates it, reporting every parse
// and validation problem together in one message; serve adds the
// variables only the bot needs (Validate).
func Load(getenv func(string) string, serve bool) (*Config, error) {
	cfg, errs := Parse(getenv)
	errs = append(errs, cfg.problems(serve)...)
	if len(errs) > 0 {
		return nil, joinConfigErrors(errs)
	}
	return cfg, nil
}

// validatePaging reports paging variables that parse but cannot work.
func (c *Config) validatePaging(bad func(string, string, ...any)) {
	if _, err := legal.ParseLevels(c.OncallUsers); err != nil {
		bad("ONCALL_USERS", "%v", err)
	}
	if _, err := legal.ParseRotation(c.OncallRotation, c.Location()); err != nil {
		bad("ONCALL_ROTATION", "%v", err)
	}
	if k := c.PagerDutyRoutingKey; k != "" && len(k) != 32 {
		bad("PAGERDUTY_ROUTING_KEY", "want the 32-character integration key of an Events API v2 integration")
	}
	if c.OutboundSMTPURL != "" && c.MailFrom == "" {
		bad("MAIL_FROM", "required with OUTBOUND_SMTP_URL")
	}
}
