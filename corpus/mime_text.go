package corpus

import (
	"bytes"
	"encoding/base64"
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

// Reading and rewriting the texts of one entity: its header fields and,
// for a text part, its decoded body.

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
