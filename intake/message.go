package intake

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	_ "github.com/emersion/go-message/charset" // charsets beyond UTF-8 and ASCII
	"github.com/emersion/go-message/mail"
)

// Parse reads a raw RFC 5322 message into a Message.
func Parse(raw []byte) (*Message, error) {
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if mr == nil {
		return nil, fmt.Errorf("read message header: %w", err)
	}
	m := &Message{}
	m.Subject, _ = mr.Header.Subject()
	if from, err := mr.Header.AddressList("From"); err == nil && len(from) > 0 {
		m.From = Address{Name: from[0].Name, Email: from[0].Address}
	}
	m.MessageID, _ = mr.Header.MessageID()
	m.Date, _ = mr.Header.Date()
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			break
		}
		b, _ := io.ReadAll(p.Body)
		if h, ok := p.Header.(*mail.InlineHeader); ok {
			ct, _, _ := h.ContentType()
			if strings.HasPrefix(ct, "text/plain") && m.Body == "" {
				m.Body = string(b)
			}
		}
	}
	return m, nil
}
