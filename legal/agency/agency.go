// Package agency holds the pure rules about agency domains that the
// registry, the card and the transparency report need: which level of
// government a sender domain belongs to and in which country, and whether
// a domain imitates a known agency's (LookAlike). No I/O, no clock.
package agency

import (
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Level is the level of government an agency belongs to. Its string
// values appear in the report (CSV, JSON) and in `/legal agency`.
type Level string

// The levels. LevelUnknown is said whenever the domain does not tell:
// lebot never guesses a level.
const (
	LevelFederal Level = "federal"
	LevelState   Level = "state"
	LevelLocal   Level = "local"
	LevelTribal  Level = "tribal"
	LevelForeign Level = "foreign"
	LevelUnknown Level = "unknown"
)

// Levels lists the levels in report order.
var Levels = []Level{LevelFederal, LevelState, LevelLocal, LevelTribal, LevelForeign, LevelUnknown}

// ParseLevel reads a level a person typed ("State", "federal").
func ParseLevel(s string) (Level, bool) {
	l := Level(strings.ToLower(strings.TrimSpace(s)))
	for _, v := range Levels {
		if v == l {
			return l, true
		}
	}
	return "", false
}

// Label is the level as a person reads it.
func (l Level) Label() string {
	if l == "" {
		l = LevelUnknown
	}
	return strings.ToUpper(string(l[:1])) + string(l[1:])
}

// maxDomain bounds the work on a domain: a DNS name has at most 253
// octets; anything longer is not one.
const maxDomain = 253

// Normalize returns domain in lower-case ASCII (IDN labels as punycode)
// with no trailing dot, and whether it is a usable domain name.
func Normalize(domain string) (string, bool) {
	d := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	if d == "" || len(d) > 4*maxDomain {
		return "", false
	}
	a, err := idna.Lookup.ToASCII(d)
	if err != nil || a == "" || len(a) > maxDomain || !strings.Contains(a, ".") {
		return "", false
	}
	return a, true
}

// Classify derives an agency's level and country (ISO 3166 alpha-2, ""
// when unknown) from its domain, where the domain says it:
//   - .gov: CISA's registry of .gov domains (dotgov.txt) gives federal,
//     state or territory, local (city, county, district), tribal; an
//     interstate body counts as state; a .gov name not in it is unknown;
//   - .mil and fed.us: federal; state.XX.us: state; ci., co., city.,
//     town., vil., twp. and k12. names under XX.us: local;
//   - a country-code domain outside the US: foreign, with that country
//     (not the ccTLDs sold as generic names, such as .co, .io or .tv).
//
// Everything else is unknown; the team can set it in the registry.
func Classify(domain string) (Level, string) {
	d, ok := Normalize(domain)
	if !ok {
		return LevelUnknown, ""
	}
	labels := strings.Split(d, ".")
	n := len(labels)
	switch labels[n-1] {
	case "gov":
		return dotgovLevel(labels), "US"
	case "mil":
		return LevelFederal, "US"
	case "us":
		return usLevel(labels), "US"
	case "edu":
		return LevelUnknown, "US"
	}
	if c := country(labels[n-1]); c != "" {
		return LevelForeign, c
	}
	return LevelUnknown, ""
}

// usLevel reads RFC 1480 names: fed.us, state.XX.us and localities.
func usLevel(labels []string) Level {
	n := len(labels)
	switch {
	case n >= 2 && labels[n-2] == "fed":
		return LevelFederal
	case n < 3 || !usStates[labels[n-2]]:
		return LevelUnknown
	case labels[n-3] == "state":
		return LevelState
	case labels[n-3] == "k12", n >= 4 && usLocalities[labels[n-4]]:
		return LevelLocal
	}
	return LevelUnknown
}

var usLocalities = map[string]bool{"ci": true, "co": true, "city": true, "town": true, "vil": true, "twp": true}

// usStates are the two-letter codes of US states, DC and territories.
var usStates = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(`al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo
		mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc pr gu vi as mp`) {
		m[s] = true
	}
	return m
}()

// genericCCTLDs are country codes sold worldwide as generic names: a
// domain under them says nothing about the country.
var genericCCTLDs = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`ac ad ag ai am as bz cc cd cf co cx fm ga gg gq gs io je la ly me ml ms
		mu nu nf pw sc sh so st tk tm to tv vc vg ws`) {
		genericCCTLDs[t] = true
	}
}

// country is the ISO code of a country-code TLD, "" for anything else.
func country(tld string) string {
	if len(tld) != 2 || genericCCTLDs[tld] || tld == "us" || tld == "eu" {
		return ""
	}
	if tld == "uk" {
		return "GB"
	}
	r, err := language.ParseRegion(tld)
	if err != nil || !r.IsCountry() {
		return ""
	}
	return r.String()
}

// CountryName is a country code as a person reads it ("Germany"); ""
// reads "unknown".
func CountryName(code string) string {
	if code == "" {
		return "unknown"
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.English.Regions().Name(r); name != "" {
		return name
	}
	return code
}

// ParseCountry reads a country code a person typed ("de", "GB").
func ParseCountry(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 2 {
		return "", false
	}
	r, err := language.ParseRegion(s)
	if err != nil || !r.IsCountry() {
		return "", false
	}
	return r.String(), true
}

// suffixOf is d's public suffix (ICANN or private section) and the
// labels before it.
func suffixOf(d string) (suffix string, name []string) {
	suffix, _ = publicsuffix.PublicSuffix(d)
	rest := strings.TrimSuffix(strings.TrimSuffix(d, suffix), ".")
	if rest == "" {
		return suffix, nil
	}
	return suffix, strings.Split(rest, ".")
}
