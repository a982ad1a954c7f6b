package intake

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/lebot-dev/lebot/internal/safetext"
	"github.com/lebot-dev/lebot/legal"
)

// Where hidden characters were, in the team's words: the places triage
// names (triage.Message.Hidden), then the draft's fields; any other
// field is "other text".
var (
	parsedWords = []struct{ key, words string }{
		{"subject", "the subject"}, {"sender name", "the sender's name"}, {"body", "the message text"},
		{"attachment names", "attachment names"}, {"attachment text", "the attachments' text"},
	}
	fieldWords = map[string]string{
		"Subject":             "the subject",
		"Facts.Agent":         "the agent's details",
		"Facts.Identifiers":   "the identifiers",
		"Facts.RecordsSought": "the records sought",
		"Facts.ManualReview":  "attachment names",
	}
	// addressFields are the message's own addresses and ids. They keep
	// their characters: cleaned, an address with a zero-width space in
	// its domain would read, and compare, as the official one.
	addressFields = map[string]string{
		"MessageID":               "",
		"From":                    "The sender's address",
		"ReplyTo":                 "The Reply-To address",
		"Facts.SenderDomain":      "The sender's domain",
		"Facts.Agent.Email":       "The agent's address",
		"Verification.DKIMDomain": "The DKIM signer's domain",
	}
)

// stripInvisible removes invisible and direction-changing characters
// (they can make "exe.pdf" read as "fdp.exe", or hide a word) from every
// string of the draft but its addresses, and flags what was found: what
// triage already removed (parsed, by where) and what it removes itself.
// An address holding such characters keeps them and is flagged as not
// the address it looks like. The raw message is kept as received. Every
// field is walked, so a field added to legal.Request later is covered.
func stripInvisible(d *legal.Request, parsed map[string]int) {
	removed := map[string]int{}
	var order []string
	add := func(words string, n int) {
		if removed[words] == 0 {
			order = append(order, words)
		}
		removed[words] += n
	}
	for _, p := range parsedWords {
		if n := parsed[p.key]; n > 0 {
			add(p.words, n)
		}
	}
	var addrFlags []string
	walkStrings(reflect.ValueOf(d).Elem(), "", func(path string, v reflect.Value) {
		s, n := safetext.Strip(v.String())
		if n == 0 {
			return
		}
		if words, ok := addressFields[path]; ok {
			if words != "" {
				addrFlags = append(addrFlags, words+" contains invisible characters: it is not the address it appears to be")
			}
			return
		}
		v.SetString(s)
		words := "other text"
		for p, w := range fieldWords {
			if path == p || strings.HasPrefix(path, p+".") {
				words = w
			}
		}
		add(words, n)
	})
	if len(order) > 0 {
		total := 0
		for _, n := range removed {
			total += n
		}
		noun := "characters"
		if total == 1 {
			noun = "character"
		}
		d.Verification.Flags = append(d.Verification.Flags, fmt.Sprintf(
			"Removed %d invisible or direction-changing %s from %s (a way to disguise text; compare with the original)",
			total, noun, joinWords(order)))
	}
	d.Verification.Flags = append(d.Verification.Flags, addrFlags...)
}

// walkStrings calls f with every settable string reachable from v
// (fields, slice elements, pointed-to values, map values) and its field
// path.
func walkStrings(v reflect.Value, path string, f func(path string, v reflect.Value)) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			f(path, v)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if fld := v.Type().Field(i); fld.IsExported() {
				walkStrings(v.Field(i), strings.TrimPrefix(path+"."+fld.Name, "."), f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), path, f)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			walkStrings(e, path, f)
			v.SetMapIndex(k, e)
		}
	}
}

// joinWords lists words as "a", "a and b" or "a, b and c".
func joinWords(w []string) string {
	if len(w) <= 1 {
		return strings.Join(w, "")
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}
