package legal

// The longest term a court may authorize, in days counting the first day:
// pen register / trap and trace orders 60 days (18 U.S.C. 3123(c)(1)),
// intercept orders 30 days (18 U.S.C. 2518(5)). Each extension needs a new
// order, which arrives as a new request.
const (
	PenTrapMaxDays = 60
	WiretapMaxDays = 30
)

// OrderExpiry returns the last day a pen/trap or intercept order authorizes
// collection, or nil for other kinds (and when nothing dates the order).
//
// The window starts on the later of the period start and the letter date:
// prospective collection cannot begin before the order is signed, and a
// hybrid historical-plus-prospective order's period starts at its earliest
// historical date. It ends on the stated period end, capped at the longest
// term the statute allows. The start day is a day of collection, so a
// 60-day order starting 2026-11-03 ends 2027-01-01 (start + 59): ending a
// day early is the safe error for the provider, collecting a day past the
// authorization is not. With both kinds, the shorter intercept limit
// applies. The 2518(5) rule that a wiretap's 30 days may start up to 10
// days after entry is not used: it would only lengthen the window.
func OrderExpiry(f Facts) *Date {
	limit := 0
	switch {
	case f.HasKind(KindWiretap):
		limit = WiretapMaxDays
	case f.HasKind(KindPenTrap):
		limit = PenTrapMaxDays
	default:
		return nil
	}
	var start, end Date
	if f.Period != nil {
		start, end = f.Period.Start, f.Period.End
	}
	if f.LetterDate != nil && f.LetterDate.After(start) {
		start = *f.LetterDate
	}
	if start.IsZero() {
		if end.IsZero() {
			return nil
		}
		return &end
	}
	if last := start.AddDays(limit - 1); end.IsZero() || end.After(last) {
		end = last
	}
	return &end
}
