package reply

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// Message is an answer as it is sent.
type Message struct {
	From       *mail.Address // MAIL_FROM
	To         []string      // bare addresses
	Subject    string
	Body       string // plain text
	MessageID  string // lebot's own, without <>
	InReplyTo  string // the request's Message-ID, without <>; "" when it had none
	References []string
	Date       time.Time
}

// NewMessageID returns a fresh Message-ID (without <>) at the domain of from.
func NewMessageID(from *mail.Address) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	dom := "lebot.invalid"
	if from != nil {
		if _, d, ok := strings.Cut(from.Address, "@"); ok && d != "" {
			dom = d
		}
	}
	return "lebot." + hex.EncodeToString(b) + "@" + dom
}

// Bytes is the RFC 5322 message: CRLF line ends, the body UTF-8 in
// quoted-printable (so no line is too long for any relay), headers from
// outside encoded or stripped of line breaks so none can add a header.
func (m Message) Bytes() []byte {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, oneLine(v)) }
	h("From", m.From.String())
	h("To", strings.Join(m.To, ", "))
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", m.Date.Format(time.RFC1123Z))
	h("Message-ID", "<"+m.MessageID+">")
	if m.InReplyTo != "" {
		h("In-Reply-To", "<"+m.InReplyTo+">")
	}
	if len(m.References) > 0 {
		refs := make([]string, len(m.References))
		for i, r := range m.References {
			refs[i] = "<" + r + ">"
		}
		h("References", strings.Join(refs, " "))
	}
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	_, _ = w.Write([]byte(body))
	_ = w.Close()
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

// oneLine removes line breaks, so a value cannot start a header of its own.
func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}
