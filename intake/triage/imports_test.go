package triage

import (
	"os/exec"
	"strings"
	"testing"
)

// TestReadingImportsNoTransport: the reading half imports no mail
// transport, store or metrics package, directly or through a dependency,
// so it can be used (and fuzzed) without a server. net/http itself does
// come in, through golang.org/x/net/publicsuffix's cookiejar interface,
// and is therefore not on the list; no file here imports it.
func TestReadingImportsNoTransport(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	forbidden := []string{
		"github.com/emersion/go-smtp",
		"github.com/redis/go-redis",
		"go.etcd.io/bbolt",
		"github.com/lebot-dev/lebot/intake",
		"github.com/lebot-dev/lebot/store",
		"github.com/lebot-dev/lebot/internal/metrics",
		"github.com/prometheus/",
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "github.com/lebot-dev/lebot/intake/triage" {
			continue
		}
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") || (strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f)) {
				t.Errorf("intake/triage depends on %s, want no transport, store or metrics package", dep)
			}
		}
	}
	direct, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, ".").Output()
	if err != nil {
		t.Fatalf("go list imports: %v", err)
	}
	for _, imp := range strings.Fields(string(direct)) {
		if imp == "net/http" || imp == "net/smtp" {
			t.Errorf("intake/triage imports %s, want no HTTP or SMTP package", imp)
		}
	}
}
