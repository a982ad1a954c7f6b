package triage

import (
	"bytes"
	"io"
	"strings"

	"github.com/emersion/go-message"
)

// A part's decoded bytes are read into one buffer sized from the part's
// encoded length in the raw message (a base64 part decodes to at most
// three quarters of it), not into chunks joined at the end, which held a
// large attachment twice at the peak. The sizes are only a guess at the
// capacity: a guess too small falls back to reading in chunks, one too
// large is trimmed, and the capacity guessed over a whole message is
// capped at twice the raw message.

// partSizes returns the encoded length of each part of a multipart body
// whose delimiter lines ("--boundary" at the start of a line) are in raw,
// in order, at most MaxParts+1 of them.
func partSizes(raw []byte, boundary string) []int64 {
	if boundary == "" || len(raw) == 0 {
		return nil
	}
	delim := []byte("--" + boundary)
	var at []int
	for i := 0; i < len(raw) && len(at) <= MaxParts+1; {
		k := bytes.Index(raw[i:], delim)
		if k < 0 {
			break
		}
		if j := i + k; j == 0 || raw[j-1] == '\n' {
			at = append(at, j)
		}
		i += k + len(delim)
	}
	var sizes []int64
	for k := 1; k < len(at); k++ {
		sizes = append(sizes, int64(at[k]-at[k-1]))
	}
	return sizes
}

// setHint records the encoded length of the entity about to be read
// (0: unknown) and the transfer encoding that turns it into bytes.
func (p *parser) setHint(e *message.Entity, encoded int64) {
	p.hint = 0
	if encoded <= 0 {
		return
	}
	if strings.EqualFold(strings.TrimSpace(e.Header.Get("Content-Transfer-Encoding")), "base64") {
		encoded = encoded/4*3 + 3
	}
	if p.st.hinted+encoded > 2*int64(len(p.raw)) {
		return // guesses gone wrong: read the rest in chunks
	}
	p.hint = encoded
}

// readSized reads up to n bytes of r into one buffer of about hint bytes
// and reports whether more remained; it falls back to readCapped when r
// holds more than hint.
func (p *parser) readSized(r io.Reader, n, hint int64) ([]byte, bool) {
	if hint <= 0 {
		return readCapped(r, n)
	}
	size := min(hint, n) + 1 // one byte more tells whether more remained
	p.st.hinted += size
	b := make([]byte, size)
	m, err := io.ReadFull(r, b)
	if err != nil || int64(m) > n {
		// The whole part, or n bytes and the sign of more.
		b = b[:min(int64(m), n)]
		if int64(cap(b)) > 2*int64(len(b))+4096 {
			b = bytes.Clone(b) // a guess much too large is not kept
		}
		return b, int64(m) > n
	}
	// The guess was short: the rest in chunks.
	rest, truncated := readCapped(r, n-int64(m))
	return append(b, rest...), truncated
}
