// Package reply writes lebot's answers to agencies: the notices'
// templates (built in, or files the team keeps in REPLY_TEMPLATES_DIR),
// the draft a person reviews before sending, and the message as sent, in
// the agency's own thread. It reads no store and sends nothing.
package reply

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
)

// Kind is a kind of answer.
type Kind string

// The kinds of answer /legal reply writes.
const (
	Receipt    Kind = "receipt"
	Deficiency Kind = "deficiency"
	Custom     Kind = "custom"
)

// Kinds lists them in the order the help names them.
var Kinds = []Kind{Receipt, Deficiency, Custom}

// ParseKind returns the kind named s.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if strings.EqualFold(s, string(k)) {
			return k, true
		}
	}
	return "", false
}

// Label names the kind in thread lines: "a deficiency notice".
func (k Kind) Label() string {
	switch k {
	case Receipt:
		return "a receipt notice"
	case Deficiency:
		return "a deficiency notice"
	}
	return "a message"
}

//go:embed templates/*.txt
var builtIn embed.FS

// maxTemplateBytes bounds a template file.
const maxTemplateBytes = 64 << 10

// Templates are the parsed templates of each kind.
type Templates struct {
	t map[Kind]*template.Template
}

// LoadTemplates parses the built-in templates and, when dir is set, the
// team's: dir/receipt.txt, dir/deficiency.txt and dir/custom.txt, each
// replacing the built-in one when present. An error names the file and
// what is wrong with it, and each template is tried on sample data, so a
// template that would fail at send time fails at start-up.
func LoadTemplates(dir string) (*Templates, error) {
	ts := &Templates{t: map[Kind]*template.Template{}}
	for _, k := range Kinds {
		name := string(k) + ".txt"
		src, err := fs.ReadFile(builtIn, "templates/"+name)
		if err != nil {
			return nil, err
		}
		where := "built-in " + name
		if dir != "" {
			path := filepath.Join(dir, name)
			b, err := os.ReadFile(path)
			switch {
			case errors.Is(err, fs.ErrNotExist):
			case err != nil:
				return nil, fmt.Errorf("REPLY_TEMPLATES_DIR: %w", err)
			case len(b) > maxTemplateBytes:
				return nil, fmt.Errorf("REPLY_TEMPLATES_DIR: %s is over %d KiB", path, maxTemplateBytes>>10)
			default:
				src, where = b, path
			}
		}
		t, err := template.New(name).Option("missingkey=error").Parse(string(src))
		if err != nil {
			return nil, fmt.Errorf("REPLY_TEMPLATES_DIR: %s: %w", where, err)
		}
		if err := t.Execute(&bytes.Buffer{}, sampleData); err != nil {
			return nil, fmt.Errorf("REPLY_TEMPLATES_DIR: %s: %w", where, err)
		}
		ts.t[k] = t
	}
	return ts, nil
}

// Render writes the body of kind k for d.
func (ts *Templates) Render(k Kind, d Data) (string, error) {
	t, ok := ts.t[k]
	if !ok {
		return "", fmt.Errorf("no template for %q", k)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return "", fmt.Errorf("%s template: %w", k, err)
	}
	return strings.TrimSpace(b.String()) + "\n", nil
}

var sampleData = Data{Company: "Example", RequestID: "LE-2026-0001", KindLabel: "subpoena",
	Received: "Thu Dec 3, 2026", Due: "Thu Dec 17, 2026", Missing: []string{"the specific time period requested"},
	AgentName: "Agent Doe", Subject: "Subpoena"}
