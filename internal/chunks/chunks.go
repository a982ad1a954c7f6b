// Package chunks reads a stream of unknown length into pooled chunks that
// double from 4 KiB up to 1 MiB. A large read is never copied over and
// over as one buffer grows, nothing is reserved beyond what arrived, and
// released chunks serve the next read: the message intake has just
// joined and released lends its chunks to the attachment triage decodes
// from it, so the two are not both held as garbage until the collector
// runs. Chunks are pooled with sync.Pool, so what is pooled goes at the
// next collections.
package chunks

import (
	"io"
	"math/bits"
	"net"
	"strings"
	"sync"
)

const (
	minShift = 12 // the first chunk: 4 KiB
	maxShift = 20 // the largest: 1 MiB
)

var pools [maxShift - minShift + 1]sync.Pool

func get(shift int) []byte {
	if p, _ := pools[shift-minShift].Get().(*[]byte); p != nil {
		return (*p)[:1<<shift]
	}
	return make([]byte, 1<<shift)
}

func put(b []byte) {
	shift := bits.TrailingZeros(uint(cap(b)))
	if cap(b) != 1<<shift || shift < minShift || shift > maxShift {
		return
	}
	b = b[:cap(b)]
	pools[shift-minShift].Put(&b)
}

// Buffers holds the bytes read so far, in chunks. The zero value is
// empty. A Buffers is not safe for concurrent use; after Release it is
// empty again and nothing taken from it before (Head) may be used.
type Buffers struct {
	bufs [][]byte
	n    int64
}

// Fill reads r into further chunks until Len is limit or full fails, and
// returns full's error (nil when limit was reached). full fills a chunk
// as io.ReadFull does; callers choose how r's errors come through.
func (c *Buffers) Fill(r io.Reader, limit int64, full func(io.Reader, []byte) (int, error)) error {
	for c.n < limit {
		shift := min(minShift+len(c.bufs), maxShift)
		b := get(shift)
		b = b[:min(int64(len(b)), limit-c.n)]
		k, err := full(r, b)
		if k > 0 {
			c.bufs = append(c.bufs, b[:k])
			c.n += int64(k)
		} else {
			put(b)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Len is the number of bytes held.
func (c *Buffers) Len() int64 { return c.n }

// Truncate keeps the first n bytes.
func (c *Buffers) Truncate(n int64) {
	if n >= c.n {
		return
	}
	kept := int64(0)
	for i, b := range c.bufs {
		if kept+int64(len(b)) >= n {
			c.bufs[i] = b[:n-kept]
			for _, rest := range c.bufs[i+1:] {
				put(rest)
			}
			clear(c.bufs[i+1:])
			c.bufs = c.bufs[:i+1]
			break
		}
		kept += int64(len(b))
	}
	c.n = n
}

// Head returns up to the first n bytes, valid until Release.
func (c *Buffers) Head(n int) []byte {
	if len(c.bufs) == 0 {
		return nil
	}
	if first := c.bufs[0]; len(first) >= n || len(c.bufs) == 1 {
		return first[:min(n, len(first))]
	}
	head := make([]byte, 0, n)
	for _, ch := range c.bufs {
		if len(head) == n {
			break
		}
		head = append(head, ch[:min(len(ch), n-len(head))]...)
	}
	return head
}

// AppendTo appends the bytes held to b.
func (c *Buffers) AppendTo(b []byte) []byte {
	for _, ch := range c.bufs {
		b = append(b, ch...)
	}
	return b
}

// String returns the bytes held as one string: one copy.
func (c *Buffers) String() string {
	var sb strings.Builder
	sb.Grow(int(c.n))
	for _, ch := range c.bufs {
		sb.Write(ch)
	}
	return sb.String()
}

// Each calls f with each chunk's bytes in order, valid until Release.
func (c *Buffers) Each(f func([]byte)) {
	for _, ch := range c.bufs {
		f(ch)
	}
}

// Reader reads the bytes held, which must stay held until it is done.
func (c *Buffers) Reader() io.Reader {
	bufs := net.Buffers(append([][]byte(nil), c.bufs...))
	return &bufs
}

// Release returns the chunks to the pool and empties c.
func (c *Buffers) Release() {
	for _, b := range c.bufs {
		put(b)
	}
	clear(c.bufs)
	c.bufs, c.n = c.bufs[:0], 0
}
