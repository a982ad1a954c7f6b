package commands

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/lebot-dev/lebot/legal"
)

// This file reads the values of `/legal set ID FIELD VALUE` (and the edit
// modal's text fields). Every error says what is wrong with what the
// person typed, in their words.

// maxIdentifiers bounds the identifiers one correction may set.
const maxIdentifiers = 100

// setter applies one field's new value to a copy of the facts.
type setter func(f *legal.Facts)

// fieldNames are the names `/legal set` accepts for each field.
var fieldNames = map[string]legal.Field{
	"kind": legal.FieldKinds, "kinds": legal.FieldKinds, "type": legal.FieldKinds,
	"identifier": legal.FieldIdentifiers, "identifiers": legal.FieldIdentifiers, "ids": legal.FieldIdentifiers,
	"targets": legal.FieldIdentifiers, "target": legal.FieldIdentifiers,
	"records": legal.FieldRecords, "record": legal.FieldRecords, "records_requested": legal.FieldRecords,
	"records_sought": legal.FieldRecords,
	"period":         legal.FieldPeriod, "dates": legal.FieldPeriod,
	"deadline":      legal.FieldDeadline,
	"agent":         legal.FieldAgent,
	"ndo":           legal.FieldNDO,
	"no_tos_action": legal.FieldNoToSAction, "no_tos": legal.FieldNoToSAction, "notos": legal.FieldNoToSAction,
	"content": legal.FieldContentRequested, "content_requested": legal.FieldContentRequested,
	"child": legal.FieldChildEndangerment, "child_endangerment": legal.FieldChildEndangerment,
	"emergency": legal.FieldEmergency, "exigent": legal.FieldEmergency,
}

// fieldList is how the set usage names the fields.
const fieldList = "kinds, records, identifiers, period, deadline, agent, ndo, no-tos-action, content, child, emergency"

func parseField(s string) (legal.Field, error) {
	if fd, ok := fieldNames[strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(s))]; ok {
		return fd, nil
	}
	return "", usageErrorf("I can't correct `%s`. The fields are: %s.", escape(s), fieldList)
}

// parseCorrection reads the value typed for fd.
func parseCorrection(fd legal.Field, value string) (setter, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil, userErrorf("Give a value for the %s (or `none`).", fd.Label())
	}
	switch fd {
	case legal.FieldKinds:
		kinds, err := parseKinds(value)
		return func(f *legal.Facts) { f.SetKinds(kinds) }, err
	case legal.FieldRecords:
		recs, err := parseRecords(value)
		return func(f *legal.Facts) { f.SetRecords(recs) }, err
	case legal.FieldIdentifiers:
		ids, err := parseIdentifiers(value)
		return func(f *legal.Facts) { f.Identifiers = ids }, err
	case legal.FieldPeriod:
		p, err := parsePeriod(value)
		return func(f *legal.Facts) { f.Period = p }, err
	case legal.FieldDeadline:
		d, err := parseOptionalDate(value)
		return func(f *legal.Facts) { f.Deadline = d }, err
	case legal.FieldAgent:
		return parseAgent(value)
	case legal.FieldNDO:
		return parseNDOValue(value)
	}
	on, err := parseYesNo(value)
	if err != nil {
		return nil, err
	}
	return func(f *legal.Facts) {
		switch fd {
		case legal.FieldNoToSAction:
			f.NoToSAction = on
		case legal.FieldContentRequested:
			f.ContentRequested = on
		case legal.FieldChildEndangerment:
			f.ChildEndangerment = on
		case legal.FieldEmergency:
			f.SetEmergency(on)
		}
	}, nil
}

func isNone(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none", "no", "-", "":
		return true
	}
	return false
}

// kindAliases are the other names people give the kinds.
var kindAliases = map[string]legal.Kind{
	"order": legal.KindCourtOrder, "2703d": legal.KindCourtOrder, "2703(d)": legal.KindCourtOrder,
	"warrant": legal.KindSearchWarrant, "pen_register": legal.KindPenTrap, "pen/trap": legal.KindPenTrap,
	"trap_and_trace": legal.KindPenTrap, "intercept": legal.KindWiretap, "title_iii": legal.KindWiretap,
	"emergency_disclosure": legal.KindEmergency, "exigent": legal.KindEmergency, "2703(f)": legal.KindPreservation,
}

func parseKind(s string) (legal.Kind, bool) {
	n := strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	if k, err := legal.ParseKind(n); err == nil && k != legal.KindUnclassified {
		return k, true
	}
	k, ok := kindAliases[n]
	return k, ok
}

// parseKinds reads "subpoena,preservation" (or with spaces, or the kinds'
// labels such as "court order"); "none" is no kind.
func parseKinds(s string) ([]legal.Kind, error) {
	if isNone(s) {
		return nil, nil
	}
	var out []legal.Kind
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if k, ok := parseKind(item); ok {
			out = append(out, k)
			continue
		}
		for _, w := range strings.Fields(item) {
			k, ok := parseKind(w)
			if !ok {
				return nil, userErrorf("%s is not a kind of request: say %s.", escape(w), kindNames())
			}
			out = append(out, k)
		}
	}
	return out, nil
}

func kindNames() string {
	var ns []string
	for _, k := range legal.Kinds {
		if k != legal.KindUnclassified {
			ns = append(ns, string(k))
		}
	}
	return strings.Join(ns, ", ")
}

// rePhoneish matches what a telephone number is written with.
var rePhoneish = regexp.MustCompile(`^\+?[\d\s().-]+$`)

// parseIdentifiers reads identifiers separated by commas, semicolons or
// new lines (or spaces between ones that are not telephone numbers):
// telephone numbers become E.164, e-mail addresses lower case, account
// ids stay as written. "none" is no identifier.
func parseIdentifiers(s string) ([]string, error) {
	if isNone(s) {
		return nil, nil
	}
	var out []string
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		item = strings.TrimSpace(item)
		words := []string{item}
		if !rePhoneish.MatchString(item) {
			words = strings.Fields(item)
		}
		for _, w := range words {
			id, err := parseIdentifier(w)
			if err != nil {
				return nil, err
			}
			if id != "" && !slices.Contains(out, id) {
				out = append(out, id)
			}
			if len(out) > maxIdentifiers {
				return nil, userErrorf("That is more than %d identifiers; correct them in smaller steps.", maxIdentifiers)
			}
		}
	}
	return out, nil
}

// parseIdentifier reads one identifier. Something written like a
// telephone number (digits and + ( ) - . only, starting with + or
// holding 10 or more digits) must be one.
func parseIdentifier(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", nil
	case strings.Contains(s, "@"):
		return parseEmail(s)
	case rePhoneish.MatchString(s) && (strings.HasPrefix(s, "+") || countDigits(s) >= 10 || strings.ContainsAny(s, "()")):
		return parsePhone(s)
	}
	if len(s) > 64 {
		return "", userErrorf("%s… is too long for an account identifier.", escape(s[:20]))
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || !unicode.IsPrint(r) {
			return "", userErrorf("%s is not an identifier: use a phone number, an e-mail address or an account id.", escape(s))
		}
	}
	return s, nil
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

func parsePhone(s string) (string, error) {
	p, err := legal.ParsePhone(s)
	if err != nil {
		return "", userErrorf("%s is not a phone number: give 10 digits for North America, or + and the country code.", escape(s))
	}
	return p, nil
}

func parseEmail(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "", userErrorf("%s is not an e-mail address.", escape(s))
	}
	return strings.ToLower(a.Address), nil
}

// parseDateValue reads YYYY-MM-DD and says so when it is not a date.
func parseDateValue(s string) (legal.Date, error) {
	d, err := legal.ParseDate(strings.TrimSpace(s))
	if nd := (*legal.NoSuchDateError)(nil); errors.As(err, &nd) {
		return legal.Date{}, userErrorf("%s.", escape(nd.Error()))
	}
	if err != nil {
		return legal.Date{}, userErrorf("%s is not a date: write it as YYYY-MM-DD.", escape(strings.TrimSpace(s)))
	}
	return d, nil
}

func parseOptionalDate(s string) (*legal.Date, error) {
	if isNone(s) {
		return nil, nil
	}
	d, err := parseDateValue(s)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

var rePeriodSep = regexp.MustCompile(`\s*(?:\.\.|–|—|\bto\b|\bthrough\b)\s*`)

// parsePeriod reads START..END (or "START to END"); "none" is no period.
func parsePeriod(s string) (*legal.Period, error) {
	if isNone(s) {
		return nil, nil
	}
	parts := rePeriodSep.Split(strings.TrimSpace(s), -1)
	if len(parts) != 2 {
		return nil, userErrorf("Give the period as START..END, e.g. `2026-01-01..2026-03-31`.")
	}
	return checkPeriod(parts[0], parts[1])
}

// checkPeriod reads a period's two dates; both are needed.
func checkPeriod(start, end string) (*legal.Period, error) {
	a, err := parseDateValue(start)
	if err != nil {
		return nil, err
	}
	b, err := parseDateValue(end)
	if err != nil {
		return nil, err
	}
	if b.Before(a) {
		return nil, userErrorf("The end is before the start (%s – %s).", a.Label(), b.Label())
	}
	return &legal.Period{Start: a, End: b}, nil
}

// describeSet is the reply's account of a value: "the period Jan 1 – Mar
// 31, 2026".
func describeSet(fd legal.Field, f legal.Facts) string {
	return fmt.Sprintf("%s %s", fd.Phrase(), escapeValue(f.Value(fd)))
}
