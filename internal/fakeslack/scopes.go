package fakeslack

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// methodScopes are the bot-token scopes each Web API method needs, from
// each method's "Scopes" in Slack's reference (docs.slack.dev/reference/
// methods/…). conversations.history and .replies depend on the channel
// (historyScope); auth.test, chat.getPermalink and views.* need none.
var methodScopes = map[string]string{
	"chat.postMessage":             "chat:write",
	"chat.update":                  "chat:write",
	"chat.postEphemeral":           "chat:write",
	"conversations.open":           "im:write",
	"usergroups.users.list":        "usergroups:read",
	"users.info":                   "users:read",
	"files.getUploadURLExternal":   "files:write",
	"files.completeUploadExternal": "files:write",
}

// SetScopes grants the bot token exactly these scopes: a method whose
// scope is missing answers missing_scope, as Slack does. New grants the
// scopes of the repository's slack-app-manifest.yaml; Start grants every
// scope until SetScopes is called.
func (s *Server) SetScopes(scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scopes = slices.Clone(scopes)
	if s.scopes == nil {
		s.scopes = []string{}
	}
}

// granted reports whether the bot token has scope (every scope when none
// were set).
func (s *Server) granted(scope string) bool {
	return s.scopes == nil || slices.Contains(s.scopes, scope)
}

// missingScope is Slack's answer to a call without the scope it needs:
// the error, what was needed and what the token has.
func (s *Server) missingScope(needed string) (any, string) {
	s.extra = map[string]any{"needed": needed, "provided": strings.Join(s.scopes, ",")}
	return nil, "missing_scope"
}

// ManifestScopes reads the bot scopes (oauth_config.scopes.bot) of a
// Slack app manifest in YAML.
func ManifestScopes(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m struct {
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
	}
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(m.OAuth.Scopes.Bot) == 0 {
		return nil, fmt.Errorf("%s: no oauth_config.scopes.bot", path)
	}
	return m.OAuth.Scopes.Bot, nil
}

// manifestName is the app manifest at the module's root.
const manifestName = "slack-app-manifest.yaml"

// findManifest looks for the manifest in the working directory and its
// parents (a test runs in its package's directory).
func findManifest() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, manifestName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New(manifestName + " not found in the working directory or its parents")
		}
		dir = parent
	}
}
