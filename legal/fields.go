package legal

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// Field names a fact lebot read that the team can correct. The string
// values are the names `/legal set` takes and the keys of
// Request.Corrections.
type Field string

// The correctable fields.
const (
	FieldKinds             Field = "kinds"
	FieldRecords           Field = "records"
	FieldIdentifiers       Field = "identifiers"
	FieldPeriod            Field = "period"
	FieldDeadline          Field = "deadline"
	FieldAgent             Field = "agent"
	FieldNDO               Field = "ndo"
	FieldNoToSAction       Field = "no_tos_action"
	FieldContentRequested  Field = "content_requested"
	FieldChildEndangerment Field = "child_endangerment"
	FieldEmergency         Field = "emergency"
)

// Fields lists every correctable field in display order.
var Fields = []Field{FieldKinds, FieldRecords, FieldIdentifiers, FieldPeriod, FieldDeadline, FieldAgent,
	FieldNDO, FieldNoToSAction, FieldContentRequested, FieldChildEndangerment, FieldEmergency}

// Label is the field's name as people say it.
func (fd Field) Label() string {
	switch fd {
	case FieldKinds:
		return "kinds"
	case FieldRecords:
		return "records requested"
	case FieldIdentifiers:
		return "identifiers"
	case FieldPeriod:
		return "period"
	case FieldDeadline:
		return "deadline"
	case FieldAgent:
		return "agent"
	case FieldNDO:
		return "NDO"
	case FieldNoToSAction:
		return "no ToS action"
	case FieldContentRequested:
		return "content requested"
	case FieldChildEndangerment:
		return "child endangerment"
	case FieldEmergency:
		return "emergency"
	}
	return string(fd)
}

// Phrase is the field as the object of "corrected": "the period", or the
// flag's name in quotes ("“emergency”").
func (fd Field) Phrase() string {
	switch fd {
	case FieldNoToSAction, FieldContentRequested, FieldChildEndangerment, FieldEmergency:
		return "“" + fd.Label() + "”"
	}
	return "the " + fd.Label()
}

// Correction records who last corrected a field, and when.
type Correction struct {
	By string    `json:"by"` // Slack user id
	At time.Time `json:"at"`
}

// Corrected reports whether the team corrected any field at or after since
// (any time at all when since is zero).
func (r *Request) Corrected(since time.Time) bool {
	for _, c := range r.Corrections {
		if !c.At.Before(since) {
			return true
		}
	}
	return false
}

// CorrectedFields lists the fields the team corrected, in display order.
func (r *Request) CorrectedFields() []Field {
	var out []Field
	for _, fd := range Fields {
		if _, ok := r.Corrections[fd]; ok {
			out = append(out, fd)
		}
	}
	return out
}

// Clone returns a deep copy of f, so a correction can be prepared on the
// copy without touching the stored request.
func (f Facts) Clone() Facts {
	g := f
	g.Kinds = slices.Clone(f.Kinds)
	g.Identifiers = slices.Clone(f.Identifiers)
	g.RecordsSought = slices.Clone(f.RecordsSought)
	g.Records = slices.Clone(f.Records)
	g.Evidence = maps.Clone(f.Evidence)
	g.ManualReview = slices.Clone(f.ManualReview)
	g.NDOUntil = cloneDate(f.NDOUntil)
	g.Deadline = cloneDate(f.Deadline)
	g.LetterDate = cloneDate(f.LetterDate)
	if f.Period != nil {
		p := *f.Period
		g.Period = &p
	}
	return g
}

func cloneDate(d *Date) *Date {
	if d == nil {
		return nil
	}
	c := *d
	return &c
}

// SetKinds sets the kinds (duplicates dropped, order kept; unclassified
// means none). Exigent follows: a request is exigent exactly when it is of
// the emergency kind, as the corpus labels have it.
func (f *Facts) SetKinds(kinds []Kind) {
	var out []Kind
	for _, k := range kinds {
		if k != KindUnclassified && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	f.Kinds = out
	f.Exigent = f.HasKind(KindEmergency)
}

// SetEmergency makes the request an emergency disclosure request or not:
// Exigent and the emergency kind go together.
func (f *Facts) SetEmergency(on bool) {
	kinds := slices.DeleteFunc(slices.Clone(f.Kinds), func(k Kind) bool { return k == KindEmergency })
	if on {
		kinds = append(kinds, KindEmergency)
	}
	f.SetKinds(kinds)
}

// SetNDO records a non-disclosure order ending on until (nil: until further
// order), or none when on is false.
func (f *Facts) SetNDO(on bool, until *Date) {
	f.NDO, f.NDOUntil = on, nil
	if on && until != nil && !until.IsZero() {
		f.NDOUntil = cloneDate(until)
	}
}

// Emergency reports whether the facts make an emergency request.
func (f Facts) Emergency() bool { return f.Exigent || f.HasKind(KindEmergency) }

// key is a field's value in a form that compares equal exactly when the
// values are the same (kinds and identifiers as sets).
func (f Facts) key(fd Field) string {
	sorted := func(s []string) string {
		s = slices.Clone(s)
		slices.Sort(s)
		return strings.Join(s, "\x00")
	}
	switch fd {
	case FieldKinds:
		ks := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			ks[i] = string(k)
		}
		return sorted(ks)
	case FieldRecords:
		rs := make([]string, len(f.Records))
		for i, r := range f.Records {
			rs[i] = string(r)
		}
		return sorted(rs) + "\x01" + sorted(f.RecordsSought)
	case FieldIdentifiers:
		return sorted(f.Identifiers)
	case FieldPeriod:
		if f.Period == nil || f.Period.Start.IsZero() {
			return ""
		}
		return f.Period.Start.String() + ".." + f.Period.End.String()
	case FieldDeadline:
		return datePtr(f.Deadline).String()
	case FieldAgent:
		return f.Agent.Name + "\x00" + f.Agent.Email + "\x00" + f.Agent.Phone
	case FieldNDO:
		if !f.NDO {
			return ""
		}
		return "ndo " + datePtr(f.NDOUntil).String()
	}
	return f.Value(fd)
}

func datePtr(d *Date) Date {
	if d == nil {
		return Date{}
	}
	return *d
}

// ChangedFields lists the fields whose values differ between a and b, in
// display order.
func ChangedFields(a, b Facts) []Field {
	var out []Field
	for _, fd := range Fields {
		if a.key(fd) != b.key(fd) {
			out = append(out, fd)
		}
	}
	return out
}

// Value is the field's value as people read it, dates in the card's style
// ("Jan 1 – Mar 31, 2026"), "none" when there is none. It is raw text:
// escape it for Slack.
func (f Facts) Value(fd Field) string {
	switch fd {
	case FieldKinds:
		var ls []string
		for _, k := range f.Kinds {
			ls = append(ls, k.Label())
		}
		return orNone(strings.Join(ls, ", "))
	case FieldRecords:
		return orNone(strings.Join(f.RecordsRequested(), ", "))
	case FieldIdentifiers:
		return orNone(strings.Join(f.Identifiers, ", "))
	case FieldPeriod:
		if f.Period == nil || f.Period.Start.IsZero() {
			return "none"
		}
		return f.Period.Label()
	case FieldDeadline:
		return orNone(datePtr(f.Deadline).Label())
	case FieldAgent:
		var parts []string
		for _, s := range []string{f.Agent.Name, f.Agent.Email, FormatPhone(f.Agent.Phone)} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		return orNone(strings.Join(parts, " · "))
	case FieldNDO:
		switch {
		case !f.NDO:
			return "none"
		case f.NDOUntil == nil || f.NDOUntil.IsZero():
			return "until further order"
		}
		return "until " + f.NDOUntil.Label()
	case FieldNoToSAction:
		return yesNo(f.NoToSAction)
	case FieldContentRequested:
		return yesNo(f.ContentRequested)
	case FieldChildEndangerment:
		return yesNo(f.ChildEndangerment)
	case FieldEmergency:
		return yesNo(f.Emergency())
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Label is d in the card's style, "Jan 2, 2006"; "" for the zero Date.
func (d Date) Label() string {
	if d.IsZero() {
		return ""
	}
	return d.In(time.UTC).Format("Jan 2, 2006")
}

// Label is the period in the card's style: "Jan 1 – Mar 31, 2026" within
// one year, "Dec 1, 2025 – Jan 31, 2026" across years, "Jan 1, 2026 to
// present" with no end.
func (p Period) Label() string {
	switch {
	case p.Start.IsZero():
		return ""
	case p.End.IsZero():
		return p.Start.Label() + " to present"
	case p.Start.Year == p.End.Year:
		return p.Start.In(time.UTC).Format("Jan 2") + " – " + p.End.Label()
	}
	return p.Start.Label() + " – " + p.End.Label()
}
