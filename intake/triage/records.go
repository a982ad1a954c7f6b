package triage

import (
	"slices"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// recordPhrases names each category of records (legal.Records, in order)
// as letters write it.
var recordPhrases = map[legal.Record][]string{
	legal.RecordSubscriber: {"subscriber info*|name|names|record|records|identity|identities|details|data|account|and|registration|information",
		"basic subscriber", "account holder*", "account registration", "registration information", "user names", "screen names",
		"display names", "length of service", "type|types of service", "account opening date", "date of activation",
		"account status", "subscriber's name", "name and address", "names and addresses"},
	legal.RecordBilling: {"billing", "means and? source? of payment", "method|methods of payment", "payment method*|information|records|history",
		"means of payment", "source of payment", "credit card"},
	legal.RecordE911: {"e911", "e 911", "emergency address"},
	legal.RecordCallDetail: {"call detail*", "call data", "call log|logs|records|history", "cdr|cdrs", "toll record*", "toll",
		"connection record*", "incoming and outgoing calls", "inbound and outbound calls", "call and sms|text detail", "calls placed or received",
		"voice calls placed", "numbers called", "call history", "cdrs"},
	legal.RecordMessageLogs: {"sms|mms|text|message log|logs|detail|records|transaction", "sms mms log|logs|detail|records|transaction",
		"logs of sms|text|messages", "text message log|logs|detail|records", "call and sms|text detail", "call and text message logs",
		"sms and mms transaction", "message logs"},
	legal.RecordIPLogs: {"ip address*|log|logs|history|session*|login*", "internet protocol", "login history|records|ip|logs",
		"session times", "logins", "login records"},
	legal.RecordLocation: {"cell site*", "cell tower*", "location data|information|records|history", "tower dump*", "gps",
		"historical location", "precise location"},
	legal.RecordAccountChanges: {"account configuration|settings|change*|audit|changes", "audit log*", "device registration*",
		"call forwarding rules", "forwarding rules", "added users", "changes to account", "port in|out", "porting", "user agents",
		"api key*", "every user added", "device identifiers"},
	legal.RecordCorrespondence: {"correspondence", "support tickets|requests|ticket", "account notes", "communications between"},
	legal.RecordDialing:        {"dialing routing", "routing addressing", "call identifying information"},
	legal.RecordMessageContent: {"content|contents ..4 sms|mms|text|texts|message|messages|communication|communications|each message|chat|chats|e mail|email",
		"sms|mms|text|message|messages content|contents|bodies|body", "message bodies", "text of sms|messages", "text of the|each message|messages",
		"all sms|mms|text ..3 messages", "all stored text messages", "stored text messages", "text messages sent or received",
		"all mms and sms messages", "text messages and voicemail", "text messages stored", "messages sent or received including",
		"text or attachments of", "stored communications", "stored content", "images sent"},
	legal.RecordVoicemail: {"voicemail*", "voice mail*", "voice messages"},
	legal.RecordRecordings: {"call recording*", "recordings of ..3 calls|conversations", "recorded calls|conversations", "audio recording*",
		"transcripts of those recordings", "call summaries", "recorded calls", "call audio", "audio of ..3 calls"},
	legal.RecordInterception: {"intercept* ..3 communications", "real time content"},
}

// weakRecordPhrases name a category only where records are listed: in a
// records section, a "Records" cell or line, or a sentence that asks for
// records ("subscriber info, call logs, texts, voicemails").
var weakRecordPhrases = map[legal.Record][]string{
	legal.RecordSubscriber:     {"subscriber", "subscriber's", "names", "addresses", "name"},
	legal.RecordCallDetail:     {"toll", "calls"},
	legal.RecordIPLogs:         {"ip", "log in|logged", "login"},
	legal.RecordLocation:       {"sector", "location"},
	legal.RecordMessageContent: {"texts"},
	legal.RecordRecordings:     {"recordings"},
	legal.RecordInterception:   {"interception"},
}

// recordCue is the cue class of a record category.
func recordCue(r legal.Record) cue {
	for i, x := range legal.Records {
		if x == r {
			return numCues + cue(i)
		}
	}
	return -1
}

// weakRecordCue is the cue class of a category's weak phrases.
func weakRecordCue(r legal.Record) cue {
	if c := recordCue(r); c >= 0 {
		return c + cue(len(legal.Records))
	}
	return -1
}

// allPhrases is the lexicon's phrase list: the cues, then one class per
// record category, then one per category's weak phrases.
func allPhrases() [][]string {
	out := append([][]string{}, cuePhrases[:]...)
	for _, r := range legal.Records {
		out = append(out, recordPhrases[r])
	}
	for _, r := range legal.Records {
		out = append(out, weakRecordPhrases[r])
	}
	return out
}

// recordMention is one mention of a record category.
type recordMention struct {
	rec legal.Record
	at  span
	// excluded: named only to exclude it ("not including the contents",
	// "Do not produce voicemail audio"); preserved: named only to be
	// preserved.
	excluded, preserved bool
	// future: named for process still to come ("we will seek a warrant for
	// the recordings").
	future bool
}

// recordMentions lists every mention of a record category in text the
// reader does not skip.
func recordMentions(d *doc) []recordMention {
	n := 0
	for _, r := range legal.Records {
		n += len(d.hits[recordCue(r)]) + len(d.hits[weakRecordCue(r)])
	}
	out := make([]recordMention, 0, n)
	for _, r := range legal.Records {
		for _, weak := range []bool{false, true} {
			c := recordCue(r)
			if weak {
				c = weakRecordCue(r)
			}
			for _, h := range d.hits[c] {
				// Content named in a narrative ("he left her a dozen
				// voicemails") is not content asked for.
				if d.ignorable(h.start) || (weak || r.IsContent()) && !recordsListed(d, h.start, r) {
					continue
				}
				ss, _ := d.sentenceAt(h.start)
				future := d.has(cuePending, ss, h.start)
				out = append(out, recordMention{rec: r, at: h, excluded: negated(d, h.start), preserved: preserveContext(d, h.start), future: future})
			}
		}
	}
	return out
}

// recordsListed reports whether offset i stands where records are listed:
// in a records section, on a line or cell labelled as records, or in a
// sentence that names records or asks for them.
func recordsListed(d *doc, i int, self legal.Record) bool {
	switch d.secAt(i) {
	case secRecords, secPreserve:
		return true
	}
	li := d.lineInfo[d.lineAt(i)]
	if li.label != "" && (strings.Contains(li.label, "record") || strings.Contains(li.label, "information") || strings.Contains(li.label, "data")) {
		return true
	}
	ss, se := d.sentenceAt(i)
	for _, r := range legal.Records {
		if r != self && !r.IsContent() && d.has(recordCue(r), ss, se) {
			return true
		}
	}
	// An item of a list or a row of a table whose other items name records.
	if ln := d.lineAt(i); listItem(d.line(ln)) || len(d.lineInfo[ln].cells) > 0 {
		lo, hi := ln, ln
		for lo > 0 && !d.lineInfo[lo-1].blank && ln-lo < 12 {
			lo--
		}
		for hi+1 < len(d.lines) && !d.lineInfo[hi+1].blank && hi-ln < 12 {
			hi++
		}
		for _, r := range legal.Records {
			if !r.IsContent() && d.has(recordCue(r), d.lines[lo][0], d.lines[hi][1]) {
				return true
			}
		}
	}
	if self.IsContent() && d.has(cueDiscloseVerb, ss, se) {
		return true // "Please produce all recorded calls and voicemail"
	}
	return d.has(cuePreserveVerb, ss, se) || d.has(cueDiscloseVerb, ss, se) && d.hasWord("records", ss, se)
}

// negated reports whether the words just before offset i, in its
// sentence, exclude what follows ("not including", "without", "Do not
// produce").
func negated(d *doc, i int) bool {
	ss, _ := d.sentenceAt(i)
	return d.has(cueNegation, max(ss, i-90), i)
}

// preserveContext reports whether the mention at i is governed by a
// request to preserve rather than to disclose: it stands under a "Records
// to be preserved" heading, or the nearest verb before it in its sentence
// is "preserve".
func preserveContext(d *doc, i int) bool {
	if d.secAt(i) == secPreserve {
		return true
	}
	ss, _ := d.sentenceAt(i)
	p := d.last(cuePreserveVerb, ss, i)
	q := d.last(cueDiscloseVerb, ss, i)
	if p >= 0 || q >= 0 {
		return p > q
	}
	// A list item: the verb of its list's heading or intro.
	if li := d.lineInfo[d.lineAt(i)]; li.head >= 0 {
		hs, he := d.lines[li.head][0], d.lines[li.head][1]
		return d.last(cuePreserveVerb, hs, he) > d.last(cueDiscloseVerb, hs, he)
	}
	return false
}

// listItem reports whether a line is an item of a list: "- …", "• …",
// "1. …", "a. …", "(b) …".
func listItem(t string) bool {
	t = strings.TrimSpace(t)
	if t == "" {
		return false
	}
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "•") || strings.HasPrefix(t, "*") || strings.HasPrefix(t, "·") {
		return true
	}
	w, _, _ := strings.Cut(t, " ")
	w = strings.TrimPrefix(w, "(")
	if w == "" || len(w) > 4 {
		return false
	}
	last := w[len(w)-1]
	if last != '.' && last != ')' {
		return false
	}
	w = w[:len(w)-1]
	return allDigits(w) || len(w) == 1 && 'a' <= w[0] && w[0] <= 'z' || len(w) == 1 && 'A' <= w[0] && w[0] <= 'Z' || isRoman(strings.ToUpper(w))
}

// findRecords returns the categories of records the request names (not
// those it names only to exclude them), and whether it asks to disclose
// or intercept the content of communications. Content named only to be
// preserved is not a request for content: nothing is disclosed until
// process follows.
func findRecords(d *doc, kinds []legal.Kind) ([]legal.Record, bool) {
	var recs []legal.Record
	content := false
	disclosure := false
	for _, k := range kinds {
		if k != legal.KindPreservation {
			disclosure = true
		}
	}
	for _, m := range recordMentions(d) {
		if m.excluded {
			continue
		}
		if m.rec.IsContent() && m.future {
			continue // "We expect to seek a search warrant for the recordings"
		}
		if !slices.Contains(recs, m.rec) {
			recs = append(recs, m.rec) // a letter names a few kinds of record many times
		}
		if m.rec.IsContent() && disclosure && !m.preserved {
			content = true
		}
	}
	for _, k := range kinds {
		switch k {
		case legal.KindWiretap:
			recs = append(recs, legal.RecordInterception)
			content = true
		case legal.KindPenTrap:
			recs = append(recs, legal.RecordDialing)
		}
	}
	return legal.SortRecords(recs), content
}
