package config

import (
	"strings"
	"testing"
)

func TestPagingConfigValidation(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string // "" for valid
	}{
		{"defaults", nil, ""},
		{"levels and rotation", map[string]string{"ONCALL_USERS": "U0A,S0TEAM", "ONCALL_ROTATION": "U0A,U0B@mon 09:00"}, ""},
		{"bad level", map[string]string{"ONCALL_USERS": "U0A,alice"}, "ONCALL_USERS"},
		{"bad rotation", map[string]string{"ONCALL_ROTATION": "U0A every monday"}, "ONCALL_ROTATION"},
		{"short key", map[string]string{"PAGERDUTY_ROUTING_KEY": "abc"}, "PAGERDUTY_ROUTING_KEY"},
		{"mail without from", map[string]string{"OUTBOUND_SMTP_URL": "smtp://relay:25"}, "MAIL_FROM"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(envOf(tc.env), false)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error naming %s", err, tc.want)
			}
		})
	}
}
