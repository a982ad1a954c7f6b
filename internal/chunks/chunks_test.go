package chunks

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestBuffers(t *testing.T) {
	data := make([]byte, 3<<20+12345)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for _, n := range []int{0, 1, 4095, 4096, 4097, 70000, len(data)} {
		for _, limit := range []int64{0, 10, 5000, 1 << 20, 1 << 40} {
			var c Buffers
			err := c.Fill(iotest.HalfReader(bytes.NewReader(data[:n])), limit, io.ReadFull)
			want := data[:min(int64(n), limit)]
			if int64(n) < limit != (err != nil) {
				t.Fatalf("n %d, limit %d: err %v", n, limit, err)
			}
			if c.Len() != int64(len(want)) || c.String() != string(want) || !bytes.Equal(c.AppendTo(nil), want) {
				t.Fatalf("n %d, limit %d: got %d bytes, want %d", n, limit, c.Len(), len(want))
			}
			if got := c.Head(5000); !bytes.Equal(got, want[:min(5000, len(want))]) {
				t.Fatalf("n %d, limit %d: head of %d bytes differs", n, limit, len(got))
			}
			if got, _ := io.ReadAll(c.Reader()); !bytes.Equal(got, want) {
				t.Fatalf("n %d, limit %d: reader gave %d bytes", n, limit, len(got))
			}
			cut := int64(len(want)) / 3
			c.Truncate(cut)
			if c.Len() != cut || c.String() != string(want[:cut]) {
				t.Fatalf("n %d, limit %d: truncated to %d, got %d bytes", n, limit, cut, c.Len())
			}
			c.Release()
			if c.Len() != 0 || c.String() != "" {
				t.Fatalf("released: %d bytes left", c.Len())
			}
		}
	}
}

func TestFillKeepsBytesBeforeAnError(t *testing.T) {
	cut := errors.New("connection cut")
	var c Buffers
	err := c.Fill(io.MultiReader(bytes.NewReader(make([]byte, 10000)), iotest.ErrReader(cut)), 1<<30, io.ReadFull)
	if !errors.Is(err, cut) || c.Len() != 10000 {
		t.Errorf("got %d bytes and %v, want 10000 and the reader's error", c.Len(), err)
	}
}
