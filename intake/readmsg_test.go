package intake

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestReadMessage(t *testing.T) {
	msg := bytes.Repeat([]byte("0123456789abcdef"), 300<<10>>4) // 300 KiB
	cut := errors.New("connection cut")
	tests := []struct {
		name    string
		r       io.Reader
		hint    int64
		want    []byte
		wantErr error
		maxCap  int // the buffer returned holds no more than this
	}{
		{"no hint", bytes.NewReader(msg), 0, msg, nil, 2 * len(msg)},
		{"true hint: read in place", iotest.HalfReader(bytes.NewReader(msg)), int64(len(msg)), msg, nil, len(msg) + hintSlack},
		{"hint too small: grows", bytes.NewReader(msg), int64(len(msg) / 3), msg, nil, 2 * len(msg)},
		{"hint far too large, one byte sent: nothing reserved", bytes.NewReader([]byte("x")), 25 << 20, []byte("x"), nil, 4 << 10},
		{"hint too large, half sent", bytes.NewReader(msg[:100<<10]), int64(len(msg)), msg[:100<<10], nil, 128 << 10},
		{"cut mid-message", io.MultiReader(bytes.NewReader(msg[:200<<10]), iotest.ErrReader(cut)), int64(len(msg)), msg[:200<<10], cut, len(msg) + hintSlack},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readMessage(tt.r, tt.hint)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("read %d bytes, want %d (or not the same bytes)", len(got), len(tt.want))
			}
			if cap(got) > tt.maxCap {
				t.Errorf("buffer of %d bytes for %d read, want at most %d", cap(got), len(got), tt.maxCap)
			}
		})
	}
}
