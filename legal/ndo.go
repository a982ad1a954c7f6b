package legal

// NDOFrom returns the non-disclosure obligation a request with facts f
// carries. A stated NDO (f.NDO) runs until f.NDOUntil, or indefinitely when
// no end date is stated ("until further order").
//
// Pen/trap and intercept orders are under an NDO even when the letter cites
// none: 18 U.S.C. 3123(d) and 2511(2)(a)(ii) bar the provider from
// disclosing them unless the court orders otherwise, so notice waits for
// the court to lift it.
func NDOFrom(f Facts) NDO {
	sealed := f.HasKind(KindPenTrap) || f.HasKind(KindWiretap)
	if !f.NDO && !sealed {
		return NDO{}
	}
	n := NDO{Active: true}
	if f.NDOUntil != nil && !f.NDOUntil.IsZero() {
		until := *f.NDOUntil
		n.Until = &until
	}
	return n
}

// Indefinite reports whether the NDO is in force with no end date, so only
// a person can end it (Clear) when the court lifts it.
func (n NDO) Indefinite() bool { return n.Active && n.Until == nil }

// NoticeAllowed reports whether the customer may be notified on today as
// far as the NDO goes. Until is the last day notice is barred: notice is
// allowed from the day after, never on the end date itself, erring on the
// side of the order.
func (n NDO) NoticeAllowed(today Date) bool {
	if !n.Active {
		return true
	}
	return n.Until != nil && today.After(*n.Until)
}

// DaysLeft is the number of days from today to the NDO's end date (0 on the
// end date, negative after it); ok is false when there is no NDO or it is
// indefinite, which is when no expiry reminder applies.
func (n NDO) DaysLeft(today Date) (days int, ok bool) {
	if !n.Active || n.Until == nil {
		return 0, false
	}
	return today.DaysUntil(*n.Until), true
}

// SetUntil records an NDO ending on until (the last day notice is barred),
// as when a renewal order arrives with a new date.
func (n *NDO) SetUntil(until Date) {
	n.Active = true
	n.Until = &until
}

// SetIndefinite records an NDO with no end date.
func (n *NDO) SetIndefinite() {
	n.Active = true
	n.Until = nil
}

// Clear records that no NDO applies (the court lifted it, or it was marked
// in error).
func (n *NDO) Clear() {
	*n = NDO{}
}
