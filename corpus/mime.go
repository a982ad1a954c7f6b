package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"strings"
)

// This file walks a raw message's MIME structure and hands every text a
// person could read — header values (RFC 2047 words decoded) and the
// decoded, charset-converted body of every text part — to a function
// that may change it. Parts whose text does not change keep their exact
// bytes; a changed part is re-encoded as it was (same transfer encoding
// and charset). Anything that cannot be read as text (a PDF, an image, an
// unknown encoding or charset) is an error naming it, so a caller that
// must change every occurrence of something never passes over a part.

// textFunc sees one text; html is set for text/html bodies. It returns
// the text to put in its place.
type textFunc func(s string, html bool) string

// errUnreadable: a part of the message cannot be read as text.
var errUnreadable = errors.New("cannot be read as text")

// Limits on the walk, whatever the message claims.
const (
	maxDepth = 20  // multipart and message/rfc822 nesting
	maxParts = 500 // parts in all
)

type walker struct {
	fn    textFunc
	parts int
	eol   string // the message's line ending, for re-encoded bodies
}

// walkMessage applies fn to every text of msg and returns the message
// with the changes, and without its signature header fields.
func walkMessage(msg []byte, fn textFunc) ([]byte, error) {
	w := &walker{fn: fn, eol: "\n"}
	if bytes.Contains(msg, []byte("\r\n")) {
		w.eol = "\r\n"
	}
	return w.entity(msg, 0, "text/plain")
}

// entity walks one header-and-body entity. defType is the type of an
// entity without Content-Type (message/rfc822 inside multipart/digest is
// not special-cased: text/plain is the safe reading).
func (w *walker) entity(raw []byte, depth int, defType string) ([]byte, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("parts nested more than %d deep: %w", maxDepth, errUnreadable)
	}
	if w.parts++; w.parts > maxParts {
		return nil, fmt.Errorf("more than %d parts: %w", maxParts, errUnreadable)
	}
	hdr, body := splitEntity(raw)
	fields := headerFields(hdr)
	var out bytes.Buffer
	for _, f := range fields {
		nf, err := w.headerField(f)
		if err != nil {
			return nil, err
		}
		out.Write(nf)
	}
	out.Write(raw[len(hdr) : len(raw)-len(body)]) // the blank line
	ctype, params := defType, map[string]string{}
	if v := fieldValue(fields, "content-type"); v != "" {
		t, p, err := mime.ParseMediaType(v)
		if err != nil {
			return nil, fmt.Errorf("a part whose Content-Type cannot be read: %w", errUnreadable)
		}
		ctype, params = t, p
	}
	cte := strings.ToLower(strings.TrimSpace(fieldValue(fields, "content-transfer-encoding")))
	name := partName(fields, params)
	var nb []byte
	var err error
	switch {
	case strings.HasPrefix(ctype, "multipart/"):
		nb, err = w.multipart(body, params["boundary"], depth)
	case ctype == "message/rfc822" || ctype == "message/global":
		if cte != "" && cte != "7bit" && cte != "8bit" && cte != "binary" {
			return nil, fmt.Errorf("an attached message in %q transfer encoding: %w", cte, errUnreadable)
		}
		nb, err = w.entity(body, depth+1, "text/plain")
	case strings.HasPrefix(ctype, "text/"):
		nb, err = w.text(body, cte, params["charset"], ctype == "text/html", name)
	default:
		if len(bytes.TrimSpace(body)) == 0 {
			nb = body
			break
		}
		return nil, fmt.Errorf("%s (%s): %w", name, truncate(ctype, 60), errUnreadable)
	}
	if err != nil {
		return nil, err
	}
	out.Write(nb)
	return out.Bytes(), nil
}

// partName says which part an error is about without its file name,
// which may hold a number or a name: the refusal is printed.
func partName(fields [][]byte, params map[string]string) string {
	if params["name"] != "" || strings.HasPrefix(strings.ToLower(fieldValue(fields, "content-disposition")), "attachment") {
		return "an attachment"
	}
	return "a part"
}

// splitEntity splits raw at its first empty line: header (with the
// line ending of its last field) and body.
func splitEntity(raw []byte) (hdr, body []byte) {
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\n')
		if j < 0 {
			return raw, nil
		}
		line := raw[i : i+j+1]
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return raw[:i], raw[i+len(line):]
		}
		i += j + 1
	}
	return raw, nil
}

// headerFields splits a header into its fields, each with its folded
// continuation lines and line endings.
func headerFields(hdr []byte) [][]byte {
	var out [][]byte
	for len(hdr) > 0 {
		end := 0
		for {
			j := bytes.IndexByte(hdr[end:], '\n')
			if j < 0 {
				end = len(hdr)
				break
			}
			end += j + 1
			if end >= len(hdr) || (hdr[end] != ' ' && hdr[end] != '\t') {
				break
			}
		}
		out = append(out, hdr[:end])
		hdr = hdr[end:]
	}
	return out
}

// fieldValue is the unfolded value of the first field named name.
func fieldValue(fields [][]byte, name string) string {
	for _, f := range fields {
		n, v, ok := bytes.Cut(f, []byte(":"))
		if ok && strings.EqualFold(string(bytes.TrimSpace(n)), name) {
			return strings.TrimSpace(unfold(string(v)))
		}
	}
	return ""
}

func unfold(s string) string { return strings.NewReplacer("\r\n", "", "\n", "").Replace(s) }

// multipart walks each part between the boundary's delimiter lines,
// keeping the delimiters, preamble and epilogue byte for byte.
func (w *walker) multipart(body []byte, boundary string, depth int) ([]byte, error) {
	if boundary == "" {
		return nil, fmt.Errorf("multipart without a boundary: %w", errUnreadable)
	}
	delim := []byte("--" + boundary)
	type span struct{ start, end int }
	var parts []span
	start, closed := -1, false
	for i := 0; i < len(body) && !closed; {
		j := bytes.IndexByte(body[i:], '\n')
		next := len(body)
		if j >= 0 {
			next = i + j + 1
		}
		line := bytes.TrimRight(body[i:next], " \t\r\n")
		if bytes.HasPrefix(line, delim) {
			rest := line[len(delim):]
			if len(rest) == 0 || bytes.Equal(rest, []byte("--")) {
				if start >= 0 {
					end := i
					// The line ending before a delimiter belongs to it.
					if end > start && body[end-1] == '\n' {
						end--
						if end > start && body[end-1] == '\r' {
							end--
						}
					}
					parts = append(parts, span{start, end})
				}
				start, closed = next, len(rest) == 2
			}
		}
		i = next
	}
	if start < 0 {
		return nil, fmt.Errorf("multipart without its boundary: %w", errUnreadable)
	}
	if !closed && start < len(body) {
		parts = append(parts, span{start, len(body)}) // no closing delimiter: the rest is the last part
	}
	var out bytes.Buffer
	last := 0
	for _, p := range parts {
		out.Write(body[last:p.start])
		np, err := w.entity(body[p.start:p.end], depth+1, "text/plain")
		if err != nil {
			return nil, err
		}
		out.Write(np)
		last = p.end
	}
	out.Write(body[last:])
	return out.Bytes(), nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
