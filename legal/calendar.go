package legal

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"
)

// Business hours of the legal team, in the calendar's zone. A request that
// arrives at or after BusinessDayEnd is treated as received on the next
// business day, and response deadlines fall at BusinessDayEnd.
const (
	BusinessDayStart = 9 * time.Hour
	BusinessDayEnd   = 17 * time.Hour
)

// DefaultResponseDays is the default response time of POLICY.md: "two
// business weeks" of receipt.
const DefaultResponseDays = 10

// Calendar is the legal team's business calendar: Monday to Friday,
// 9:00–17:00 in its zone, closed on the US federal holidays of 5 U.S.C.
// 6103 on their observed dates (Saturday holidays on the Friday before,
// Sunday ones on the Monday after), as computed by rickar/cal rather than
// a hand-typed list that would go stale. Extra closures (an executive order
// closing Christmas Eve, say) can be added at construction.
//
// A Calendar is read-only after NewCalendar and safe for concurrent use
// (rickar's holiday cache, which is not, stays off).
type Calendar struct {
	loc      *time.Location
	bc       *cal.BusinessCalendar
	closures map[Date]bool
}

// NewCalendar returns the business calendar for loc (the TIMEZONE of the
// deployment), closed on the federal holidays and on any extra closures
// given. A nil loc means UTC.
func NewCalendar(loc *time.Location, closures ...Date) *Calendar {
	if loc == nil {
		loc = time.UTC
	}
	bc := cal.NewBusinessCalendar()
	bc.SetWorkHours(BusinessDayStart, BusinessDayEnd)
	bc.AddHoliday(us.Holidays...)
	c := &Calendar{loc: loc, bc: bc, closures: map[Date]bool{}}
	for _, d := range closures {
		c.closures[d] = true
	}
	return c
}

// Location is the calendar's zone: dates of instants are taken there.
func (c *Calendar) Location() *time.Location { return c.loc }

// DateOf returns the calendar date of t in the calendar's zone, which may
// differ from t's own date (22:00 Pacific is already tomorrow in UTC).
func (c *Calendar) DateOf(t time.Time) Date { return DateOf(t.In(c.loc)) }

// EndOfBusinessDay returns 17:00 wall-clock time on d in the calendar's
// zone. It is built from the wall clock, not midnight + 17h, which would be
// 18:00 or 16:00 on the days daylight saving time starts or ends.
func (c *Calendar) EndOfBusinessDay(d Date) time.Time {
	end := int(BusinessDayEnd / time.Minute)
	return time.Date(d.Year, d.Month, d.Day, end/60, end%60, 0, 0, c.loc)
}

// Holiday returns the name of the federal holiday observed on d, or "".
func (c *Calendar) Holiday(d Date) string {
	if _, obs, h := c.bc.IsHoliday(noon(d)); obs && h != nil {
		return h.Name
	}
	if c.closures[d] {
		return "closure"
	}
	return ""
}

// IsBusinessDay reports whether d is a weekday that is neither an observed
// federal holiday nor an extra closure.
func (c *Calendar) IsBusinessDay(d Date) bool {
	// rickar matches the time's own Y/M/D; a Date is zone-less, so noon UTC
	// stands for it and no zone shift can move it to another day.
	return c.bc.IsWorkday(noon(d)) && !c.closures[d]
}

// AddBusinessDays returns the business day n business days after d (before
// d when n is negative). Counting skips d itself, so d need not be a
// business day; n == 0 returns d unchanged.
func (c *Calendar) AddBusinessDays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsBusinessDay(d) {
			n--
		}
	}
	return d
}

// BusinessDaysBetween counts the business days after from up to and
// including to, negated when to is before from. It is what a card shows as
// "N business days left": 0 on the due day itself, -1 on the next business
// day after it. AddBusinessDays(from, BusinessDaysBetween(from, to)) == to
// whenever to is a business day.
func (c *Calendar) BusinessDaysBetween(from, to Date) int {
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsBusinessDay(d) {
			n++
		}
	}
	return sign * n
}

// BusinessDaysLeft is BusinessDaysBetween the dates of now and due in the
// calendar's zone: what a card shows as "N business days left" (negative
// when overdue).
func (c *Calendar) BusinessDaysLeft(now, due time.Time) int {
	return c.BusinessDaysBetween(c.DateOf(now), c.DateOf(due))
}

// ReceiptDay is the business day on which the response clock starts: the
// day of receipt in the calendar's zone when that is a business day and the
// request arrived before 17:00, else the next business day. Arriving before
// 9:00 on a business day still counts as that day.
func (c *Calendar) ReceiptDay(received time.Time) Date {
	t := received.In(c.loc)
	d := DateOf(t)
	if !c.IsBusinessDay(d) || !t.Before(c.EndOfBusinessDay(d)) {
		return c.AddBusinessDays(d, 1)
	}
	return d
}

// ResponseDue is the default deadline of POLICY.md: 17:00 in the calendar's
// zone on the 10th business day after the ReceiptDay. A request received
// Monday 10:00 with no holidays ahead is due 17:00 on Monday two weeks later.
func (c *Calendar) ResponseDue(received time.Time) time.Time {
	return c.EndOfBusinessDay(c.AddBusinessDays(c.ReceiptDay(received), DefaultResponseDays))
}

// DueFor is the response deadline of a request with facts f received at
// received:
//   - an emergency (kind emergency, or Exigent) is due at once: the receipt
//     instant itself, so it is overdue from the moment it lands;
//   - a deadline stated by the sender governs, due at 17:00 on that day in
//     the calendar's zone, even on a weekend or holiday, since it is the day
//     they asked for;
//   - mail that carries no request (an auto-reply, an announcement) has no
//     deadline: the zero time;
//   - otherwise the default ResponseDue.
func DueFor(f Facts, received time.Time, c *Calendar) time.Time {
	switch {
	case f.NotRequest != "":
		return time.Time{}
	case f.Exigent || f.HasKind(KindEmergency):
		return received
	case f.Deadline != nil && !f.Deadline.IsZero():
		return c.EndOfBusinessDay(*f.Deadline)
	}
	return c.ResponseDue(received)
}

func noon(d Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}
