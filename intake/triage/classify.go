package triage

import (
	"strconv"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// mention is how a kind of process appears in the text.
type mention int

const (
	absent   mention = iota
	imagined         // only in sentences that imagine it ("a court order would take 24 hours"), ask about it or recall an earlier one
	pending          // only as forthcoming ("the DA is working on a subpoena")
	asserted         // served, attached or quoted
)

// kindMention is the best mention of a kind and where it stands.
type kindMention struct {
	m  mention
	at span
}

// mentionOf grades the phrases of class c in d. A phrase counts only in
// text the reader does not skip (unchecked boxes, the provider's own
// quoted reply), outside names of departments and powers ("Subpoena
// Compliance", "authorized to issue search warrants"), and where skip (if
// given) does not rule it out. A sentence grades the same for every phrase
// in it.
func mentionOf(d *doc, c cue, skip func(span) bool) kindMention {
	best := kindMention{at: span{-1, -1}}
	for _, h := range d.hits[c] {
		if d.ignorable(h.start) || d.overlaps(cueNotKind, h) || skip != nil && skip(h) {
			continue
		}
		ss, se := d.sentenceAt(h.start)
		grade := gradeMention(d, h, ss, se)
		if grade > best.m {
			best = kindMention{m: grade, at: h}
			if grade == asserted {
				return best
			}
		}
	}
	return best
}

// gradeMention reads how the sentence [ss, se) stands towards the process
// it names at h: a question, or words just before or after the mention
// that imagine it ("would take", "without a", "no time to get"), look
// ahead to it ("is being prepared", "once it's signed", "pending the
// issuance of") or back to an earlier one ("in response to a grand jury
// subpoena") make it less than served; words that serve it ("attached",
// "YOU ARE COMMANDED") make it served even beside talk of later steps.
func gradeMention(d *doc, h span, ss, se int) mention {
	if strings.HasSuffix(strings.TrimSpace(d.s[ss:se]), "?") {
		return imagined
	}
	lo, hi := max(ss, h.start-80), min(se, h.end+40)
	served := d.has(cueServed, ss, se)
	imag := d.has(cueImagined, lo, hi)
	past := d.has(cuePast, lo, hi)
	switch {
	case served && !imag && !past:
		return asserted
	case d.has(cuePending, lo, hi):
		return pending
	case imag || past:
		return imagined
	}
	return asserted
}

// gradeSentence is gradeMention for a whole sentence.
func gradeSentence(d *doc, ss, se int) mention { return gradeMention(d, span{ss, se}, ss, se) }

// overlaps reports whether a phrase of class c overlaps h.
func (d *doc) overlaps(c cue, h span) bool {
	for _, x := range d.in(c, max(0, h.start-80), min(len(d.s), h.end+80)) {
		if x.start < h.end && h.start < x.end {
			return true
		}
	}
	return false
}

// classification is what classify read, with where it read it.
type classification struct {
	kinds   []legal.Kind
	kindAt  map[legal.Kind]span
	pending []legal.Kind // process named only as forthcoming
}

// classify fills the kinds and flags of f from d.
func classify(d *doc, m *Message, f *legal.Facts) classification {
	var cl classification
	cl.kindAt = map[legal.Kind]span{}
	notWarrant := d.hits[cueNotSearchWarrant]
	notSearch := func(h span) bool {
		for _, x := range notWarrant {
			if x.start < h.end && h.start < x.end || x.end <= h.start && h.start-x.end < 3 {
				return true
			}
		}
		return false
	}
	mk := map[legal.Kind]kindMention{
		legal.KindSubpoena:      mentionOf(d, cueSubpoena, nil),
		legal.KindSearchWarrant: mentionOf(d, cueSearchWarrant, notSearch),
		legal.KindPenTrap:       mentionOf(d, cuePenTrap, nil),
		legal.KindWiretap:       mentionOf(d, cueWiretap, nil),
	}
	if mk[legal.KindWiretap].m < asserted && mk[legal.KindPenTrap].m < asserted {
		if c := mentionOf(d, cueCALEA, nil); c.m > mk[legal.KindWiretap].m {
			mk[legal.KindWiretap] = c
		}
	}
	// "This warrant", "Warrant No.": a warrant, unless the warrant is an
	// intercept order ("eavesdropping warrant").
	if mk[legal.KindSearchWarrant].m < asserted && mk[legal.KindWiretap].m < asserted && len(notWarrant) == 0 {
		if b := mentionOf(d, cueBareWarrant, notSearch); b.m > mk[legal.KindSearchWarrant].m {
			mk[legal.KindSearchWarrant] = b
		}
	}
	mk[legal.KindCourtOrder] = mentionOf(d, cue2703d, nil)
	if mk[legal.KindCourtOrder].m < asserted && !anyAsserted(mk) {
		// A generic order counts when it is not the order that a warrant,
		// pen/trap or intercept request already is (or an NDO attached to
		// a subpoena).
		if o := mentionOf(d, cueCourtOrder, nil); o.m > mk[legal.KindCourtOrder].m {
			mk[legal.KindCourtOrder] = o
		}
		// A document headed "ORDER" is an order.
		if mk[legal.KindCourtOrder].m < asserted {
			if at := d.orderHeading(); at.start >= 0 {
				mk[legal.KindCourtOrder] = kindMention{m: asserted, at: at}
			}
		}
	}
	emergency := emergencyRequest(d, m)
	if emergency.start >= 0 {
		cl.add(legal.KindEmergency, emergency)
	}
	for _, k := range []legal.Kind{legal.KindSubpoena, legal.KindCourtOrder, legal.KindSearchWarrant, legal.KindPenTrap, legal.KindWiretap} {
		if mk[k].m == asserted {
			cl.add(k, mk[k].at)
			f.LegalProcess = true
		}
	}
	pres := mentionOf(d, cuePreserveReq, nil)
	if pres.m == asserted {
		cl.add(legal.KindPreservation, pres.at)
	}
	for _, k := range []legal.Kind{legal.KindSubpoena, legal.KindCourtOrder, legal.KindSearchWarrant, legal.KindPenTrap, legal.KindWiretap} {
		if mk[k].m == pending {
			cl.pending = append(cl.pending, k)
		}
	}
	if len(cl.kinds) == 0 {
		// A request made under process still being prepared is that kind
		// of request, with the process missing.
		for _, k := range cl.pending {
			cl.add(k, mk[k].at)
		}
	}
	f.Kinds = cl.kinds
	f.Exigent = emergency.start >= 0
	f.PreservationExtension = pres.m == asserted && d.any(cueExtension)
	f.ChildEndangerment = childEndangered(d)
	f.NDO = hasNDO(d)
	f.NoToSAction = d.any(cueNoAction)
	if f.Exigent {
		f.DangerDescribed = answered(d, cueDanger) || promptAnswered(d, cueDangerPrompt)
		f.UrgencyJustified = answered(d, cueUrgency) || promptAnswered(d, cueUrgencyPrompt)
	}
	return cl
}

// orderHeading returns a heading line that reads "ORDER" (or "ORDER OF
// THE COURT", "ORDER FOR …"), or {-1, -1}.
func (d *doc) orderHeading() span {
	for i, li := range d.lineInfo {
		if !li.heading || d.ignorable(d.lines[i][0]) {
			continue
		}
		t := strings.TrimSpace(d.line(i))
		if t == "ORDER" || strings.HasPrefix(t, "ORDER ") && isAllCaps(t) {
			return span{d.lines[i][0] + strings.Index(d.line(i), t), d.lines[i][1]}
		}
	}
	return span{-1, -1}
}

func (cl *classification) add(k legal.Kind, at span) {
	for _, x := range cl.kinds {
		if x == k {
			return
		}
	}
	cl.kinds = append(cl.kinds, k)
	cl.kindAt[k] = at
}

func anyAsserted(m map[legal.Kind]kindMention) bool {
	for _, v := range m {
		if v.m == asserted {
			return true
		}
	}
	return false
}

// any reports whether a phrase of class c stands in text the reader does
// not skip.
func (d *doc) any(c cue) bool {
	for _, h := range d.hits[c] {
		if !d.ignorable(h.start) {
			return true
		}
	}
	return false
}

// emergencyRequest returns where the message asks for emergency
// disclosure: "emergency disclosure request", "exigent", 2702(b)(8) or
// (c)(4), "imminent danger", or "EMERGENCY" as the subject's word or a
// heading's; {-1, -1} when it does not, or says it is not an emergency.
func emergencyRequest(d *doc, m *Message) span {
	if d.any(cueNotEmergency) {
		return span{-1, -1}
	}
	for _, h := range d.hits[cueEmergency] {
		// "Thanks for your help with our exigent request last week": an
		// emergency recalled is not one asked for.
		if ss, se := d.sentenceAt(h.start); !d.ignorable(h.start) && gradeMention(d, h, ss, se) == asserted {
			return h
		}
	}
	for _, e := range d.wordEnds("emergency") {
		st := e - len("emergency")
		if ss, se := d.sentenceAt(st); d.ignorable(st) || gradeMention(d, span{st, e}, ss, se) != asserted {
			continue
		}
		li := d.lineInfo[d.lineAt(st)]
		if d.partAt(st).name == "subject" || li.heading || strings.HasPrefix(li.label, "emergency") {
			return span{st, e}
		}
	}
	return span{-1, -1}
}

// childEndangered reports whether the request concerns a child in danger
// or child exploitation: a child, minor or ICAC matter, or a person under
// 18 by stated age.
func childEndangered(d *doc) bool {
	for _, h := range d.hits[cueChild] {
		if !d.ignorable(h.start) && !d.overlaps(cueNotChild, h) {
			return true
		}
	}
	for _, h := range d.hits[cueAge] {
		if d.ignorable(h.start) {
			continue
		}
		w := d.s[h.start:h.end]
		i := 0
		for i < len(w) && isDigitByte(w[i]) {
			i++
		}
		if n, _ := strconv.Atoi(w[:i]); n > 0 && n < 18 {
			return true
		}
	}
	return false
}

// hasNDO reports whether the message includes a non-disclosure order or
// cites authority barring notice. A bare "please do not disclose" does
// not count.
func hasNDO(d *doc) bool { return len(ndoSentences(d)) > 0 }

// ndoSentences returns the sentences that impose non-disclosure: those
// citing authority that bars notice (not merely imagined or forthcoming),
// and those where a court orders no disclosure.
func ndoSentences(d *doc) []span {
	var out []span
	seen := map[int]bool{}
	add := func(ss, se int) {
		if !seen[ss] {
			seen[ss] = true
			out = append(out, span{ss, se})
		}
	}
	for _, h := range d.hits[cueNDOAuthority] {
		if d.ignorable(h.start) {
			continue
		}
		ss, se := d.sentenceAt(h.start)
		if g := gradeSentence(d, ss, se); g == asserted {
			add(ss, se)
		}
	}
	for _, h := range d.hits[cueNotDisclose] {
		if d.ignorable(h.start) {
			continue
		}
		ss, se := d.sentenceAt(h.start)
		if d.has(cueCourtOrders, ss, se) {
			add(ss, se)
		}
	}
	sortSpans(out)
	return out
}

// answered reports whether some segment of the text that is not a form
// prompt holds a phrase of class c. Segments are cut at sentence ends,
// colons, table cell separators and line breaks, so "WHY WE NEED THIS NOW:
// The records will identify…" answers, while "Explain how the information
// will help |" with an empty cell does not.
func answered(d *doc, c cue) bool {
	for _, h := range d.hits[c] {
		if d.ignorable(h.start) {
			continue
		}
		seg := h.start
		for seg > 0 && seg > h.start-300 && !strings.ContainsRune(".!?;:|\n", rune(d.s[seg-1])) {
			seg--
		}
		if !d.has(cuePrompt, seg, h.start) {
			return true
		}
	}
	return false
}

// promptAnswered reports whether a form prompt of class c is followed by
// an answer of a few words: on the same line after its ":" or "|", or, for
// a heading, on the next line. "Explain how… |" followed by nothing is
// unanswered.
func promptAnswered(d *doc, c cue) bool {
	for _, h := range d.hits[c] {
		if d.ignorable(h.start) {
			continue
		}
		li := d.lineAt(h.start)
		line := d.s[h.end:d.lines[li][1]]
		i := strings.IndexAny(line, ":|")
		var ans string
		switch {
		case i >= 0:
			ans = strings.TrimSpace(line[i+1:])
			if ans == "" && line[i] == ':' && li+1 < len(d.lines) {
				next := d.lineInfo[li+1]
				if len(next.cells) == 0 && !next.heading {
					ans = d.line(li + 1)
				}
			}
		case d.lineInfo[li].heading || strings.TrimSpace(line) == "" || strings.HasSuffix(strings.TrimSpace(line), ")"):
			for j := li + 1; j < len(d.lines) && j <= li+2; j++ {
				if d.lineInfo[j].blank {
					continue
				}
				if !d.lineInfo[j].heading && len(d.lineInfo[j].cells) == 0 {
					ans = d.line(j)
				}
				break
			}
		}
		if len(strings.Fields(ans)) >= 4 {
			return true
		}
	}
	return false
}
