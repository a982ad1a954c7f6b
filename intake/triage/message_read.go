package triage

import (
	"bytes"
	"io"
	"strings"

	"github.com/lebot-dev/lebot/internal/chunks"
)

// readPart reads up to n bytes of r into c within the message's
// MaxReadBytes. It reports whether more remained and whether the
// message's budget, rather than n, stopped the read.
func (p *parser) readPart(r io.Reader, n int64, c *chunks.Buffers) (truncated, overBudget bool) {
	left := MaxReadBytes - p.st.read
	truncated = readCapped(r, min(n, max(left, 0)), c)
	p.st.read += c.Len()
	return truncated, truncated && left < n
}

// readCapped reads up to n bytes of r into c and reports whether more
// remained. A read error midway keeps what was read (a truncated
// transfer encoding is still worth showing). The bytes go into pooled
// chunks (internal/chunks): a large part is neither copied as a buffer
// grows nor sized from a guess.
func readCapped(r io.Reader, n int64, c *chunks.Buffers) bool {
	c.Fill(r, n+1, io.ReadFull)
	if c.Len() > n {
		c.Truncate(n)
		return true
	}
	return false
}

// plainText returns a text part's bytes as one string with its line
// ends made "\n" as unixNewlines makes them, in the same copy, but for a
// '\r' ending the part: body joins the parts with "\n\n" and runs
// unixNewlines over them, which reads that '\r' with the "\n" after it.
func plainText(c *chunks.Buffers) string {
	var sb strings.Builder
	sb.Grow(int(c.Len()))
	cr := false // a '\r' ended the last chunk
	c.Each(func(b []byte) {
		if cr && len(b) > 0 {
			sb.WriteByte('\n')
			cr, b = false, bytes.TrimPrefix(b, []byte("\n"))
		}
		for {
			i := bytes.IndexByte(b, '\r')
			if i < 0 {
				sb.Write(b)
				return
			}
			sb.Write(b[:i])
			if b = b[i+1:]; len(b) == 0 {
				cr = true
				return
			}
			sb.WriteByte('\n')
			b = bytes.TrimPrefix(b, []byte("\n"))
		}
	})
	if cr {
		sb.WriteByte('\r')
	}
	return sb.String()
}
