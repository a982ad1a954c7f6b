package agency

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"go.mau.fi/util/confusable"
	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// Match says which known agency domain a sender domain imitates and how.
type Match struct {
	Known  string // the known agency's domain, e.g. "fbi.gov"
	Reason string // how, in a person's words: "one letter different"
}

// LookAlike reports whether domain imitates one of known (the registry's
// official or callback-verified agency domains), comparing in this order:
//
//  1. it contains a known domain followed by more labels (fbi.gov.co,
//     fbi.gov.us.com, secure.fbi.gov.example.net);
//  2. it is not under a registry that checks who registers (.gov, .mil,
//     .edu, .int, state and locality .us names, foreign government
//     suffixes such as gov.uk): those are never look-alikes, which keeps
//     distinct real agencies apart (nj.gov and ny.gov, dea.gov and doe.gov);
//  3. it is a known domain with its dots and hyphens moved or dropped
//     (fbi-gov.com, fbigov.net, fbi.gov-secure.com);
//  4. its registrable name reads the same as a known one's under the
//     Unicode TR39 confusables skeleton, IDN punycode decoded (fbі.com
//     with a Cyrillic і, fb1.us, rnarshals for marshals), or is the same
//     name under another suffix (fbi.us, fbi.com);
//  5. its name is within a Damerau–Levenshtein distance of a known name:
//     1 for names of 5 to 11 characters, 2 for longer ones (shorter names
//     differ by one letter too often to mean anything; two letters in a
//     name of 9 tell houstonpd from houstontx, two real agencies).
//
// A subdomain of a known domain, or the same registered domain, is that
// agency, not a look-alike. Work is bounded by the domain's length
// (DNS names are at most 253 octets) times len(known).
func LookAlike(domain string, known []string) (Match, bool) {
	d, ok := Normalize(domain)
	if !ok {
		return Match{}, false
	}
	c := newCandidate(d)
	ks := make([]*candidate, 0, len(known))
	for _, k := range known {
		kc := knownCandidate(k)
		if kc == nil || kc.ascii == d || strings.HasSuffix(d, "."+kc.ascii) || strings.HasSuffix(kc.ascii, "."+d) {
			continue
		}
		if m, ok := c.embeds(kc.ascii); ok {
			return m, true
		}
		ks = append(ks, kc)
	}
	if restricted(d) {
		return Match{}, false
	}
	var best Match
	bestRank := 0
	for _, kc := range ks {
		if m, rank := c.resembles(kc); rank > bestRank {
			best, bestRank = m, rank
		}
	}
	return best, bestRank > 0
}

// candidate is a domain split for comparison, with its skeletons.
type candidate struct {
	ascii  string   // normalized ASCII form
	labels []string // ASCII labels
	suffix string   // public suffix (ASCII)
	reg    string   // registrable label, Unicode
	name   string   // labels before the suffix, Unicode, dot-joined
	skReg  string   // skeleton(reg)
	skName string   // collapse(skeleton(name))
	skFull string   // collapse(skeleton(name + "." + suffix))
}

func newCandidate(d string) *candidate {
	suffix, name := suffixOf(d)
	c := &candidate{ascii: d, labels: strings.Split(d, "."), suffix: suffix}
	if len(name) == 0 {
		return c
	}
	uni := make([]string, len(name))
	for i, l := range name {
		u, err := idna.Lookup.ToUnicode(l)
		if err != nil {
			u = l
		}
		uni[i] = u
	}
	c.reg = uni[len(uni)-1]
	c.name = strings.Join(uni, ".")
	c.skReg = skeleton(c.reg)
	c.skName = collapse(skeleton(c.name))
	c.skFull = collapse(skeleton(c.name + "." + c.suffix))
	return c
}

// knownCache keeps the candidates of known domains, which are compared
// with every new request's domain; it stops growing at knownCacheMax.
var (
	knownCache     sync.Map // string → *candidate
	knownCacheSize atomic.Int64
)

const knownCacheMax = 50_000

func knownCandidate(k string) *candidate {
	if v, ok := knownCache.Load(k); ok {
		return v.(*candidate)
	}
	kd, ok := Normalize(k)
	if !ok {
		return nil
	}
	c := newCandidate(kd)
	if knownCacheSize.Load() < knownCacheMax {
		if _, loaded := knownCache.LoadOrStore(k, c); !loaded {
			knownCacheSize.Add(1)
		}
	}
	return c
}

// embeds: k's labels appear in c, in order, followed by more labels.
func (c *candidate) embeds(k string) (Match, bool) {
	kl := strings.Split(k, ".")
	for i := 0; i+len(kl) < len(c.labels); i++ {
		if equalLabels(c.labels[i:i+len(kl)], kl) {
			return Match{Known: k, Reason: "it contains " + k + " followed by other labels"}, true
		}
	}
	return Match{}, false
}

func equalLabels(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// resembles ranks how c imitates k: 0 not at all, higher is stronger.
func (c *candidate) resembles(k *candidate) (Match, int) {
	if c.reg == "" || k.reg == "" {
		return Match{}, 0
	}
	if len(k.skFull) >= 5 && strings.Contains(c.skName, k.skFull) {
		return Match{Known: k.ascii, Reason: "it spells " + k.ascii + " with dots and hyphens moved"}, 4
	}
	switch {
	case c.reg == k.reg:
		return Match{Known: k.ascii, Reason: "the same name under ." + c.suffix + " instead of ." + k.suffix}, 3
	case c.skReg == k.skReg:
		return Match{Known: k.ascii, Reason: "its letters look the same as " + k.ascii + "'s but are different characters"}, 3
	}
	n := utf8.RuneCountInString(k.skReg)
	limit := 0
	switch {
	case n >= 12:
		limit = 2
	case n >= 5:
		limit = 1
	}
	if limit == 0 {
		return Match{}, 0
	}
	if dist := damerauLevenshtein(c.skReg, k.skReg, limit); dist <= limit {
		what := "one letter different from"
		if dist == 2 {
			what = "two letters different from"
		}
		return Match{Known: k.ascii, Reason: "its name is " + what + " " + k.ascii + "'s"}, 3 - dist
	}
	return Match{}, 0
}

// skeleton is the TR39 confusables skeleton of s, lower-cased, with
// combining marks dropped (fbí reads as fbi) and i folded to l, which
// TR39 keeps apart but many fonts do not (fbl.com for fbi.gov).
func skeleton(s string) string {
	sk := strings.ToLower(confusable.Skeleton(strings.ToLower(s)))
	var b strings.Builder
	for _, r := range norm.NFD.String(sk) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'i':
			b.WriteRune('l')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// collapse drops the separators people move around: dots, hyphens,
// underscores.
func collapse(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == '_' {
			return -1
		}
		return r
	}, s)
}

// restricted reports whether d is under a registry that only registers
// governments or accredited bodies: .gov, .mil, .edu, .int, fed.us,
// state.XX.us and US locality names, or a foreign government suffix.
func restricted(d string) bool {
	labels := strings.Split(d, ".")
	n := len(labels)
	switch labels[n-1] {
	case "gov", "mil", "edu", "int":
		return true
	case "us":
		return usLevel(labels) != LevelUnknown
	}
	suffix, name := suffixOf(d)
	first, rest, ok := strings.Cut(suffix, ".")
	return ok && len(name) > 0 && !strings.Contains(rest, ".") && govSuffixLabels[first]
}

// govSuffixLabels mark a country's government namespace in the public
// suffix list: gc.ca, gov.uk, police.uk, gov.au, govt.nz, gouv.fr, gob.mx.
var govSuffixLabels = map[string]bool{
	"gov": true, "govt": true, "gouv": true, "gob": true, "go": true, "gv": true, "gc": true,
	"mil": true, "police": true, "politie": true, "judiciary": true,
}
