package legal

import "time"

// IsEmergency reports whether r is paged for: an emergency disclosure
// request or one read as exigent.
func IsEmergency(r *Request) bool {
	return r.Facts.Exigent || r.Facts.HasKind(KindEmergency)
}

// StartPaging schedules the first escalation step of an emergency at at.
// Intake's sink calls it on the draft so the step is stored with the
// request in one CreateRequest: a crash after the 250 still pages.
func StartPaging(r *Request, at time.Time) bool {
	if !IsEmergency(r) || !r.Status.Open() || r.AckedBy != "" {
		return false
	}
	r.NextEscalation, r.EscalationStep = at, 0
	return true
}

// Paged reports whether r has been or is being paged.
func Paged(r *Request) bool {
	return r.EscalationStep > 0 || !r.NextEscalation.IsZero() || r.AckedBy != ""
}
