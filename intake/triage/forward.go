package triage

import (
	"regexp"
	"strings"
	"time"
)

// forwardMarker matches the separator lines mail clients put above a
// forwarded or quoted original: Gmail's "---------- Forwarded message
// ---------", Thunderbird's "-------- Forwarded Message --------" and
// "-------- Original Message --------", Outlook's "-----Original
// Message-----", Apple Mail's "Begin forwarded message:".
var forwardMarker = regexp.MustCompile(`(?im)^[>\s]*(?:-{2,}\s*(?:forwarded|original)\s+message\s*-{2,}|begin forwarded message:)[ \t]*$`)

// findMarker returns the first separator line of a forwarded or quoted
// original in body, testing only lines that can be one.
func findMarker(body string) []int {
	for i := 0; i < len(body); {
		e := strings.IndexByte(body[i:], '\n')
		if e < 0 {
			e = len(body) - i
		}
		if l := body[i : i+e]; maybeMarker(strings.TrimSpace(l)) {
			if loc := forwardMarker.FindStringIndex(l); loc != nil {
				return []int{i + loc[0], i + loc[1]}
			}
		}
		i += e + 1
	}
	return nil
}

// forwardHeader matches one "Name: value" line of the quoted header block.
var forwardHeader = regexp.MustCompile(`^(?i)(from|date|sent|subject|to|cc|reply-to)\s*:\s*(.*)$`)

// isForwardSubject reports a "Fwd:"/"Fw:" subject (also behind "Re:").
func isForwardSubject(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	for strings.HasPrefix(s, "re:") {
		s = strings.TrimSpace(s[3:])
	}
	return strings.HasPrefix(s, "fwd:") || strings.HasPrefix(s, "fw:")
}

// findForwarded finds the quoted header of a forwarded original in body
// and returns its sender and date. It needs a marker line, or a "Fwd:"
// subject and a quoted block that starts with From: and has Date:/Sent:.
// Dates without a zone are read in the zone of outer (the message's Date).
func findForwarded(subject, body string, outer time.Time) *Forwarded {
	var lines []string // split only when there is something to find
	start := -1
	if loc := findMarker(body); loc != nil {
		start = strings.Count(body[:loc[1]], "\n") + 1
	} else if isForwardSubject(subject) {
		lines = strings.Split(body, "\n")
		for i, l := range lines {
			if m := forwardHeader.FindStringSubmatch(unquote(l)); m != nil && strings.EqualFold(m[1], "from") {
				start = i
				break
			}
		}
	}
	if start < 0 {
		return nil
	}
	if lines == nil {
		lines = strings.Split(body, "\n")
	}
	f := readForwardHeader(lines[start:], outer)
	if f == nil || f.From.Email == "" {
		return nil
	}
	return f
}

// readForwardHeader reads "From:", "Date:"/"Sent:" lines (with folded
// continuations) until the blank line that ends the quoted header.
func readForwardHeader(lines []string, outer time.Time) *Forwarded {
	f := &Forwarded{}
	seen := false
	var last string
	for i, l := range lines {
		if i > 40 {
			break
		}
		l = strings.TrimSpace(unquote(l))
		if l == "" {
			if seen {
				break
			}
			continue
		}
		m := forwardHeader.FindStringSubmatch(l)
		if m == nil {
			if !seen {
				return nil // text before any header: not a header block
			}
			if last == "from" && f.From.Email == "" { // folded From
				f.From, _ = lenientAddress(l)
			}
			continue
		}
		seen = true
		last = strings.ToLower(m[1])
		switch last {
		case "from":
			if a, ok := lenientAddress(m[2]); ok {
				f.From = a
			}
		case "date", "sent":
			f.Date = parseLooseDate(m[2], outer)
		}
	}
	return f
}

func unquote(l string) string {
	l = strings.TrimRight(l, "\r")
	for strings.HasPrefix(l, ">") {
		l = strings.TrimPrefix(strings.TrimPrefix(l, ">"), " ")
	}
	return l
}

// looseDateLayouts are the date forms mail clients write in quoted
// headers: RFC 5322, Gmail, Outlook and Apple Mail.
var looseDateLayouts = []string{
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 -0700 (MST)",
	"2 Jan 2006 15:04:05 -0700",
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, Jan 2, 2006 at 3:04 PM",
	"Mon, Jan 2, 2006 at 3:04:05 PM",
	"Monday, January 2, 2006 3:04 PM",
	"Monday, January 2, 2006 3:04:05 PM",
	"Monday, January 2, 2006 at 3:04 PM",
	"January 2, 2006 at 3:04:05 PM MST",
	"January 2, 2006 at 3:04 PM MST",
	"January 2, 2006 at 3:04:05 PM",
	"January 2, 2006 3:04 PM",
	"1/2/2006 3:04 PM",
	"1/2/2006 3:04:05 PM",
	"January 2, 2006",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02",
}

func parseLooseDate(s string, outer time.Time) time.Time {
	s = strings.Join(strings.Fields(s), " ")
	loc := time.UTC
	if !outer.IsZero() {
		loc = outer.Location()
	}
	for _, layout := range looseDateLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return withUSZone(t)
		}
	}
	return time.Time{}
}

// usZones are the abbreviations US mail clients write; Go only knows an
// abbreviation's offset when it is the local zone's.
var usZones = map[string]int{
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
	"PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10, "UTC": 0, "GMT": 0,
}

func withUSZone(t time.Time) time.Time {
	name, off := t.Zone()
	h, ok := usZones[name]
	if !ok || off == h*3600 {
		return t
	}
	y, mo, d := t.Date()
	return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone(name, h*3600))
}
