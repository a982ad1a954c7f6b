package legal

import "time"

// Corrected says what a correction changed: the fields, the facts before,
// and what followed from them beyond the facts.
type Corrected struct {
	Fields []Field // the fields whose values changed, in display order
	Before Facts   // the facts before the correction
	// PagingStarted: the request became an emergency and its first page is
	// due now (StartPaging). PagingStopped: it stopped being one, and the
	// escalation that was running was stopped.
	PagingStarted, PagingStopped bool
	// DueKept, PreservationKept and NDOKept: the new facts call for another
	// deadline, preservation or NDO than before, but the team had set its
	// own (`/legal due`, `preserve`, `extend`, `ndo`), which stays.
	DueKept, PreservationKept, NDOKept bool
}

// Correct replaces r's facts with to, the team's correction of what lebot
// read, and records who corrected each changed field. What the facts
// decide follows them, as if the request had arrived reading so:
//
//   - the checklist (evaluated from the facts; the team's decisions on
//     items stay);
//   - the response deadline, unless a person set it (a correction of the
//     deadline itself always applies);
//   - the preservation and the NDO, unless the team changed them since
//     (a correction of the NDO itself always applies); customer notice is
//     withheld while an NDO applies;
//   - a pen/trap or intercept order's end;
//   - paging: a request corrected into an emergency is paged now (unless
//     closed or already acknowledged), one corrected out of it stops its
//     escalation.
//
// With no field changed, r is left as it was. cal must not be nil.
func (r *Request) Correct(to Facts, by string, now time.Time, cal *Calendar) Corrected {
	before := r.Facts
	c := Corrected{Fields: ChangedFields(before, to), Before: before}
	if len(c.Fields) == 0 {
		return c
	}
	changed := func(fd Field) bool {
		for _, f := range c.Fields {
			if f == fd {
				return true
			}
		}
		return false
	}
	r.Facts = to
	if r.Corrections == nil {
		r.Corrections = map[Field]Correction{}
	}
	for _, fd := range c.Fields {
		r.Corrections[fd] = Correction{By: by, At: now}
	}

	oldDue, newDue := DueFor(before, r.ReceivedAt, cal), DueFor(to, r.ReceivedAt, cal)
	switch {
	case changed(FieldDeadline):
		r.Due, r.DueSetBy = newDue, ""
	case r.DueSetBy == "":
		r.Due = newDue
	default:
		c.DueKept = !oldDue.Equal(newDue)
	}

	received := cal.DateOf(r.ReceivedAt)
	oldP, newP := PreservationFor(before, received), PreservationFor(to, received)
	if samePreservation(r.Preservation, oldP) {
		r.Preservation = newP
	} else {
		c.PreservationKept = !samePreservation(oldP, newP)
	}

	oldN, newN := NDOFrom(before), NDOFrom(to)
	if changed(FieldNDO) || sameNDO(r.NDO, oldN) {
		r.NDO = newN
	} else {
		c.NDOKept = !sameNDO(oldN, newN)
	}
	if r.NDO.Active && r.Notice == NoticePending {
		r.Notice = NoticeBlocked // nobody may notify while it runs
	}

	r.OrderExpires = OrderExpiry(to)

	switch was, is := before.Emergency(), to.Emergency(); {
	case !was && is && r.NextEscalation.IsZero():
		c.PagingStarted = StartPaging(r, now)
	case was && !is && !r.NextEscalation.IsZero():
		r.NextEscalation = time.Time{}
		c.PagingStopped = true
	}
	return c
}

func samePreservation(a, b *Preservation) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func sameNDO(a, b NDO) bool {
	return a.Active == b.Active && datePtr(a.Until) == datePtr(b.Until)
}
