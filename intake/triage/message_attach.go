package triage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"github.com/lebot-dev/lebot/internal/chunks"
)

// attachment reads one attached part: its size and, for the types the
// team receives legal process in, its text. Named files that cannot be
// read are flagged for a person.
func (p *parser) attachment(e *message.Entity, ct, name, disp string, depth int) {
	if ct == "message/rfc822" || ct == "message/global" {
		p.attachedMessage(e.Body, ct, name, depth)
		return
	}
	var c chunks.Buffers
	defer c.Release()
	truncated, overBudget := p.readPart(e.Body, MaxAttachmentBytes, &c)
	a := Attachment{Filename: name, ContentType: ct, Size: int(c.Len())}
	label := name
	if label == "" {
		label = "an unnamed " + ct + " attachment"
	}
	switch {
	case overBudget:
		a.NeedsReview = true
		a.ReviewNote = "was not read (the message is too large to read in full)"
		p.warn("needs manual review: %s %s", label, a.ReviewNote)
	case truncated:
		a.NeedsReview = true
		p.warn("needs manual review: %s is larger than %d bytes and was not read", label, MaxAttachmentBytes)
	case isPDF(ct, name, c.Head(1024)):
		p.pdf(&a, c.Reader(), label)
	case strings.HasPrefix(ct, "text/") || isTextName(name):
		s := c.String()
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		a.Text = unixNewlines(s)
		if ct == "text/html" {
			a.Text = HTMLToText(a.Text)
		}
	case name == "" && disp != "attachment":
		// An unnamed inline part (a logo or signature image in
		// multipart/related) is listed but is not the request.
	default:
		a.NeedsReview = true
		p.warn("needs manual review: %s (%s) cannot be read as text", label, ct)
	}
	a.Text = p.clean("attachment text", a.Text)
	p.m.Attachments = append(p.m.Attachments, a)
}

// pdf reads a PDF attachment's text within the message's PDF budget. A
// PDF cut short by a limit keeps the text read and goes to a person.
func (p *parser) pdf(a *Attachment, r io.Reader, label string) {
	ctx, cancel := context.WithDeadline(context.Background(), p.st.pdfDeadline)
	defer cancel()
	text, err := pdfTextFrom(ctx, r)
	switch {
	case errors.Is(err, ErrPDFNotRead):
		a.NeedsReview = true
		a.ReviewNote = "was not read (lebot's time for this message's PDFs ran out)"
		p.warn("needs manual review: %s %s", label, a.ReviewNote)
	case errors.Is(err, ErrPDFLimit):
		a.NeedsReview, a.Text = true, text
		a.ReviewNote = "is too large or complex to read in full (only part of its text was read)"
		if strings.TrimSpace(text) == "" {
			a.ReviewNote = "is too large or complex to read (none of its text was read)"
		}
		p.warn("needs manual review: %s %s", label, a.ReviewNote)
	case err != nil:
		a.NeedsReview = true
		p.warn("needs manual review: %s could not be read as a PDF", label)
	case strings.TrimSpace(text) == "":
		a.NeedsReview = true
		p.warn("needs manual review: %s has no text layer", label)
	default:
		a.Text = text
	}
}

// isPDF accepts a PDF by type, by name (mailers often send
// application/octet-stream) or by its magic bytes in head, the part's
// first 1 KiB.
func isPDF(ct, name string, head []byte) bool {
	return ct == "application/pdf" || ct == "application/x-pdf" ||
		strings.EqualFold(path.Ext(name), ".pdf") ||
		bytes.HasPrefix(bytes.TrimLeft(head[:min(len(head), 1024)], "\r\n\t "), []byte("%PDF-"))
}

func isTextName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".csv", ".log":
		return true
	}
	return false
}

// attachedMessage reads a message/rfc822 part: its own header lines,
// body and attachments become text, and its attachments are listed on
// the outer message too (a forwarded request's PDF is the request). The
// part is parsed as it streams in, never held whole, so each level of
// nesting costs only what its own text parts keep; within
// MaxAttachmentBytes, as any attachment.
func (p *parser) attachedMessage(r io.Reader, ct, name string, depth int) {
	a := Attachment{Filename: name, ContentType: ct}
	if a.Filename == "" {
		a.Filename = "attached message.eml"
	}
	cr := &countingReader{r: io.LimitReader(r, MaxAttachmentBytes+1)}
	a.Text = p.clean("attachment text", p.readAttached(cr, depth))
	io.Copy(io.Discard, cr) // the rest, for its size
	a.Size = int(min(cr.n, MaxAttachmentBytes))
	if cr.n > MaxAttachmentBytes {
		a.NeedsReview = true
		a.ReviewNote = fmt.Sprintf("is larger than %d MiB; only its beginning was read", MaxAttachmentBytes>>20)
		p.warn("needs manual review: an attached message %s", a.ReviewNote)
	}
	p.m.Attachments = append(p.m.Attachments, a)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// readAttached parses an attached message from r and returns its text.
func (p *parser) readAttached(r io.Reader, depth int) string {
	if depth >= MaxDepth {
		p.skip("attached messages nested deeper than %d; inner message not read", MaxDepth)
		return ""
	}
	e, err := message.ReadWithOptions(r, &message.ReadOptions{MaxHeaderBytes: MaxHeaderBytes})
	if e == nil {
		p.warn("an attached message could not be read")
		return ""
	}
	inner := &parser{m: &Message{}, parts: p.parts, st: p.st, nested: true}
	inner.warnEntity(err, "an attached message")
	inner.readHeader(mail.Header{Header: e.Header})
	inner.walk(e, depth+1)
	p.parts = inner.parts
	im := inner.m
	p.m.Warnings = append(p.m.Warnings, im.Warnings...)
	p.m.Incomplete = p.m.Incomplete || im.Incomplete
	p.m.Attachments = append(p.m.Attachments, im.Attachments...)
	if p.attachedMsg == nil && im.From.Email != "" {
		p.attachedMsg = &Forwarded{From: im.From, Date: im.Date}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "From: %s\n", addrString(im.From))
	if !im.Date.IsZero() {
		fmt.Fprintf(&sb, "Date: %s\n", im.Date.Format("Mon, 2 Jan 2006 15:04:05 -0700"))
	}
	fmt.Fprintf(&sb, "Subject: %s\n\n", im.Subject)
	sb.WriteString(inner.body())
	return sb.String()
}

func addrString(a Address) string {
	if a.Name == "" {
		return a.Email
	}
	return fmt.Sprintf("%s <%s>", a.Name, a.Email)
}
