package triage

import (
	"slices"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// ExtractOptions configure Extract.
type ExtractOptions struct {
	// Location is the zone for the letter date of a message with no Date.
	Location *time.Location
	// ReceivedAt stands in for the letter date when the message has none.
	ReceivedAt time.Time
	// CompanyName is the provider's name; optional. Without it the reader
	// takes the provider's name from the recipient's domain.
	CompanyName string
	// AddBusinessDays resolves "within N business days"; nil skips only
	// weekends.
	AddBusinessDays func(d legal.Date, n int) legal.Date
}

// Extract reads the facts of a request from m: its kinds and flags, the
// agent, the target identifiers, the records sought, the period and the
// deadline, each with the words it was read from (Facts.Evidence). v
// supplies the sender's verification (sender_official). Extract never
// fails: what it cannot read is left empty, and the checklist reports it.
//
// It reads the way a careful legal-operations person does: the structure
// first (the cover note and the quoted or forwarded messages below it,
// attachments, headed sections, form fields and tables, signature blocks,
// unchecked boxes), then each field's candidates weighed by where they
// stand and what is said around them.
func Extract(m *Message, v legal.Verification, opts ExtractOptions) legal.Facts {
	f := legal.Facts{
		SenderDomain:   m.From.Domain(),
		SenderOfficial: v.Official,
	}
	sent := m.Date
	if sent.IsZero() {
		sent = opts.ReceivedAt
		if sent.IsZero() {
			sent = time.Now()
		}
		if opts.Location != nil {
			sent = sent.In(opts.Location)
		}
	}
	ld := legal.DateOf(sent)
	f.LetterDate = &ld
	for _, a := range m.Attachments {
		if a.NeedsReview {
			name := a.Filename
			if name == "" {
				name = a.ContentType
			}
			note := "has no readable text"
			if a.ReviewNote != "" {
				note = a.ReviewNote
			}
			f.ManualReview = append(f.ManualReview, "attachment "+name+" "+note+"; read the original")
		}
	}
	if m.Incomplete {
		f.ManualReview = append(f.ManualReview, "parts of the message were not read (too many, nested too deep or too large); read the original")
	}
	d := newDoc(m)
	defer d.release()
	if opts.CompanyName != "" {
		d.provider = strings.ToLower(strings.Fields(opts.CompanyName + " x")[0])
	}
	if d.truncated {
		f.ManualReview = append(f.ManualReview, "text longer than the part read automatically; read the rest of the original")
	}
	ev := map[string]legal.Evidence{}
	cl := classify(d, m, &f)
	if f.LegalProcess && !hasDocument(m) && d.promisesAttachment() && !d.commands() {
		f.LegalProcess = false // "see the attached subpoena", and nothing is attached
	}
	ar := findAgent(d, m)
	f.Agent = ar.agent
	ids := findIdentifiers(d, m, f.Agent)
	for _, id := range ids {
		f.Identifiers = append(f.Identifiers, id.id)
	}
	f.Records, f.ContentRequested = findRecords(d, f.Kinds)
	f.RecordsSought = legal.RecordLabels(f.Records)

	if why, at := notARequest(d, m, &f, cl, len(ids) > 0); why != "" {
		out := legal.Facts{SenderDomain: f.SenderDomain, SenderOfficial: f.SenderOfficial, LetterDate: f.LetterDate,
			ManualReview: f.ManualReview, NotRequest: why}
		if at.start >= 0 {
			out.Evidence = map[string]legal.Evidence{legal.EvidenceKinds: d.evidence(at, "")}
		}
		return out
	}
	if len(f.Kinds) == 0 {
		f.Kinds = []legal.Kind{legal.KindUnclassified}
	}
	add := opts.AddBusinessDays
	if add == nil {
		add = addWeekdays
	}
	pr := readPeriod(d, ld)
	f.Period = pr.period
	dl := readDeadline(d, sent, add, f.Exigent, f.HasKind(legal.KindSubpoena))
	f.Deadline = dl.deadline
	var nr ndoReading
	if f.NDO {
		nr = readNDOUntil(d, ld)
		f.NDOUntil = nr.until
	}

	// Evidence for each reading.
	if k := kindsEvidence(d, cl); k.Quote != "" {
		ev[legal.EvidenceKinds] = k
	}
	if f.Period != nil {
		ev[legal.EvidencePeriod] = periodEvidence(d, pr)
	}
	if f.Deadline != nil {
		ev[legal.EvidenceDeadline] = deadlineEvidence(d, dl)
	}
	if f.NDOUntil != nil && nr.at.start >= 0 {
		ev[legal.EvidenceNDOUntil] = d.evidence(nr.at, "")
	}
	if len(ids) > 0 {
		ev[legal.EvidenceIdentifiers] = idsEvidence(d, ids)
	}
	switch {
	case ar.block != nil:
		ev[legal.EvidenceAgent] = d.blockEvidence(*ar.block, ar.at)
	case ar.at.start >= 0:
		ev[legal.EvidenceAgent] = d.evidence(ar.at, "")
	}
	if len(ev) > 0 {
		f.Evidence = ev
	}
	return f
}

// notARequest decides whether m carries no request at all, and why: an
// automatic reply; an announcement or newsletter (bulk mail) that serves
// no process and names no target; or questions with no account, process or
// demand. Such mail still reaches the team, with no kinds and no
// checklist.
func notARequest(d *doc, m *Message, f *legal.Facts, cl classification, targets bool) (string, span) {
	// An automatic reply is known by what marks it: its header or its
	// subject's prefix. Words such as "out of the office" in the body are
	// a weak sign, which a demand (a target, process served, an ask)
	// always outweighs: an officer may write that they are out of the
	// office and still ask for records.
	subj := strings.ToLower(strings.TrimSpace(m.Subject))
	marked := m.AutoReply
	for _, p := range []string{"automatic reply", "auto reply", "auto-reply", "autoreply", "out of office", "out of the office", "auto:"} {
		marked = marked || strings.HasPrefix(subj, p)
	}
	if marked {
		if sp := d.firstCover(cueAutoReply); sp.start >= 0 {
			return "an automatic reply", sp
		}
		return "an automatic reply", d.subjectSpan()
	}
	if sp := d.firstCover(cueAutoReply); sp.start >= 0 && sp.start-d.coverStart() < 300 && !targets && !d.demands(cl) {
		return "an automatic reply", sp
	}
	asks := targets && d.firstCover(cueAsk).start >= 0 // a target and an ask: a demand
	if why := notice(m); why != "" && (why == "a read receipt" || !d.commands() && !asks) {
		return why, d.subjectSpan()
	}
	local, _, _ := strings.Cut(strings.ToLower(m.From.Email), "@")
	if local == "mailer-daemon" || local == "postmaster" {
		return "a delivery failure notice", d.subjectSpan()
	}
	if sp := d.firstCover(cueBounce); sp.start >= 0 && !d.commands() {
		return "a delivery failure notice", sp
	}
	if d.commands() {
		return "", span{-1, -1}
	}
	// Bulk mail names example numbers and every kind of process; it
	// serves none.
	if sp := d.firstCover(cueBulk); sp.start >= 0 && !asks {
		return "an announcement or newsletter", sp
	}
	q := d.question()
	noNeed := d.firstCover(cueNoNeed)
	served := false
	for _, k := range cl.kinds {
		if !slices.Contains(cl.pending, k) {
			served = true
		}
	}
	if q.start >= 0 && !served && (noNeed.start >= 0 || !targets || d.firstCover(cueAsk).start < 0) {
		return "a question", q
	}
	if noNeed.start >= 0 && !served && d.firstCover(cueAsk).start < 0 {
		return "an acknowledgement", noNeed
	}
	return "", span{-1, -1}
}

// hasDocument reports whether m brings a document: any attachment but a
// small image (a signature's logo) or a calendar file.
func hasDocument(m *Message) bool {
	for _, a := range m.Attachments {
		ct := strings.ToLower(a.ContentType)
		switch {
		case strings.HasPrefix(ct, "image/") && a.Size < 50<<10:
		case ct == "text/calendar" || ct == "application/ics" || ct == "message/disposition-notification":
		default:
			return true
		}
	}
	return false
}

// promisesAttachment reports whether the sender's own text says the
// process comes attached or enclosed ("please see the attached
// subpoena", "enclosed is the order").
func (d *doc) promisesAttachment() bool {
	for _, h := range d.hits[cueServed] {
		if p := d.partAt(h.start); p.name != "body" && p.name != "subject" {
			continue
		}
		if t := d.lc[h.start:h.end]; strings.Contains(t, "attached") || strings.Contains(t, "enclosed") {
			return true
		}
	}
	return false
}

// notice names mail that is by its MIME structure a notice, not a
// letter: a read receipt (a message/disposition-notification part) or a
// calendar invitation (a text/calendar part or an .ics file) that brings
// no document with it. "" otherwise.
func notice(m *Message) string {
	calendar, document := false, false
	for _, a := range m.Attachments {
		ct, name := strings.ToLower(a.ContentType), strings.ToLower(a.Filename)
		switch {
		case ct == "message/disposition-notification":
			return "a read receipt"
		case ct == "text/calendar" || ct == "application/ics" || strings.HasSuffix(name, ".ics"):
			calendar = true
		case ct != "text/plain" && ct != "text/html" && !strings.HasPrefix(ct, "image/"):
			document = true
		}
	}
	if calendar && !document {
		return "a calendar invitation"
	}
	return ""
}

func onlyImagined(cl classification) bool { return len(cl.kinds) == 0 }

// firstCover returns the first phrase of class c in the sender's own text
// (not in a quoted message or an attachment), or {-1, -1}.
func (d *doc) firstCover(c cue) span {
	for _, h := range d.hits[c] {
		if p := d.partAt(h.start); p.name == "body" || p.name == "subject" {
			return h
		}
	}
	return span{-1, -1}
}

func (d *doc) coverStart() int {
	for _, p := range d.parts {
		if p.name == "body" {
			return p.start
		}
	}
	return 0
}

func (d *doc) subjectSpan() span {
	for _, p := range d.parts {
		if p.name == "subject" {
			return span{p.start, p.end}
		}
	}
	return span{-1, -1}
}

// demands reports whether the sender's own text asks for something: process
// served, or an ask ("please send", "we request").
func (d *doc) demands(cl classification) bool {
	for _, k := range cl.kinds {
		if !slices.Contains(cl.pending, k) {
			return true
		}
	}
	return d.commands() || d.firstCover(cueAsk).start >= 0
}

// commands reports whether the message serves process: "YOU ARE
// COMMANDED", "IT IS ORDERED", "you are hereby required", "ORDERED that".
func (d *doc) commands() bool {
	for _, h := range d.hits[cueServed] {
		t := d.lc[h.start:h.end]
		if strings.Contains(t, "commanded") || strings.Contains(t, "required") {
			return !d.ignorable(h.start)
		}
	}
	for _, h := range d.hits[cueCourtOrder] {
		t := d.lc[h.start:h.end]
		if strings.Contains(t, "ordered") && !d.ignorable(h.start) {
			return true
		}
	}
	return false
}

// question returns the first question the sender asks in their own text
// ("could you tell me:", "How long do you keep …?"), or {-1, -1}.
func (d *doc) question() span {
	for _, s := range d.sentences {
		if p := d.partAt(s[0]); p.name != "body" {
			continue
		}
		t := strings.TrimSpace(d.s[s[0]:s[1]])
		// d.lc is the sentence in lower case as far as these ASCII words
		// go (no letter outside ASCII lower-cases into them).
		if strings.HasSuffix(t, "?") || strings.Contains(d.lc[s[0]:s[1]], "could you tell me") {
			return span{s[0], s[1]}
		}
	}
	return span{-1, -1}
}
