package intake

import (
	"io"
	"slices"

	"github.com/lebot-dev/lebot/internal/chunks"
)

// readMessage reads r whole. Memory follows the bytes that arrive, never
// what the sender declared: a hundred sessions that claim 25 MiB (SIZE=,
// Content-Length) and send one byte hold 4 KiB each. The bytes go into
// pooled chunks that double up to 1 MiB and are joined once at the end,
// so a large message is not copied over and over as one buffer grows;
// the chunks go back to the pool, where triage's reading of the message
// finds them.
//
// hint is the size the sender declared (0: none). Once half of it has
// arrived it is believed: the message so far moves into one buffer of
// that size and the rest is read straight into it, so a large message is
// never held twice over (chunks and the joined copy) — what is reserved
// is never more than twice what has arrived. A message that outgrows its
// hint grows the buffer.
func readMessage(r io.Reader, hint int64) ([]byte, error) {
	var c chunks.Buffers
	defer c.Release()
	half := int64(1 << 62) // no hint: read to the end
	if hint > 4<<10 {
		half = (hint + 1) / 2
	}
	if err := c.Fill(r, half, readFull); err != nil {
		return done(c.AppendTo(make([]byte, 0, c.Len())), err)
	}
	return readInto(r, c.AppendTo(make([]byte, 0, max(hint+hintSlack, c.Len()))))
}

// hintSlack is room past a declared size, so a message a little larger
// than declared (line endings counted differently) is not copied again.
const hintSlack = 4 << 10

// readInto reads the rest of r onto out, growing it only when full.
func readInto(r io.Reader, out []byte) ([]byte, error) {
	for {
		if len(out) == cap(out) {
			out = slices.Grow(out, max(len(out)/4, 64<<10))
		}
		n, err := readFull(r, out[len(out):cap(out)])
		out = out[:len(out)+n]
		if err != nil {
			return done(out, err)
		}
	}
}

func done(out []byte, err error) ([]byte, error) {
	if err == io.EOF {
		err = nil
	}
	return out, err
}

// readFull fills b from r; unlike io.ReadFull it passes r's own errors
// through unchanged (a connection cut mid-message is not an end).
func readFull(r io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
