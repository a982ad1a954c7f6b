package legal

import (
	"errors"
	"fmt"
)

// PreservationTerm is the length of a 2703(f) preservation and of its one
// extension, in calendar days.
const PreservationTerm = 90

// ErrExtensionUsed is returned when a preservation that was already
// extended is extended again: 2703(f)(2) allows a single 90-day extension.
// Request.ExtendPreservation prefixes it with the request id.
var ErrExtensionUsed = errors.New("preservation was already extended once; " +
	"18 U.S.C. 2703(f) allows one 90-day extension — a longer hold needs new process")

// ErrReleased is returned when a released preservation is extended: the
// data may be gone, and a new hold needs a new request.
var ErrReleased = errors.New("preservation was released; a new hold needs a new preservation request")

// NewPreservation starts a 90-day preservation on start (the day the
// request was received, unless the team records another).
//
// The last preserved day is start + 90 calendar days: as in Fed. R. Crim.
// P. 45(a), the day of the triggering event is not counted, and a hold that
// runs one day long is harmless where one that runs short is not. The term
// is not rolled off weekends or holidays: data is preserved every day.
// Received 2026-11-26, a preservation runs through 2027-02-24.
func NewPreservation(start Date) Preservation {
	return Preservation{Start: start, Expires: start.AddDays(PreservationTerm)}
}

// NewPreservationExtension models a request that itself asks to extend a
// preservation made on an earlier request (Facts.PreservationExtension).
// The original hold belongs to that other request, so this one starts a
// fresh 90-day term on start, already marked Extended: the single extension
// 2703(f)(2) allows is what this request is, and Extend refuses another.
func NewPreservationExtension(start Date) Preservation {
	p := NewPreservation(start)
	p.Extended = true
	return p
}

// PreservationFor returns the preservation a request with facts f starts
// when received on the given day, or nil when it asks for none.
func PreservationFor(f Facts, received Date) *Preservation {
	var p Preservation
	switch {
	case f.PreservationExtension:
		p = NewPreservationExtension(received)
	case f.HasKind(KindPreservation):
		p = NewPreservation(received)
	default:
		return nil
	}
	return &p
}

// Extend uses the one 90-day extension: the new term follows the current one
// without a gap, so the last preserved day moves 90 days later. It returns
// ErrExtensionUsed on a second extension and ErrReleased after Release; p is
// unchanged then.
func (p *Preservation) Extend() error {
	switch {
	case p.Released:
		return ErrReleased
	case p.Extended:
		return ErrExtensionUsed
	}
	p.Extended = true
	p.Expires = p.Expires.AddDays(PreservationTerm)
	return nil
}

// SetStart records a start date other than receipt (the team preserved
// later, or the agency asked from a given day). The last preserved day
// follows it, keeping the extension when one was granted.
func (p *Preservation) SetStart(start Date) {
	p.Start = start
	p.Expires = start.AddDays(PreservationTerm)
	if p.Extended {
		p.Expires = p.Expires.AddDays(PreservationTerm)
	}
}

// Release ends the hold on the given day (process arrived and the data was
// produced, the agency withdrew, or the term ran out).
func (p *Preservation) Release(on Date) {
	p.Released = true
	p.ReleasedOn = on
}

// DaysLeft is the number of calendar days after today that are still
// preserved: 0 when today is the last preserved day, negative once it has
// passed. It ignores Release; see Active.
func (p Preservation) DaysLeft(today Date) int {
	return today.DaysUntil(p.Expires)
}

// Active reports whether the hold is in force on today: not released and
// not past its last preserved day.
func (p Preservation) Active(today Date) bool {
	return !p.Released && !today.After(p.Expires)
}

// ExtendPreservation extends r's preservation, naming r in the error a
// person sees ("LE-2026-0042 preservation was already extended once; …").
func (r *Request) ExtendPreservation() error {
	if r.Preservation == nil {
		return fmt.Errorf("%s has no preservation to extend", r.ID)
	}
	if err := r.Preservation.Extend(); err != nil {
		return fmt.Errorf("%s %w", r.ID, err)
	}
	return nil
}
