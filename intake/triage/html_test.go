package triage

import (
	"strings"
	"testing"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{"paragraphs and br", "<p>One</p><p>Two<br>Three</p>", "One\n\nTwo\nThree"},
		{"whitespace collapsed", "<div>  a\n   b\t c </div>", "a b c"},
		{"entities", "<p>AT&amp;T &lt;x&gt; caf&eacute;&nbsp;&#8212;&#x2013;</p>", "AT&T <x> café —–"},
		{"script style head dropped", "<html><head><title>T</title><style>p{}</style></head><body><script>var x=1</script>Body</body></html>", "Body"},
		{"table rows", "<table><tr><th>Field</th><th>Value</th></tr><tr><td>Phone</td><td>(614) 555-0126</td></tr></table>", "Field | Value\nPhone | (614) 555-0126"},
		{"empty cell stays visible", "<table><tr><td>Explain why</td><td></td></tr><tr><td>Period</td><td>last 30 days</td></tr></table>", "Explain why |\nPeriod | last 30 days"},
		{"br inside cell", "<table><tr><th colspan=2>POLICE<br>REQUEST</th></tr></table>", "POLICE; REQUEST"},
		{"nested table", "<table><tr><td><table><tr><td>a</td><td>b</td></tr></table></td><td>c</td></tr></table>", "a | b\n\nc"},
		{"layout table keeps inner rows", "<table><tr><td><p>Letter</p><table><tr><td>Number</td><td>1</td></tr><tr><td>Cell</td><td>2</td></tr></table></td></tr></table>", "Letter\n\nNumber | 1\nCell | 2"},
		{"list items", "<ul><li>one</li><li>two</li></ul>after", "- one\n- two\n\nafter"},
		{"inline elements join", "<p>Call <b>Det.</b> <a href='x'>Moreno</a>.</p>", "Call Det. Moreno."},
		{"pre keeps lines", "<pre>a  b\nc</pre>", "a  b\nc"},
		{"headings", "<h1>Title</h1>text", "Title\n\ntext"},
		{"unclosed tags", "<div><p>open <b>bold", "open bold"},
		{"comment dropped", "a<!-- secret -->b", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLToText(tt.html); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHTMLToTextDeep: nesting beyond html.Parse's limit still gives text.
func TestHTMLToTextDeep(t *testing.T) {
	tests := []struct{ name, html, want string }{
		{"divs", strings.Repeat("<div>", 5000) + "deep text" + strings.Repeat("</div>", 5000), "deep text"},
		{"tables", "<style>x{}</style>" + strings.Repeat("<table><tr><td>", 3000) + "cell", "cell"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HTMLToText(tt.html)
			if strings.Contains(got, "<") || !strings.Contains(got, tt.want) || strings.Contains(got, "x{}") {
				t.Errorf("got %.200q, want text %q without tags or style", got, tt.want)
			}
		})
	}
}
