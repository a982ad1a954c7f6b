package triage

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // charsets beyond UTF-8 and ASCII
	"github.com/emersion/go-message/mail"

	"github.com/lebot-dev/lebot/internal/chunks"
	"github.com/lebot-dev/lebot/internal/safetext"
)

// Limits on what Parse reads, so hostile mail costs bounded work.
const (
	// MaxHeaderBytes caps one header block (go-message's default is 1 MiB).
	MaxHeaderBytes = 256 << 10
	// MaxParts caps the MIME parts read; later parts are skipped with a warning.
	MaxParts = 100
	// MaxDepth caps multipart and message/rfc822 nesting.
	MaxDepth = 8
	// MaxTextBytes caps the decoded text read from one body part.
	MaxTextBytes = 4 << 20
	// MaxAttachmentBytes caps an attachment read for text extraction;
	// larger ones are listed and flagged for manual review.
	MaxAttachmentBytes = 20 << 20
	// MaxReadBytes caps the decoded bytes read from all of one message's
	// parts together. An attached message is read again at each level of
	// nesting, so without it eight levels of a 19 MiB message held eight
	// copies; parts beyond it are listed and flagged for manual review.
	MaxReadBytes = 48 << 20
)

// ErrNotMessage is returned by Parse when raw has no readable header.
var ErrNotMessage = errors.New("not an e-mail message")

// Parse reads a raw RFC 5322 message: decoded headers, the readable body
// (text/plain preferred, else HTML as text), attachments with their text
// (PDF text layers, plain text, attached messages) and a forwarded
// original. Problems that leave the message readable are Warnings; Parse
// fails only when there is no message header at all.
func Parse(raw []byte) (*Message, error) {
	e, err := message.ReadWithOptions(bytes.NewReader(raw), &message.ReadOptions{MaxHeaderBytes: MaxHeaderBytes})
	if e == nil {
		return nil, fmt.Errorf("%w: %v", ErrNotMessage, err)
	}
	if len(e.Header.Map()) == 0 {
		return nil, ErrNotMessage
	}
	st := &msgState{pdfDeadline: time.Now().Add(pdfMessageBudget)}
	p := &parser{m: &Message{}, st: st}
	p.warnEntity(err, "message body")
	h := mail.Header{Header: e.Header}
	p.readHeader(h)
	p.walk(e, 0)
	m := p.m
	m.Body = p.body()
	m.Hidden = st.hidden
	m.Forwarded = findForwarded(m.Subject, m.Body, m.Date)
	if m.Forwarded == nil && p.attachedMsg != nil && isForwardSubject(m.Subject) {
		m.Forwarded = p.attachedMsg
	}
	return m, nil
}

// parser holds the state of one Parse.
type parser struct {
	m           *Message
	plain, html []string   // inline text parts in order
	parts       int        // parts seen
	attachedMsg *Forwarded // first message/rfc822 attachment's sender
	st          *msgState  // shared with the parsers of attached messages
	nested      bool       // this parser reads an attached message
}

// msgState is what one message has cost and met, across its attached
// messages.
type msgState struct {
	read        int64          // decoded bytes read from parts so far
	pdfDeadline time.Time      // when the time for this message's PDFs runs out
	hidden      map[string]int // invisible characters removed, by where
}

// clean removes invisible and direction-changing characters from text
// read from the message, counting them by where they were (text of an
// attached message counts as attachment text). Addresses are never
// cleaned: one with such characters is not the address it looks like,
// and verification must see it as it is.
func (p *parser) clean(where, s string) string {
	if plainASCII(s) {
		return s // nothing invisible: skip the rune-by-rune look
	}
	s, n := safetext.Strip(s)
	if n > 0 {
		if p.nested {
			where = "attachment text"
		}
		if p.st.hidden == nil {
			p.st.hidden = map[string]int{}
		}
		p.st.hidden[where] += n
	}
	return s
}

// autoReplyHeader reports whether the header marks the message as sent
// by a machine in answer to another: Auto-Submitted: auto-replied (RFC
// 3834; "auto-generated" is any machine's mail, a portal's notice
// included), X-Autoreply, X-Autorespond, or Precedence auto_reply.
func autoReplyHeader(h mail.Header) bool {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); strings.HasPrefix(v, "auto-replied") {
		return true
	}
	if h.Get("X-Autoreply") != "" || h.Get("X-Autorespond") != "" {
		return true
	}
	return strings.EqualFold(strings.TrimSpace(h.Get("Precedence")), "auto_reply")
}

// plainASCII reports whether s is ASCII with no control character but
// the spaces (tab, line feed, vertical tab, form feed, carriage return):
// text safetext.Strip would return unchanged.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x7f || c < 0x20 && (c < '\t' || c > '\r') {
			return false
		}
	}
	return true
}

func (p *parser) warn(format string, args ...any) {
	p.m.Warnings = append(p.m.Warnings, fmt.Sprintf(format, args...))
}

// skip warns of a part left unread at a cap and marks the message
// Incomplete.
func (p *parser) skip(format string, args ...any) {
	p.m.Incomplete = true
	p.warn(format, args...)
}

// warnEntity turns go-message's "readable but" errors into warnings.
func (p *parser) warnEntity(err error, what string) {
	switch {
	case err == nil:
	case message.IsUnknownCharset(err):
		p.warn("unknown charset in %s; text left undecoded", what)
	case message.IsUnknownEncoding(err):
		p.warn("unknown transfer encoding in %s; content left undecoded", what)
	default:
		p.warn("could not read %s: %v", what, err)
	}
}

func (p *parser) readHeader(h mail.Header) {
	m := p.m
	if s, err := h.Subject(); err == nil {
		m.Subject = s
	} else {
		m.Subject = h.Get("Subject")
	}
	m.Subject = p.clean("subject", m.Subject)
	if a := headerAddresses(h, "From"); len(a) > 0 {
		m.From = a[0]
		m.From.Name = p.clean("sender name", m.From.Name)
	}
	if a := headerAddresses(h, "Reply-To"); len(a) > 0 {
		m.ReplyTo = &a[0]
		m.ReplyTo.Name = p.clean("sender name", m.ReplyTo.Name)
	}
	for _, a := range headerAddresses(h, "To") {
		m.To = append(m.To, a.Email)
	}
	if id, err := h.MessageID(); err == nil && id != "" {
		m.MessageID = id
	} else {
		m.MessageID = strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>")
	}
	m.AutoReply = autoReplyHeader(h)
	if d, err := h.Date(); err == nil {
		m.Date = d
	} else if h.Get("Date") != "" {
		p.warn("unreadable Date header")
	}
}

// headerAddresses parses an address header, falling back to a lenient
// reading of "Name <addr>" when the strict RFC 5322 parser refuses it
// (unquoted commas or dots in display names are common).
func headerAddresses(h mail.Header, key string) []Address {
	if list, err := h.AddressList(key); err == nil {
		out := make([]Address, 0, len(list))
		for _, a := range list {
			out = append(out, Address{Name: a.Name, Email: a.Address})
		}
		return out
	}
	v := h.Get(key)
	if v == "" {
		return nil
	}
	if a, ok := lenientAddress(v); ok {
		return []Address{a}
	}
	return nil
}

var wordDecoder = &mime.WordDecoder{CharsetReader: message.CharsetReader}

func lenientAddress(v string) (Address, bool) {
	if dec, err := wordDecoder.DecodeHeader(v); err == nil {
		v = dec
	}
	v = strings.TrimSpace(v)
	if i, j := strings.LastIndexByte(v, '<'), strings.LastIndexByte(v, '>'); i >= 0 && j > i {
		email := strings.TrimSpace(v[i+1 : j])
		name := strings.Trim(strings.TrimSpace(v[:i]), `"' `)
		if strings.Contains(email, "@") {
			return Address{Name: name, Email: email}, true
		}
		return Address{}, false
	}
	for _, f := range strings.Fields(v) {
		f = strings.Trim(f, `"'(),;[]`)
		if strings.Contains(f, "@") {
			return Address{Email: strings.TrimPrefix(f, "mailto:")}, true
		}
	}
	return Address{}, false
}

// walk visits e and its sub-parts depth-first, within MaxParts and MaxDepth.
func (p *parser) walk(e *message.Entity, depth int) {
	p.parts++
	if p.parts > MaxParts {
		if p.parts == MaxParts+1 {
			p.skip("message has more than %d parts; the rest were not read", MaxParts)
		}
		return
	}
	if mr := e.MultipartReader(); mr != nil {
		if depth >= MaxDepth {
			p.skip("multipart nesting deeper than %d; inner parts not read", MaxDepth)
			return
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return
			}
			if part == nil {
				p.warn("malformed multipart body: %v", err)
				return
			}
			p.warnEntity(err, "a message part")
			p.walk(part, depth+1)
		}
	}
	p.leaf(e, depth)
}

// leaf reads one non-multipart part: body text or an attachment.
func (p *parser) leaf(e *message.Entity, depth int) {
	ct, params, _ := e.Header.ContentType()
	if ct == "" {
		ct = "text/plain"
	}
	disp, dparams, _ := e.Header.ContentDisposition()
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	if dec, err := wordDecoder.DecodeHeader(name); err == nil {
		name = dec
	}
	name = p.clean("attachment names", name)
	isText := ct == "text/plain" || ct == "text/html"
	if isText && disp != "attachment" && name == "" {
		var c chunks.Buffers
		truncated, overBudget := p.readPart(e.Body, MaxTextBytes, &c)
		s := plainText(&c)
		if ct == "text/html" {
			s = c.String()
		}
		c.Release()
		switch {
		case overBudget:
			p.skip("message too large to read in full; text beyond the first %d MiB was not read", MaxReadBytes>>20)
		case truncated:
			p.warn("body part longer than %d bytes was truncated", MaxTextBytes)
		}
		if ct == "text/html" {
			p.html = append(p.html, HTMLToText(s))
		} else {
			p.plain = append(p.plain, s)
		}
		return
	}
	p.attachment(e, ct, name, disp, depth)
}

// body joins the inline text parts: plain ones when any, else HTML ones.
func (p *parser) body() string {
	parts := p.plain
	if len(parts) == 0 {
		parts = p.html
	}
	// Undecodable charsets and truncation can leave invalid UTF-8.
	s := strings.Join(parts, "\n\n")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.TrimRight(p.clean("body", unixNewlines(s)), " \t\n")
}

// unixNewlines turns "\r\n" and a lone "\r" into "\n", in one pass.
func unixNewlines(s string) string {
	i := strings.IndexByte(s, '\r')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		b.WriteByte('\n')
		s = s[i+1:]
		if s != "" && s[0] == '\n' {
			s = s[1:]
		}
		i = strings.IndexByte(s, '\r')
	}
	b.WriteString(s)
	return b.String()
}
