package triage

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
)

// attachment reads one attached part: its size and, for the types the
// team receives legal process in, its text. Named files that cannot be
// read are flagged for a person.
func (p *parser) attachment(e *message.Entity, ct, name, disp string, depth int) {
	b, truncated := readCapped(e.Body, MaxAttachmentBytes)
	a := Attachment{Filename: name, ContentType: ct, Size: len(b)}
	label := name
	if label == "" {
		label = "an unnamed " + ct + " attachment"
	}
	switch {
	case truncated:
		a.NeedsReview = true
		p.warn("needs manual review: %s is larger than %d bytes and was not read", label, MaxAttachmentBytes)
	case isPDF(ct, name, b):
		text, err := PDFText(b)
		switch {
		case err != nil:
			a.NeedsReview = true
			p.warn("needs manual review: %s could not be read as a PDF", label)
		case strings.TrimSpace(text) == "":
			a.NeedsReview = true
			p.warn("needs manual review: %s has no text layer", label)
		default:
			a.Text = text
		}
	case ct == "message/rfc822" || ct == "message/global":
		a.Text = p.attachedMessage(b, depth)
		if a.Filename == "" {
			a.Filename = "attached message.eml"
		}
	case strings.HasPrefix(ct, "text/") || isTextName(name):
		if !utf8.Valid(b) {
			b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
		}
		a.Text = unixNewlines(string(b))
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
	p.m.Attachments = append(p.m.Attachments, a)
}

// isPDF accepts a PDF by type, by name (mailers often send
// application/octet-stream) or by its magic bytes.
func isPDF(ct, name string, b []byte) bool {
	return ct == "application/pdf" || ct == "application/x-pdf" ||
		strings.EqualFold(path.Ext(name), ".pdf") ||
		bytes.HasPrefix(bytes.TrimLeft(b[:min(len(b), 1024)], "\r\n\t "), []byte("%PDF-"))
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
// the outer message too (a forwarded request's PDF is the request).
func (p *parser) attachedMessage(b []byte, depth int) string {
	if depth >= MaxDepth {
		p.warn("attached messages nested deeper than %d; inner message not read", MaxDepth)
		return ""
	}
	e, err := message.ReadWithOptions(bytes.NewReader(b), &message.ReadOptions{MaxHeaderBytes: MaxHeaderBytes})
	if e == nil {
		p.warn("an attached message could not be read")
		return ""
	}
	inner := &parser{m: &Message{}, parts: p.parts}
	inner.warnEntity(err, "an attached message")
	inner.readHeader(mail.Header{Header: e.Header})
	inner.walk(e, depth+1)
	p.parts = inner.parts
	im := inner.m
	p.m.Warnings = append(p.m.Warnings, im.Warnings...)
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
