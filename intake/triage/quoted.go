package triage

import (
	"regexp"
	"strings"
)

// segment is a stretch of a body: the sender's own text or a quoted
// earlier message.
type segment struct {
	text   string
	quoted bool
	from   string // the quoted message's sender, lower case; "" when unknown
}

var (
	// quoteFromRe: the first line of an Outlook-style quoted header
	// written without a separator line ("From: Name <addr>").
	quoteFromRe = regexp.MustCompile(`^(?i)from\s*:\s*\S`)
	quoteHdrRe  = regexp.MustCompile(`^(?i)(?:sent|date|to|subject|cc)\s*:`)
	// wroteRe: "On Mon, 3 Aug 2026 at 17:02, Name <addr> wrote:".
	wroteRe = regexp.MustCompile(`^(?i)on\s.{6,200}\swrote:$`)
)

// splitQuoted cuts a body into the sender's own text and the earlier
// messages quoted or forwarded below it: a separator line ("-----Original
// Message-----", "---------- Forwarded message ---------"), a quoted header
// block ("From: … / Sent: … / To: …"), an "On … wrote:" line, or lines
// quoted with ">" each start a quoted segment.
func splitQuoted(body string) []segment {
	lines := strings.Split(strings.ReplaceAll(body, "\r", ""), "\n")
	var out []segment
	start, quoted := 0, false
	flush := func(end int) {
		if end <= start {
			return
		}
		var text string
		if start == 0 && end == len(lines) && !strings.Contains(body, "\r") {
			text = body // one segment: the body as it is
		} else {
			text = strings.Join(lines[start:end], "\n")
		}
		if strings.TrimSpace(text) == "" {
			return
		}
		seg := segment{text: text, quoted: quoted}
		if quoted {
			seg.from = quotedSender(lines[start:end])
		}
		out = append(out, seg)
	}
	inAngle := false
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		angle := strings.HasPrefix(l, ">")
		bare := strings.TrimSpace(strings.TrimLeft(l, "> "))
		starts := false
		// Cheap tests first: most lines are none of these.
		switch {
		case maybeMarker(l) && forwardMarker.MatchString(l):
			starts = true
		case len(bare) > 5 && (bare[0] == 'F' || bare[0] == 'f') && quoteFromRe.MatchString(bare) && headerBlockFollows(lines, i):
			starts = !(i > 0 && forwardMarker.MatchString(strings.TrimSpace(lines[i-1])))
		case strings.HasSuffix(bare, "wrote:") && wroteRe.MatchString(bare):
			starts = true
		case angle && !inAngle:
			starts = !(i > 0 && strings.HasSuffix(strings.TrimSpace(lines[i-1]), "wrote:"))
		}
		inAngle = angle
		if starts {
			flush(i)
			start, quoted = i, true
		}
	}
	flush(len(lines))
	return out
}

// maybeMarker is a cheap test for a line forwardMarker may match.
func maybeMarker(l string) bool {
	t := strings.TrimLeft(l, "> ")
	return strings.HasPrefix(t, "--") || len(t) >= 23 && strings.EqualFold(t[:23], "begin forwarded message")
}

// headerBlockFollows reports whether the line at i starts a quoted header:
// at least two more header lines (Sent:, Date:, To:, Subject:) follow
// within the next five.
func headerBlockFollows(lines []string, i int) bool {
	n := 0
	for j := i + 1; j < len(lines) && j <= i+5; j++ {
		if quoteHdrRe.MatchString(strings.TrimSpace(strings.TrimLeft(lines[j], "> "))) {
			n++
		}
	}
	return n >= 2
}

// quotedSender reads the From: of a quoted segment's header.
func quotedSender(lines []string) string {
	for i, l := range lines {
		if i > 12 {
			break
		}
		l = strings.TrimSpace(strings.TrimLeft(l, "> "))
		if m := forwardHeader.FindStringSubmatch(l); m != nil && strings.EqualFold(m[1], "from") {
			if a, ok := lenientAddress(m[2]); ok {
				return strings.ToLower(a.Email)
			}
			return ""
		}
		if m := wroteRe.FindString(l); m != "" {
			if i, j := strings.LastIndexByte(l, '<'), strings.LastIndexByte(l, '>'); i >= 0 && j > i {
				return strings.ToLower(l[i+1 : j])
			}
		}
	}
	return ""
}
