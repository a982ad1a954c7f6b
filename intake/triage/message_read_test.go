package triage

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/lebot-dev/lebot/internal/chunks"
)

// readCapped reads the first n bytes of any part, in reads of any size,
// and tells whether more remained.
func TestReadCappedAnySize(t *testing.T) {
	for _, size := range []int{0, 1, 100, 5000, 70000} {
		content := bytes.Repeat([]byte("abcdefghij"), size/10+1)[:size]
		for _, n := range []int64{0, 50, 100, 4096, 10000, 1 << 20} {
			for name, r := range map[string]func() io.Reader{
				"whole":    func() io.Reader { return bytes.NewReader(content) },
				"halves":   func() io.Reader { return iotest.HalfReader(bytes.NewReader(content)) },
				"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(content)) },
			} {
				var c chunks.Buffers
				truncated := readCapped(r(), n, &c)
				want := content[:min(int64(size), n)]
				if got := c.String(); got != string(want) || truncated != (int64(size) > n) {
					t.Fatalf("%s, size %d, n %d: got %d bytes (truncated %v), want %d (%v)",
						name, size, n, len(got), truncated, len(want), int64(size) > n)
				}
				c.Release()
			}
		}
	}
}

func TestReadCappedKeepsBytesBeforeAnError(t *testing.T) {
	r := io.MultiReader(strings.NewReader("half a part"), iotest.ErrReader(errors.New("connection reset")))
	var c chunks.Buffers
	truncated := readCapped(r, 1000, &c)
	if got := c.String(); got != "half a part" || truncated {
		t.Errorf("got %q (truncated %v), want the bytes read before the error", got, truncated)
	}
}

// A large attachment is read into pooled chunks handed back once it is
// read: a second message allocates far less than its attachment's size
// (the collector is held off, so the pool stays).
func TestAttachmentChunksReused(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("From: a@example.gov\r\nSubject: data\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n" +
		"--XX\r\nContent-Type: text/plain\r\n\r\nSee the attached data.\r\n" +
		"--XX\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0, 1, 2, 0xfe}, 512<<10))
	for ; len(enc) > 76; enc = enc[76:] {
		sb.WriteString(enc[:76] + "\r\n")
	}
	sb.WriteString(enc + "\r\n--XX--\r\n")
	raw := []byte(sb.String())
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	m, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Size != 2<<20 {
		t.Fatalf("attachments %+v, want one of 2 MiB", m.Attachments)
	}
	size := uint64(m.Attachments[0].Size)
	// The least of a few parses: a collection that began before the
	// collector was held off can still empty the pool once.
	least := uint64(1 << 62)
	for range 3 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := Parse(raw); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	if least > size/16 {
		t.Errorf("a parse allocated %d bytes for a %d-byte attachment, want under a sixteenth of it", least, size)
	}
}

// plainText reads a part as unixNewlines would once body joins it to the
// next part, whatever the line ends and wherever a chunk ends.
func TestPlainTextAsUnixNewlines(t *testing.T) {
	edge := strings.Repeat("x", 4095)
	for _, s := range []string{"", "a", "\r", "\n", "\r\n", "a\rb", "a\r\nb\r\n", "a\r\r\nb\n\r", "a\r",
		edge + "\r\nb", edge + "\rb", edge + "\r", "y" + edge + "\r\n\r", edge + "\r\r\n", "\xff\r\xfe\r\n\xe2\x80\r"} {
		var c chunks.Buffers
		readCapped(strings.NewReader(s), 1<<20, &c)
		got := plainText(&c)
		c.Release()
		for _, next := range []string{"", "\n\nnext part", "\n\n\r\nnext"} {
			if a, b := unixNewlines(strings.ToValidUTF8(got+next, "\uFFFD")), unixNewlines(strings.ToValidUTF8(s+next, "\uFFFD")); a != b {
				t.Errorf("%q then %q: got %q, want %q", s, next, a, b)
			}
		}
		if strings.Contains(strings.TrimSuffix(got, "\r"), "\r") {
			t.Errorf("%q: %q keeps a '\\r' before its end", s, got)
		}
	}
}
