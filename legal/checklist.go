package legal

import (
	"fmt"
	"slices"
	"strings"
)

// ItemID names a checklist item of POLICY.md. The ids are part of the
// public interface (triage JSON, Slack checklists, corpus labels).
type ItemID string

// The checklist items.
const (
	ItemOfficialDomain       ItemID = "official_domain"
	ItemLegalProcess         ItemID = "legal_process"
	ItemAgentContact         ItemID = "agent_contact"
	ItemParticularRecords    ItemID = "particular_records"
	ItemAccountIdentifier    ItemID = "account_identifier"
	ItemTimePeriod           ItemID = "time_period"
	ItemWarrantForContent    ItemID = "warrant_for_content"
	ItemDangerDescription    ItemID = "danger_description"
	ItemUrgencyJustification ItemID = "urgency_justification"
)

// Items lists every item in display order.
var Items = []ItemID{ItemOfficialDomain, ItemLegalProcess, ItemDangerDescription,
	ItemUrgencyJustification, ItemAgentContact, ItemParticularRecords,
	ItemAccountIdentifier, ItemTimePeriod, ItemWarrantForContent}

// ParseItem returns the item named s, or an error naming the valid items.
func ParseItem(s string) (ItemID, error) {
	if it := ItemID(strings.ToLower(s)); slices.Contains(Items, it) {
		return it, nil
	}
	return "", fmt.Errorf("unknown checklist item %q (want one of %v)", s, Items)
}

// Label is the requirement as a person reads it.
func (i ItemID) Label() string {
	switch i {
	case ItemOfficialDomain:
		return "Sent from an official government domain"
	case ItemLegalProcess:
		return "Valid, enforceable legal process"
	case ItemAgentContact:
		return "Agent named, with contact information"
	case ItemParticularRecords:
		return "Records sought stated with particularity"
	case ItemAccountIdentifier:
		return "Account identified (phone number or account id)"
	case ItemTimePeriod:
		return "Specific time period"
	case ItemWarrantForContent:
		return "Content only under a warrant or intercept order"
	case ItemDangerDescription:
		return "Danger of death or serious injury described"
	case ItemUrgencyJustification:
		return "How it helps, and why normal process is too slow"
	}
	return string(i)
}

// The checklists of POLICY.md per kind (warrant_for_content, a rule, is
// added to every checklist by ItemsFor).
var (
	standardItems     = []ItemID{ItemOfficialDomain, ItemLegalProcess, ItemAgentContact, ItemParticularRecords, ItemAccountIdentifier, ItemTimePeriod}
	emergencyItems    = []ItemID{ItemOfficialDomain, ItemDangerDescription, ItemUrgencyJustification, ItemAgentContact, ItemParticularRecords, ItemAccountIdentifier, ItemTimePeriod}
	preservationItems = []ItemID{ItemOfficialDomain, ItemAgentContact, ItemParticularRecords, ItemAccountIdentifier, ItemTimePeriod}
)

// ItemsFor returns the combined checklist for a request of the given
// kinds, in display order. Unclassified mail gets the standard checklist:
// it is what the team would have to see before acting on it.
func ItemsFor(kinds []Kind) []ItemID {
	want := map[ItemID]bool{ItemWarrantForContent: true}
	add := func(items []ItemID) {
		for _, it := range items {
			want[it] = true
		}
	}
	for _, k := range kinds {
		switch {
		case k.IsStandardProcess(), k == KindUnclassified:
			add(standardItems)
		case k == KindEmergency:
			add(emergencyItems)
		case k == KindPreservation:
			add(preservationItems)
		}
	}
	if len(kinds) == 0 {
		add(standardItems)
	}
	var out []ItemID
	for _, it := range Items {
		if want[it] {
			out = append(out, it)
		}
	}
	return out
}

// Outcome is the result of one checklist item.
type Outcome string

// Outcomes.
const (
	Passed      Outcome = "passed"
	Failed      Outcome = "failed"
	NeedsReview Outcome = "needs_review"
)

// ParseOutcome accepts passed/failed/needs_review (and pass/fail/review).
func ParseOutcome(s string) (Outcome, error) {
	switch strings.ToLower(s) {
	case "passed", "pass", "ok", "yes":
		return Passed, nil
	case "failed", "fail", "no":
		return Failed, nil
	case "needs_review", "review":
		return NeedsReview, nil
	}
	return "", fmt.Errorf("unknown outcome %q (want passed, failed or needs_review)", s)
}

// ItemResult is the evaluation of one item: the automatic result, or a
// person's Decision when one was recorded.
type ItemResult struct {
	Item     ItemID    `json:"item"`
	Outcome  Outcome   `json:"outcome"`
	Reason   string    `json:"reason"`
	Auto     Outcome   `json:"auto"` // the automatic outcome, kept when overridden
	Decision *Decision `json:"decision,omitempty"`
}

// Evaluate checks facts against the checklist for their kinds. A decision
// recorded for an item overrides its automatic outcome.
// Mail that carries no request (Facts.NotRequest) has no checklist.
func Evaluate(f Facts, decisions map[ItemID]Decision) []ItemResult {
	if f.NotRequest != "" {
		return []ItemResult{}
	}
	items := ItemsFor(f.Kinds)
	out := make([]ItemResult, 0, len(items))
	for _, it := range items {
		o, reason := evaluateItem(it, f)
		r := ItemResult{Item: it, Outcome: o, Reason: reason, Auto: o}
		if d, ok := decisions[it]; ok {
			d := d
			r.Outcome, r.Decision = d.Outcome, &d
			r.Reason = "decided by <@" + d.By + ">"
			if d.Note != "" {
				r.Reason += ": " + d.Note
			}
		}
		out = append(out, r)
	}
	return out
}

// Missing returns the items whose outcome is Failed, in checklist order.
func Missing(results []ItemResult) []ItemID {
	out := []ItemID{}
	for _, r := range results {
		if r.Outcome == Failed {
			out = append(out, r.Item)
		}
	}
	return out
}

func evaluateItem(it ItemID, f Facts) (Outcome, string) {
	switch it {
	case ItemOfficialDomain:
		if f.SenderDomain == "" {
			return Failed, "no sender domain"
		}
		if f.SenderOfficial {
			return Passed, f.SenderDomain + " is an official government domain"
		}
		return Failed, f.SenderDomain + " is not an official government domain; verify by callback"
	case ItemLegalProcess:
		if f.LegalProcess {
			return Passed, "legal process included"
		}
		return Failed, "no enforceable legal process included"
	case ItemAgentContact:
		switch {
		case f.Agent.Name != "" && (f.Agent.Phone != "" || f.Agent.Email != ""):
			return Passed, "agent " + f.Agent.Name + " with contact details"
		case f.Agent.Name != "":
			return Failed, "agent named but no phone or e-mail"
		case f.Agent.Phone != "" || f.Agent.Email != "":
			return NeedsReview, "contact details but no agent named"
		}
		return Failed, "no agent named"
	case ItemParticularRecords:
		if len(f.RecordsSought) > 0 {
			return Passed, "records: " + strings.Join(f.RecordsSought, ", ")
		}
		if len(f.Records) > 0 {
			return Passed, "records: " + strings.Join(RecordLabels(f.Records), ", ")
		}
		return Failed, "records sought not stated"
	case ItemAccountIdentifier:
		if n := len(f.Identifiers); n > 0 {
			if n == 1 {
				return Passed, "1 identifier"
			}
			return Passed, fmt.Sprintf("%d identifiers", n)
		}
		return Failed, "no phone number or account identifier"
	case ItemTimePeriod:
		switch {
		case f.Period == nil:
		case !f.Period.Start.IsZero():
			return Passed, f.Period.Label()
		case !f.Period.End.IsZero():
			// "From account creation to the present": the range is fixed
			// by the account's own start.
			return Passed, "from the account's opening to " + f.Period.End.Label()
		}
		return Failed, "no time period stated"
	case ItemWarrantForContent:
		if !f.ContentRequested {
			return Passed, "no content requested"
		}
		if f.HasKind(KindSearchWarrant) || f.HasKind(KindWiretap) {
			return Passed, "content requested under a warrant or intercept order"
		}
		return Failed, "content requested without a search warrant"
	case ItemDangerDescription:
		if f.DangerDescribed {
			return Passed, "danger described"
		}
		return Failed, "no danger of death or serious injury described"
	case ItemUrgencyJustification:
		if f.UrgencyJustified {
			return Passed, "urgency justified"
		}
		return Failed, "does not say how it helps or why normal process is too slow"
	}
	return NeedsReview, "unknown item"
}
