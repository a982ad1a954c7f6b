package triage

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLToText turns an HTML body into readable text: block elements and
// <br> end lines, table cells in a row are joined with " | " so
// "label | value" forms stay readable (an empty cell leaves a bare "|"),
// script, style and head are dropped and entities are decoded.
func HTMLToText(src string) string {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil { // nesting too deep for the parser: read tokens instead
		return htmlTokensText(src)
	}
	w := &htmlText{tables: map[*html.Node]bool{}}
	w.node(doc, 0)
	return w.String()
}

// maxHTMLDepth bounds recursion on hostile nesting (html.Parse itself
// caps the tree at 512 levels).
const maxHTMLDepth = 600

type htmlText struct {
	lines []string
	cur   strings.Builder
	pre   int // inside <pre>
	// tables caches holdsTable; shared with the writers of cells.
	tables map[*html.Node]bool
}

func (w *htmlText) node(n *html.Node, depth int) {
	if depth > maxHTMLDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Head, atom.Title, atom.Noscript, atom.Template:
			return
		case atom.Br:
			w.newline()
			return
		case atom.Tr:
			w.row(n, depth)
			return
		case atom.Pre:
			w.pre++
			defer func() { w.pre-- }()
		}
	}
	block := n.Type == html.ElementNode && htmlBlock(n.DataAtom)
	if block {
		w.newline()
	}
	if n.DataAtom == atom.Li {
		w.cur.WriteString("- ")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c, depth+1)
	}
	if block {
		w.newline()
		if htmlParagraph(n.DataAtom) {
			w.lines = append(w.lines, "")
		}
	}
}

// row writes one table row as its cells' text joined by " | ". A row
// whose cells hold tables is layout, not data: each cell is written as
// the blocks it holds, so an inner table keeps its own rows.
func (w *htmlText) row(tr *html.Node, depth int) {
	w.newline()
	if w.layoutRow(tr) {
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
				continue
			}
			for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
				w.node(cc, depth+2)
			}
			w.newline()
			w.lines = append(w.lines, "")
		}
		return
	}
	var cells []string
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
			continue
		}
		sub := &htmlText{pre: w.pre, tables: w.tables}
		for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
			sub.node(cc, depth+2)
		}
		// Line breaks inside a cell become "; " so the row stays one line.
		var parts []string
		for _, l := range strings.Split(sub.String(), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				parts = append(parts, l)
			}
		}
		cells = append(cells, strings.Join(parts, "; "))
	}
	w.lines = append(w.lines, strings.TrimRight(strings.Join(cells, " | "), " "))
}

// layoutRow reports whether a cell of tr holds a table.
func (w *htmlText) layoutRow(tr *html.Node) bool {
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) && w.holdsTable(c, 0) {
			return true
		}
	}
	return false
}

// holdsTable reports whether a table stands below n. Each node's answer
// is kept, so nested tables cost one walk in all.
func (w *htmlText) holdsTable(n *html.Node, depth int) bool {
	if v, ok := w.tables[n]; ok {
		return v
	}
	found := false
	if depth <= maxHTMLDepth {
		for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
			found = c.Type == html.ElementNode && (c.DataAtom == atom.Table || w.holdsTable(c, depth+1))
		}
	}
	if w.tables == nil {
		w.tables = map[*html.Node]bool{}
	}
	w.tables[n] = found
	return found
}

func (w *htmlText) text(s string) {
	if w.pre > 0 {
		parts := strings.Split(s, "\n")
		for i, p := range parts {
			if i > 0 {
				w.newline()
			}
			w.cur.WriteString(p)
		}
		return
	}
	f := strings.Fields(s)
	if len(f) == 0 {
		if s != "" && w.cur.Len() > 0 {
			w.cur.WriteByte(' ')
		}
		return
	}
	if htmlSpace(s[0]) && w.cur.Len() > 0 {
		w.cur.WriteByte(' ')
	}
	w.cur.WriteString(strings.Join(f, " "))
	if htmlSpace(s[len(s)-1]) {
		w.cur.WriteByte(' ')
	}
}

func htmlSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func (w *htmlText) newline() {
	line := w.cur.String()
	w.cur.Reset()
	if w.pre == 0 {
		line = strings.TrimSpace(strings.Join(strings.Fields(line), " "))
	}
	if line != "" || w.pre > 0 {
		w.lines = append(w.lines, line)
	}
}

// String returns the text with runs of blank lines collapsed to one.
func (w *htmlText) String() string {
	w.newline()
	var out []string
	for _, l := range w.lines {
		l = strings.TrimRight(l, " \t\u00a0")
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// htmlParagraph: blocks followed by a blank line.
// htmlTokensText is the fallback for documents html.Parse refuses: text
// tokens outside script and style, with block tags as line breaks.
func htmlTokensText(src string) string {
	w := &htmlText{}
	z := html.NewTokenizer(strings.NewReader(src))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return w.String()
		case html.TextToken:
			if skip == 0 {
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case a == atom.Script || a == atom.Style:
				if z.Token().Type == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			case a == atom.Br || a == atom.Tr || htmlBlock(a):
				w.newline()
			case a == atom.Td || a == atom.Th:
				w.cur.WriteString(" | ")
			}
		}
	}
}

func htmlParagraph(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Table, atom.Ul, atom.Ol, atom.Dl, atom.Blockquote, atom.Pre, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func htmlBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Caption,
		atom.Ul, atom.Ol, atom.Li, atom.Dl, atom.Dt, atom.Dd, atom.Blockquote, atom.Pre,
		atom.Hr, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Address,
		atom.Form, atom.Fieldset, atom.Nav, atom.Aside, atom.Main, atom.Center, atom.Body,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}
