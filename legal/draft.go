package legal

import (
	"fmt"
	"strings"
	"time"
)

// NewDraft builds a new request from what intake read, before the store
// gives it an id: status new, the response deadline (DueFor), the
// preservation it starts (on the day of receipt in the calendar's zone),
// its NDO and, for pen/trap and intercept orders, the order's expiry.
// Customer notice starts blocked when an NDO applies, so nobody notifies a
// customer the law says must not be told. cal must not be nil.
func NewDraft(f Facts, v Verification, received time.Time, source string, cal *Calendar) Request {
	r := Request{
		Status:       StatusNew,
		ReceivedAt:   received,
		Source:       source,
		Facts:        f,
		Verification: v,
		Due:          DueFor(f, received, cal),
		Preservation: PreservationFor(f, cal.DateOf(received)),
		NDO:          NDOFrom(f),
		OrderExpires: OrderExpiry(f),
	}
	if r.NDO.Active {
		r.Notice = NoticeBlocked
	}
	return r
}

// Checklist evaluates r's facts against its kinds' checklists, with the
// team's recorded decisions overriding the automatic outcomes.
// An item a follow-up satisfied says so ("met by follow-up of …").
func (r *Request) Checklist() []ItemResult {
	out := Evaluate(r.Facts, r.Decisions)
	if len(r.FollowUps) == 0 {
		return out
	}
	for i, res := range out {
		if res.Decision != nil || res.Outcome != Passed {
			continue
		}
		if f, ok := r.MetBy(res.Item); ok {
			out[i].Reason = followUpReason(f)
		}
	}
	return out
}

// ChecklistSummary counts a checklist's outcomes for a card's one-line
// status and for the digest.
type ChecklistSummary struct {
	Total       int
	Passed      int
	Failed      int
	NeedsReview int
	Missing     []ItemID // failed items, in checklist order
	Review      []ItemID // items needing review, in checklist order
}

// Summarize counts results by outcome.
func Summarize(results []ItemResult) ChecklistSummary {
	s := ChecklistSummary{Total: len(results)}
	for _, r := range results {
		switch r.Outcome {
		case Passed:
			s.Passed++
		case Failed:
			s.Failed++
			s.Missing = append(s.Missing, r.Item)
		default:
			s.NeedsReview++
			s.Review = append(s.Review, r.Item)
		}
	}
	return s
}

// Complete reports whether every item passed.
func (s ChecklistSummary) Complete() bool { return s.Passed == s.Total }

// String reads like "5/7 passed; missing agent_contact, time_period; review
// official_domain", using the public item ids.
func (s ChecklistSummary) String() string {
	out := fmt.Sprintf("%d/%d passed", s.Passed, s.Total)
	if len(s.Missing) > 0 {
		out += "; missing " + joinItems(s.Missing)
	}
	if len(s.Review) > 0 {
		out += "; review " + joinItems(s.Review)
	}
	return out
}

func joinItems(items []ItemID) string {
	ss := make([]string, len(items))
	for i, it := range items {
		ss[i] = string(it)
	}
	return strings.Join(ss, ", ")
}
