package commands

import (
	"os"
	"slices"
	"testing"

	"github.com/slack-go/slack"
	"go.yaml.in/yaml/v3"
)

// TestManifest parses the app manifest at the repository root and checks
// what lebot depends on: the escaped /legal command, interactivity, the
// App Home tab and its event, Socket Mode and the minimal bot scopes.
func TestManifest(t *testing.T) {
	raw, err := os.ReadFile("../slack-app-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m slack.Manifest
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("parse manifest: %v", err)
	}
	var legalCmd *slack.ManifestSlashCommand
	for i := range m.Features.SlashCommands {
		if m.Features.SlashCommands[i].Command == "/legal" {
			legalCmd = &m.Features.SlashCommands[i]
		}
	}
	wantScopes := []string{"commands", "chat:write", "im:write", "im:history", "usergroups:read", "users:read",
		"users:read.email", "files:write", "groups:history", "channels:history"}
	tests := []struct {
		name string
		ok   bool
	}{
		{"has a name", m.Display.Name != ""},
		{"declares /legal", legalCmd != nil},
		{"/legal escapes user names", legalCmd != nil && legalCmd.ShouldEscape},
		{"interactivity on", m.Settings.Interactivity.IsEnabled},
		{"app_home_opened subscribed", slices.Contains(m.Settings.EventSubscriptions.BotEvents, "app_home_opened")},
		{"home tab on", m.Features.AppHome.HomeTabEnabled},
		{"socket mode on", m.Settings.SocketModeEnabled},
		{"bot user", m.Features.BotUser.DisplayName != ""},
		{"exactly the minimal scopes", slices.Equal(sorted(m.OAuthConfig.Scopes.Bot), sorted(wantScopes))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Fatalf("manifest check failed: %+v", m)
			}
		})
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
