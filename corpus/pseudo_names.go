package corpus

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The agent's name: its words, and the fake names that replace them.

var fakeFirst = []string{"Alex", "Blair", "Casey", "Devon", "Emery", "Finley", "Harper", "Jordan", "Kendall", "Logan",
	"Morgan", "Noel", "Parker", "Quinn", "Reese", "Sawyer", "Taylor", "Rowan", "Skyler", "Avery", "Cameron",
	"Dakota", "Elliot", "Hayden", "Jesse", "Marlow", "Peyton", "Sidney", "Tatum", "Winter", "Adrian", "Bailey",
	"Carmen", "Dana", "Eden", "Frances", "Gale", "Hollis", "Iris", "Jamie", "Kerry", "Leslie", "Milan", "Nico",
	"Oakley", "Paige", "Robin", "Shannon", "Terry", "Vivian", "Whitney", "Ash", "Brook", "Corey", "Drew",
	"Ellis", "Flynn", "Greer", "Hunter", "Indra"}

var fakeLast = []string{"Abbott", "Bramley", "Carrow", "Dunmore", "Ellery", "Fairbank", "Garland", "Holloway",
	"Ingram", "Jessop", "Kettering", "Lockwood", "Marchetti", "Northcott", "Oakes", "Pemberton", "Quarles",
	"Radcliffe", "Stanhope", "Thorne", "Underhill", "Whitlock", "Yardley", "Ashdown", "Blakemore", "Corwin",
	"Delacourt", "Everly", "Fenwick", "Galloway", "Hartwell", "Iverson", "Jarrow", "Kingsley", "Lindqvist",
	"Mayhew", "Norwood", "Ormsby", "Prescott", "Redfern", "Sutcliffe", "Trevino", "Upton", "Vickery",
	"Waverly", "Ashby", "Bellamy", "Crowther", "Dalby", "Eastwood", "Fairweather", "Gorman", "Hazelton",
	"Ivers", "Jennings", "Kessler", "Langford", "Merriman", "Nash", "Osgood"}

// fakeName is the nth fake from list: the list itself, then pairs of
// its names joined by a hyphen (letters only, as names are written).
func fakeName(list []string, n int) string {
	if n < len(list) {
		return list[n]
	}
	k := n - len(list)
	a, b := k%len(list), (k/len(list)+1+k%len(list))%len(list)
	return list[a] + "-" + list[b]
}

// nameSkip are words of a name that are titles, ranks or suffixes, not
// the person's name.
var nameSkip = map[string]bool{"det": true, "detective": true, "agent": true, "special": true, "sa": true, "sgt": true,
	"sergeant": true, "officer": true, "lt": true, "lieutenant": true, "capt": true, "captain": true, "inv": true,
	"investigator": true, "mr": true, "ms": true, "mrs": true, "dr": true, "jr": true, "sr": true, "ii": true,
	"iii": true, "iv": true, "tfo": true, "deputy": true, "trooper": true, "cpl": true, "corporal": true,
	"dps": true, "esq": true, "ausa": true, "ada": true}

// commonWords are name words that are also ordinary capitalised words
// (months, weekdays, and a few others): they are replaced only as part
// of the full name, and checked for only as the full name.
var commonWords = map[string]bool{"january": true, "february": true, "march": true, "april": true, "may": true,
	"june": true, "july": true, "august": true, "september": true, "october": true, "november": true,
	"december": true, "monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "will": true, "mark": true, "grant": true, "bill": true, "rose": true,
	"hope": true, "art": true, "chase": true, "case": true, "law": true, "court": true, "judge": true,
	"major": true, "general": true, "justice": true, "street": true, "page": true, "post": true, "march's": true,
	"young": true, "king": true, "price": true, "long": true, "state": true, "county": true, "city": true}

// nameWords are the words of a name that identify the person.
func nameWords(name string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '-' }) {
		w = strings.Trim(w, "'-")
		if utf8.RuneCountInString(w) < 2 || nameSkip[strings.ToLower(w)] {
			continue
		}
		out = append(out, w)
	}
	return out
}

// word is the fake for a word of a name: a first name for the first word
// of a name of several words, else a surname.
func (p *Pseudonymizer) word(w string, first bool) string {
	key := strings.ToLower(w)
	if !slices.Contains(p.forms[key], w) {
		p.forms[key] = append(p.forms[key], w)
	}
	if f, ok := p.words[key]; ok {
		return f
	}
	list, n := fakeLast, &p.n.last
	if first {
		list, n = fakeFirst, &p.n.first
	}
	var fake string
	for {
		fake = fakeName(list, *n)
		*n++
		if !p.avoid.words[strings.ToLower(fake)] && !p.fakeWord(fake) {
			break
		}
	}
	p.words[key] = fake
	return fake
}

// fakeWord reports whether w is already some word's fake.
func (p *Pseudonymizer) fakeWord(w string) bool {
	for _, f := range p.words {
		if strings.EqualFold(f, w) {
			return true
		}
	}
	return false
}
