package store

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// This file holds what both backends share about requests: ids, the
// draft a create stores, index membership, and decoding.

// FormatID returns the request id for a year and sequence number:
// LE-YYYY-NNNN, the sequence zero-padded to at least four digits.
func FormatID(year int, seq uint64) string { return fmt.Sprintf("LE-%04d-%04d", year, seq) }

var (
	reFull   = regexp.MustCompile(`^(?:LE-?)?(\d{4})-(\d{1,9})$`)
	reNumber = regexp.MustCompile(`^(\d{1,9})$`)
)

// parseIDInput reads user input for ResolveID. It returns the year (0
// when the input has none) and the sequence number.
func parseIDInput(input string) (year int, seq uint64, err error) {
	s := strings.ToUpper(strings.TrimSpace(input))
	s = strings.TrimPrefix(s, "#")
	if m := reFull.FindStringSubmatch(s); m != nil {
		year, _ = strconv.Atoi(m[1])
		seq, _ = strconv.ParseUint(m[2], 10, 64)
	} else if m := reNumber.FindStringSubmatch(s); m != nil {
		seq, _ = strconv.ParseUint(m[1], 10, 64)
	} else {
		return 0, 0, fmt.Errorf("%q is not a request id (want LE-YYYY-NNNN or a number): %w", input, ErrNotFound)
	}
	if seq == 0 {
		return 0, 0, fmt.Errorf("%q is not a request id: %w", input, ErrNotFound)
	}
	return year, seq, nil
}

// resolveAmong picks the one existing candidate, or explains why not.
func resolveAmong(input string, found []string) (string, error) {
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("no request %q: %w", input, ErrNotFound)
	}
	return "", &AmbiguousIDError{Input: input, IDs: found}
}

// idYear is the year of a request id, for the id's year of receipt: the
// year of Incoming.ReceivedAt in its own location (pass it in the team's
// TIMEZONE so a request received on 31 December evening is that year's).
func idYear(receivedAt time.Time) int { return receivedAt.Year() }

// draft validates in and fills the fields a create sets, except ID and
// Version.
func draft(in *Incoming) error {
	if in.ReceivedAt.IsZero() {
		return errors.New("create request: ReceivedAt is required")
	}
	if len(in.Raw) == 0 {
		return errors.New("create request: raw message is empty")
	}
	r := &in.Request
	r.ReceivedAt = in.ReceivedAt
	if r.MessageID == "" {
		r.MessageID = in.MessageID
	}
	if r.Status == "" {
		r.Status = legal.StatusNew
	}
	return nil
}

// finishCreate sets the id-dependent parts of a create: the request's id
// and version, the audit entry and outbox items.
func finishCreate(in *Incoming, id string, now time.Time) error {
	in.Request.ID = id
	in.Request.Version = 1
	in.Audit.RequestID = id
	if in.Audit.At.IsZero() {
		in.Audit.At = in.ReceivedAt
	}
	if in.Audit.Action == "" {
		in.Audit.Action = "created"
	}
	for i := range in.Outbox {
		in.Outbox[i].RequestID = id
	}
	return prepareItems(in.Outbox, now)
}

// indexTimes is the time-index membership of r (see Index).
func indexTimes(r *legal.Request) map[Index]time.Time {
	m := make(map[Index]time.Time, len(Indexes))
	open := r.Status.Open()
	if open && !r.Due.IsZero() {
		m[IndexDue] = r.Due
	}
	if p := r.Preservation; p != nil && !p.Released && !p.Expires.IsZero() {
		m[IndexPreservation] = p.Expires.In(time.UTC)
	}
	if r.NDO.Active && r.NDO.Until != nil && !r.NDO.Until.IsZero() {
		m[IndexNDO] = r.NDO.Until.In(time.UTC)
	}
	if open && r.OrderExpires != nil && !r.OrderExpires.IsZero() {
		m[IndexOrder] = r.OrderExpires.In(time.UTC)
	}
	if !r.NextEscalation.IsZero() && r.AckedBy == "" && r.AckedAt.IsZero() {
		m[IndexEscalation] = r.NextEscalation
	}
	if t := closedAt(r); !open && r.Purged.IsZero() && !t.IsZero() {
		m[IndexClosed] = t
	}
	return m
}

// IndexTime is r's time in idx, and whether r is in idx at all: the
// membership the stores maintain, for callers that page through an index.
func IndexTime(r *legal.Request, idx Index) (time.Time, bool) {
	t, ok := indexTimes(r)[idx]
	return t, ok
}

// closedAt is when r stopped being open: RespondedAt for a responded
// request, ClosedAt otherwise, each falling back on the other.
func closedAt(r *legal.Request) time.Time {
	if r.Status == legal.StatusResponded {
		return cmp.Or(r.RespondedAt, r.ClosedAt)
	}
	return cmp.Or(r.ClosedAt, r.RespondedAt)
}

// assigneeOf is the assignee index membership: open requests only.
func assigneeOf(r *legal.Request) string {
	if r.Status.Open() {
		return r.Assignee
	}
	return ""
}

func (c *crypt) encodeRequest(r *legal.Request) ([]byte, error) { return c.encode(aadRequest(r.ID), r) }

func (c *crypt) decodeRequest(id string, b []byte) (*legal.Request, error) {
	var r legal.Request
	if err := c.decode("request "+id, aadRequest(id), b, &r); err != nil {
		return nil, err
	}
	if r.ID != id {
		return nil, fmt.Errorf("request %s: %w: stored id is %q", id, ErrCorrupt, r.ID)
	}
	return &r, nil
}

func (c *crypt) encodeAudit(e AuditEntry) ([]byte, error) { return c.encode(aadAudit(e.RequestID), e) }

func (c *crypt) decodeAudit(id string, b []byte) (AuditEntry, error) {
	var e AuditEntry
	err := c.decode("audit of "+id, aadAudit(id), b, &e)
	return e, err
}

func (c *crypt) sealRaw(id string, raw []byte) []byte { return c.seal(aadRaw(id), raw) }

func (c *crypt) openRaw(id string, b []byte) ([]byte, error) {
	p, err := c.open(aadRaw(id), b)
	if err != nil {
		return nil, fmt.Errorf("raw message of %s: %w", id, err)
	}
	return p, nil
}

func (c *crypt) encodeOnCall(oc OnCall) ([]byte, error) { return c.encode(aadOnCall, oc) }

func (c *crypt) decodeOnCall(b []byte) (OnCall, error) {
	var oc OnCall
	if err := c.decode("on-call settings", aadOnCall, b, &oc); err != nil {
		return OnCall{}, err
	}
	return oc, nil
}

// checkUpdate validates an update's arguments.
func checkUpdate(req *legal.Request) error {
	if req == nil || req.ID == "" {
		return errors.New("update request: no request or id")
	}
	return nil
}

// finishUpdate fills the audit entry for an update of req.
func finishUpdate(req *legal.Request, audit *AuditEntry, now time.Time) {
	audit.RequestID = req.ID
	if audit.At.IsZero() {
		audit.At = now
	}
}
