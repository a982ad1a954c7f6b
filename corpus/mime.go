package corpus

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"regexp"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
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

// structural header fields are left alone: rewriting them could break
// the message (a boundary that looks like a number); whatever they hold
// is still read by the leak check.
var structural = map[string]bool{"content-type": true, "content-transfer-encoding": true, "mime-version": true}

// signatures are header fields that sign the message as received: a
// rewritten message would fail them anyway, and they hold signers'
// identities (i=) and numbers that are not text. They are dropped.
var signatures = map[string]bool{"dkim-signature": true, "domainkey-signature": true, "arc-seal": true,
	"arc-message-signature": true, "arc-authentication-results": true}

var reEncodedWord = regexp.MustCompile(`=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=`)

// headerField hands a field's value to fn: plain stretches as they are,
// encoded words decoded (and re-encoded, in UTF-8, when changed).
func (w *walker) headerField(f []byte) ([]byte, error) {
	name, value, ok := bytes.Cut(f, []byte(":"))
	if !ok {
		w.fn(string(f), false)
		return f, nil
	}
	if signatures[strings.ToLower(string(bytes.TrimSpace(name)))] {
		return nil, nil
	}
	if structural[strings.ToLower(string(bytes.TrimSpace(name)))] {
		w.fn(unfold(string(value)), false) // seen, not changed
		return f, nil
	}
	v := string(value)
	var out strings.Builder
	last := 0
	for _, m := range reEncodedWord.FindAllStringSubmatchIndex(v, -1) {
		out.WriteString(w.fn(v[last:m[0]], false))
		word := v[m[0]:m[1]]
		dec, err := decodeWord(word)
		if err != nil {
			return nil, fmt.Errorf("header %s: %w", name, errUnreadable)
		}
		if nd := w.fn(dec, false); nd != dec {
			enc := mime.QEncoding
			if strings.EqualFold(v[m[4]:m[5]], "b") {
				enc = mime.BEncoding
			}
			word = enc.Encode("utf-8", nd)
		}
		out.WriteString(word)
		last = m[1]
	}
	out.WriteString(w.fn(v[last:], false))
	if out.String() == v {
		return f, nil
	}
	return append(append(append([]byte{}, name...), ':'), out.String()...), nil
}

func decodeWord(word string) (string, error) {
	d := mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
		enc, err := lookupCharset(cs)
		if err != nil {
			return nil, err
		}
		return enc.NewDecoder().Reader(r), nil
	}}
	return d.Decode(word)
}

// lookupCharset finds a charset by its MIME or WHATWG name.
func lookupCharset(cs string) (encoding.Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(cs)) {
	case "", "us-ascii", "ascii", "utf-8", "utf8":
		return unicode.UTF8, nil
	}
	if enc, err := ianaindex.MIME.Encoding(cs); err == nil && enc != nil {
		return enc, nil
	}
	if enc, err := htmlindex.Get(cs); err == nil && enc != nil {
		return enc, nil
	}
	return nil, fmt.Errorf("charset %q: %w", cs, errUnreadable)
}

// text hands a text part's decoded text to fn and re-encodes it when fn
// changed it.
func (w *walker) text(body []byte, cte, charset string, html bool, name string) ([]byte, error) {
	var decoded []byte
	var err error
	switch cte {
	case "", "7bit", "8bit", "binary":
		decoded = body
	case "quoted-printable":
		decoded, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	case "base64":
		decoded, err = base64.StdEncoding.DecodeString(string(stripSpace(body)))
	default:
		return nil, fmt.Errorf("%s in %q transfer encoding: %w", name, cte, errUnreadable)
	}
	if err != nil {
		return nil, fmt.Errorf("%s (%s): %w", name, cte, errUnreadable)
	}
	enc, err := lookupCharset(charset)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	utf8Text, err := enc.NewDecoder().Bytes(decoded)
	if err != nil {
		return nil, fmt.Errorf("%s in charset %s: %w", name, charset, errUnreadable)
	}
	changed := w.fn(string(utf8Text), html)
	if changed == string(utf8Text) {
		return body, nil
	}
	out, err := enc.NewEncoder().Bytes([]byte(changed))
	if err != nil {
		return nil, fmt.Errorf("%s: the new text does not fit charset %s: %w", name, charset, errUnreadable)
	}
	switch cte {
	case "quoted-printable":
		var b bytes.Buffer
		qw := quotedprintable.NewWriter(&b)
		qw.Write(out)
		qw.Close()
		return w.lineEnds(b.Bytes(), body), nil
	case "base64":
		return w.base64Lines(out, body), nil
	}
	return out, nil
}

func stripSpace(b []byte) []byte {
	return bytes.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, b)
}

// lineEnds gives s the message's line endings, and the original body's
// final line ending when it had one.
func (w *walker) lineEnds(s, orig []byte) []byte {
	s = bytes.ReplaceAll(s, []byte("\r\n"), []byte("\n"))
	if w.eol == "\r\n" {
		s = bytes.ReplaceAll(s, []byte("\n"), []byte("\r\n"))
	}
	if bytes.HasSuffix(orig, []byte("\n")) && !bytes.HasSuffix(s, []byte("\n")) {
		s = append(s, w.eol...)
	}
	return s
}

func (w *walker) base64Lines(data, orig []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(data)
	var b bytes.Buffer
	for len(enc) > 76 {
		b.WriteString(enc[:76] + w.eol)
		enc = enc[76:]
	}
	b.WriteString(enc)
	if bytes.HasSuffix(orig, []byte("\n")) {
		b.WriteString(w.eol)
	}
	return b.Bytes()
}

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
