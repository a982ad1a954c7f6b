package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/legal/agency"
)

// Label is a row's category as a person reads it.
func Label(row Row) string {
	switch row.Group {
	case "received":
		return "Requests received"
	case "kind":
		return legal.Kind(row.Category).Label()
	case "outcome":
		return outcomeLabels[row.Category]
	case "emergency":
		return emergencyLabels[row.Category]
	case "level":
		return agency.Level(row.Category).Label()
	case "country":
		if row.Category == "unknown" {
			return "Unknown"
		}
		return agency.CountryName(row.Category)
	}
	return otherLabels[row.Group+"/"+row.Category]
}

var outcomeLabels = map[string]string{
	"produced": "Data produced (in whole or in part)", "no_data": "No data produced",
	"rejected": "Rejected", "withdrawn": "Withdrawn", "pending": "Pending",
	"not_recorded": "Answered or closed, outcome not recorded",
}

var emergencyLabels = map[string]string{
	"received": "Emergency requests", "granted": "Granted (data produced)", "not_granted": "Not granted",
	"pending": "Pending", "not_recorded": "Outcome not recorded",
}

var otherLabels = map[string]string{
	"ndo/with_ndo": "With a non-disclosure order", "ndo/without_ndo": "Without one",
	"preservation/requests": "Preservation requests", "preservation/extensions": "Preservation extensions",
	"accounts/distinct_identifiers": "Accounts affected (distinct identifiers)",
	"cost/reimbursable":             "Requests with reimbursable costs",
}

// CSV writes a header row and one row per category: group, category,
// label, count, amount_usd (costs only), ready for a spreadsheet. A note
// row says that kind rows count a request of several kinds in each.
func CSV(w io.Writer, rep *Report) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"group", "category", "label", "count", "amount_usd"})
	for _, row := range rep.Rows {
		amount := ""
		if row.Group == "cost" {
			amount = fmt.Sprintf("%d.%02d", row.Cents/100, row.Cents%100)
		}
		cw.Write([]string{row.Group, row.Category, Label(row), strconv.Itoa(row.Count), amount})
	}
	cw.Write([]string{"note", "", kindNote(rep), "", ""})
	cw.Flush()
	return cw.Error()
}

func kindNote(rep *Report) string {
	return fmt.Sprintf("Period %s to %s. A request of several kinds counts once in each of its kind rows (%d such requests); every other group counts each request once.",
		rep.From, rep.To, rep.MultiKind)
}

// JSON writes the report as one JSON object.
func JSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// Markdown writes the report as the draft of a transparency report.
func Markdown(w io.Writer, rep *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Law-enforcement requests, %s to %s\n\n", rep.From, rep.To)
	fmt.Fprintf(&b, "We received **%d** requests for customer data from government agencies in this period.\n", rep.Received)
	section := func(title, group, intro string) {
		fmt.Fprintf(&b, "\n## %s\n\n", title)
		if intro != "" {
			b.WriteString(intro + "\n\n")
		}
		b.WriteString("| | Requests |\n|---|---:|\n")
		for _, row := range rep.Group(group) {
			fmt.Fprintf(&b, "| %s | %d |\n", Label(row), row.Count)
		}
	}
	section("By kind of request", "kind", fmt.Sprintf("A request of several kinds (for example a preservation request with a subpoena) counts once under each; %d requests did.", rep.MultiKind))
	section("By outcome", "outcome", "")
	section("Emergency requests", "emergency", "Emergency disclosure requests, without legal process, where an agency described a danger of death or serious physical injury.")
	section("Non-disclosure orders", "ndo", "")
	section("Preservation", "preservation", "")
	accounts := ""
	if rep.Purged > 0 {
		accounts = fmt.Sprintf("The identifiers of %d requests were deleted under our retention policy and are not counted.", rep.Purged)
	}
	section("Accounts affected", "accounts", accounts)
	section("By level of government", "level", "Unknown where the sender's domain does not say and the team has not recorded it.")
	section("By country", "country", "")
	for _, row := range rep.Group("cost") {
		fmt.Fprintf(&b, "\n## Costs\n\nReimbursable costs recorded on %d requests: %s. No reimbursement is sought for emergency or child-endangerment requests.\n",
			row.Count, legal.FormatAmount(row.Cents))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Formats are the formats Write knows.
var Formats = []string{"csv", "md", "json"}

// Write writes rep in format (csv, md or json).
func Write(w io.Writer, rep *Report, format string) error {
	switch format {
	case "csv":
		return CSV(w, rep)
	case "md", "markdown":
		return Markdown(w, rep)
	case "json":
		return JSON(w, rep)
	}
	return fmt.Errorf("unknown format %q (want csv, md or json)", format)
}
