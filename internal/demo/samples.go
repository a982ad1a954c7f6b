package demo

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/mail"
	"path"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/emersion/go-smtp"
)

// Sample is one sample request, ready to mail.
type Sample struct {
	Name    string // file name
	From    string // the From address, used as the envelope sender
	Subject string
	Raw     []byte
}

// placeholder is a date in a sample, relative to the day the demo runs,
// so deadlines are always near: {{date}} is now as an RFC 5322 Date
// header, {{+3}} three days from today and {{-30}} thirty days ago, as
// "March 5, 2026".
var placeholder = regexp.MustCompile(`\{\{(date|[+-]\d+)\}\}`)

// Expand fills in the sample's date placeholders as of now in loc.
func Expand(raw []byte, now time.Time, loc *time.Location) []byte {
	now = now.In(loc)
	return placeholder.ReplaceAllFunc(raw, func(m []byte) []byte {
		arg := string(m[2 : len(m)-2])
		if arg == "date" {
			return []byte(now.Format(time.RFC1123Z))
		}
		days, _ := strconv.Atoi(arg) // the pattern admits only numbers
		return []byte(now.AddDate(0, 0, days).Format("January 2, 2006"))
	})
}

// LoadSamples reads every *.eml in fsys's root, in name order, expanded
// as of now.
func LoadSamples(fsys fs.FS, now time.Time, loc *time.Location) ([]Sample, error) {
	names, err := fs.Glob(fsys, "*.eml")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	out := make([]Sample, 0, len(names))
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		s, err := NewSample(path.Base(name), Expand(raw, now, loc))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// NewSample reads the sender and subject of a raw message.
func NewSample(name string, raw []byte) (Sample, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Sample{}, fmt.Errorf("sample %s: %w", name, err)
	}
	from, err := mail.ParseAddress(msg.Header.Get("From"))
	if err != nil {
		return Sample{}, fmt.Errorf("sample %s: From: %w", name, err)
	}
	return Sample{Name: name, From: from.Address, Subject: msg.Header.Get("Subject"), Raw: raw}, nil
}

// Mail sends s to rcpt through the SMTP server at addr and returns once
// the server has answered the message (250: stored).
func Mail(ctx context.Context, addr, rcpt string, s Sample) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("connect to SMTP %s: %w", addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c := smtp.NewClient(conn)
	defer c.Close()
	if err := c.SendMail(s.From, []string{rcpt}, bytes.NewReader(s.Raw)); err != nil {
		return fmt.Errorf("mail %s: %w", s.Name, err)
	}
	return c.Quit()
}
