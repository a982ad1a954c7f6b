package triage

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/emersion/go-message"
)

// readSized must read what readCapped reads whatever the guess: too
// small, exact, too large, or beyond the cap.
func TestReadSizedAnyGuess(t *testing.T) {
	for _, size := range []int{0, 1, 100, 5000} {
		content := bytes.Repeat([]byte("abcdefghij"), size/10+1)[:size]
		for _, n := range []int64{50, 100, 10000} {
			for _, hint := range []int64{0, 1, 99, 100, 101, 4999, 5000, 1 << 20} {
				p := &parser{st: &msgState{}}
				got, truncated := p.readSized(bytes.NewReader(content), n, hint)
				want, wantTrunc := readCapped(bytes.NewReader(content), n)
				if !bytes.Equal(got, want) || truncated != wantTrunc {
					t.Fatalf("size %d, n %d, hint %d: got %d bytes (truncated %v), want %d (%v)",
						size, n, hint, len(got), truncated, len(want), wantTrunc)
				}
				if int64(cap(got)) > 2*int64(len(got))+4096 {
					t.Errorf("size %d, n %d, hint %d: %d bytes kept in a buffer of %d", size, n, hint, len(got), cap(got))
				}
			}
		}
	}
}

func TestReadSizedKeepsBytesBeforeAnError(t *testing.T) {
	r := io.MultiReader(strings.NewReader("half a part"), iotest.ErrReader(errors.New("connection reset")))
	p := &parser{st: &msgState{}}
	got, truncated := p.readSized(r, 1000, 500)
	if string(got) != "half a part" || truncated {
		t.Errorf("got %q (truncated %v), want the bytes read before the error", got, truncated)
	}
}

func TestPartSizesFromDelimiters(t *testing.T) {
	body := "preamble --XX not a delimiter\r\n--XX\r\nContent-Type: text/plain\r\n\r\nhello\r\n" +
		"--XX\r\nContent-Type: application/pdf\r\n\r\n" + strings.Repeat("QUJD", 100) + "\r\n--XX--\r\n"
	got := partSizes([]byte(body), "XX")
	first := strings.Index(body, "\n--XX") + 1
	second := strings.Index(body[first+4:], "\n--XX") + first + 4 + 1
	third := strings.LastIndex(body, "--XX--")
	if len(got) != 2 || got[0] != int64(second-first) || got[1] != int64(third-second) {
		t.Errorf("partSizes = %v, want [%d %d]", got, second-first, third-second)
	}
	if partSizes([]byte(body), "") != nil {
		t.Error("no boundary: want no sizes")
	}
}

// A base64 attachment is read into one buffer about its decoded size.
func TestAttachmentReadIntoOneBuffer(t *testing.T) {
	raw := pdfMessage(256 << 10)
	m, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("%d attachments", len(m.Attachments))
	}
	size := int64(m.Attachments[0].Size)
	p := &parser{m: &Message{}, st: &msgState{pdfDeadline: time.Now().Add(time.Minute)}, raw: raw}
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	p.setHint(e, int64(len(raw)))
	p.walk(e, 0)
	// The body's and the PDF's buffers: within a few header lines of
	// what they hold, not the doubled chunks of a read of unknown size.
	if p.st.hinted < size || p.st.hinted > size+size/50+4096 {
		t.Errorf("buffers sized %d bytes for a %d-byte attachment", p.st.hinted, size)
	}
}
