package report

import (
	"slices"
	"strings"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/legal/agency"
)

// Row is one line of the report: a category within a group and how many
// requests it counts (and, for costs, an amount in cents).
type Row struct {
	Group    string `json:"group"`
	Category string `json:"category"`
	Count    int    `json:"count"`
	Cents    int64  `json:"cents,omitempty"`
}

// Report is the counted period.
type Report struct {
	Period   Period `json:"-"`
	From     string `json:"from"` // first day, YYYY-MM-DD
	To       string `json:"to"`   // last day, included
	Received int    `json:"received"`
	Rows     []Row  `json:"rows"`
	// MultiKind counts requests of more than one kind: they count once in
	// each of their kind rows, so the kind rows add up to more than Received.
	MultiKind int `json:"multi_kind"`
	// Purged counts requests whose identifiers retention deleted: they
	// are not in the accounts count.
	Purged int `json:"purged"`
}

// Count returns the row of group and category (zero when absent).
func (r *Report) Count(group, category string) int {
	for _, row := range r.Rows {
		if row.Group == group && row.Category == category {
			return row.Count
		}
	}
	return 0
}

// Group returns the rows of group, in report order.
func (r *Report) Group(group string) []Row {
	var out []Row
	for _, row := range r.Rows {
		if row.Group == group {
			out = append(out, row)
		}
	}
	return out
}

// Tally counts requests one at a time; it is pure.
type Tally struct {
	received, multiKind, purged int
	kinds                       map[legal.Kind]int
	outcomes                    map[string]int
	emergency                   map[string]int
	ndo, preservations, ext     int
	levels                      map[agency.Level]int
	countries                   map[string]int
	accounts                    map[string]bool
	costCount                   int
	costCents                   int64
}

// NewTally starts an empty count.
func NewTally() *Tally {
	return &Tally{kinds: map[legal.Kind]int{}, outcomes: map[string]int{}, emergency: map[string]int{},
		levels: map[agency.Level]int{}, countries: map[string]int{}, accounts: map[string]bool{}}
}

// maxAccounts bounds the distinct identifiers kept in memory; past it
// the count says "at least".
const maxAccounts = 1_000_000

// Add counts r, sent by an agency of level in country ("" unknown).
func (t *Tally) Add(r *legal.Request, level agency.Level, country string) {
	t.received++
	kinds := r.Facts.Kinds
	if len(kinds) == 0 {
		kinds = []legal.Kind{legal.KindUnclassified}
	}
	seen := map[legal.Kind]bool{}
	for _, k := range kinds {
		if !seen[k] {
			seen[k] = true
			t.kinds[k]++
		}
	}
	if len(seen) > 1 {
		t.multiKind++
	}
	outcome := r.Outcome()
	t.outcomes[outcome]++
	if r.Facts.Exigent || r.Facts.HasKind(legal.KindEmergency) {
		t.emergency["received"]++
		switch outcome {
		case string(legal.DispositionProduced):
			t.emergency["granted"]++
		case "pending", "not_recorded":
			t.emergency[outcome]++
		default:
			t.emergency["not_granted"]++
		}
	}
	if legal.NDOFrom(r.Facts).Active || r.NDO.Active {
		t.ndo++
	}
	if r.Facts.HasKind(legal.KindPreservation) {
		t.preservations++
	}
	if r.Facts.PreservationExtension || r.Preservation != nil && r.Preservation.Extended {
		t.ext++
	}
	if level == "" {
		level = agency.LevelUnknown
	}
	t.levels[level]++
	t.countries[country]++
	if !r.Purged.IsZero() {
		t.purged++
	}
	for _, id := range r.Facts.Identifiers {
		if len(t.accounts) < maxAccounts {
			t.accounts[strings.ToLower(strings.TrimSpace(id))] = true
		}
	}
	if c := r.TotalCost(); c > 0 {
		t.costCount++
		t.costCents += c
	}
}

// Report returns the counts for p. Every group but kind, emergency,
// preservation, accounts and cost adds up to Received.
func (t *Tally) Report(p Period) *Report {
	rep := &Report{Period: p, From: p.From.Format("2006-01-02"), To: p.LastDay().Format("2006-01-02"),
		Received: t.received, MultiKind: t.multiKind, Purged: t.purged}
	add := func(group, category string, n int) {
		rep.Rows = append(rep.Rows, Row{Group: group, Category: category, Count: n})
	}
	add("received", "total", t.received)
	for _, k := range legal.Kinds {
		add("kind", string(k), t.kinds[k])
	}
	for _, o := range Outcomes {
		add("outcome", o, t.outcomes[o])
	}
	for _, e := range []string{"received", "granted", "not_granted", "pending", "not_recorded"} {
		add("emergency", e, t.emergency[e])
	}
	add("ndo", "with_ndo", t.ndo)
	add("ndo", "without_ndo", t.received-t.ndo)
	add("preservation", "requests", t.preservations)
	add("preservation", "extensions", t.ext)
	add("accounts", "distinct_identifiers", len(t.accounts))
	for _, l := range agency.Levels {
		add("level", string(l), t.levels[l])
	}
	countries := make([]string, 0, len(t.countries))
	for c := range t.countries {
		countries = append(countries, c)
	}
	slices.SortFunc(countries, func(a, b string) int { // the most first, unknown last
		switch {
		case a == "":
			return 1
		case b == "":
			return -1
		case t.countries[a] != t.countries[b]:
			return t.countries[b] - t.countries[a]
		}
		return strings.Compare(a, b)
	})
	for _, c := range countries {
		add("country", cmpOr(c, "unknown"), t.countries[c])
	}
	rep.Rows = append(rep.Rows, Row{Group: "cost", Category: "reimbursable", Count: t.costCount, Cents: t.costCents})
	return rep
}

// Outcomes are the outcome rows, in order (see legal.Request.Outcome).
var Outcomes = []string{string(legal.DispositionProduced), string(legal.DispositionNoData),
	string(legal.DispositionRejected), string(legal.DispositionWithdrawn), "pending", "not_recorded"}

func cmpOr[S ~string](a, b S) S {
	if a != "" {
		return a
	}
	return b
}
