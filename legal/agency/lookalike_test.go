package agency

import (
	"strings"
	"testing"
)

// registry is a set of known agency domains, as the registry would hold.
var registry = []string{"fbi.gov", "usmarshals.gov", "nj.gov", "dea.gov", "ohio.gov",
	"houstontx.gov", "lapdonline.org", "secretservice.gov", "justice.gov"}

func TestLookAlike(t *testing.T) {
	tests := []struct {
		domain string
		known  string // "" when it must not be flagged
		reason string // a word the reason must contain
	}{
		// Another label appended: a known domain is not the end of the name.
		{"fbi.gov.co", "fbi.gov", "contains"},
		{"fbi.gov.us.com", "fbi.gov", "contains"},
		{"secure.fbi.gov.example.net", "fbi.gov", "contains"},
		// Dots and hyphens moved.
		{"fbi-gov.com", "fbi.gov", "hyphens"},
		{"fbigov.net", "fbi.gov", "hyphens"},
		{"fbi.gov-secure.com", "fbi.gov", "hyphens"},
		{"us-marshals-gov.org", "usmarshals.gov", "hyphens"},
		// Same name, another suffix.
		{"fbi.us", "fbi.gov", "same name"},
		{"fbi.com", "fbi.gov", "same name"},
		{"lapdonline.com", "lapdonline.org", "same name"},
		// Homoglyphs and confusables (IDN decoded, TR39 skeleton).
		{"fbі.com", "fbi.gov", "look the same"},                // Cyrillic і
		{"xn--fb-ioc.com", "fbi.gov", "look the same"},         // the same, as punycode
		{"ＦＢＩ.us", "fbi.gov", "same name"},                     // full-width folds to ASCII
		{"fbl.com", "fbi.gov", "look the same"},                // l for i
		{"fb1.us", "fbi.gov", "look the same"},                 // 1 for i
		{"rnarshals.com", "", ""},                              // too far from usmarshals
		{"usrnarshals.com", "usmarshals.gov", "look the same"}, // rn for m
		{"justíce.org", "justice.gov", "look the same"},        // accent
		{"0hio.org", "ohio.gov", "look the same"},              // zero for o
		// Edit distance.
		{"usmarshal.com", "usmarshals.gov", "one letter"},
		{"usmarhsals.net", "usmarshals.gov", "one letter"}, // transposition
		{"secretservlce.net", "secretservice.gov", "look the same"},
		{"secretsrevice.us", "secretservice.gov", "one letter"},
		{"secertsrevice.org", "secretservice.gov", "two letters"},
		{"justlce-dept.com", "", ""},
		{"houstontx.org", "houstontx.gov", "same name"},
		{"houstonpd.org", "", ""},
		{"lapdonlne.org", "lapdonline.org", "one letter"},

		// Near-misses that must not be flagged.
		{"fbi.gov", "", ""},                         // itself
		{"ic.fbi.gov", "", ""},                      // its subdomain
		{"ny.gov", "", ""},                          // New York vs New Jersey: distinct real agencies
		{"doe.gov", "", ""},                         // Energy vs DEA
		{"ohio.edu", "", ""},                        // Ohio University police: .edu is a checked registry
		{"troopers.ny.gov", "", ""},                 // a real state agency
		{"fda.gov", "", ""},                         // federal, close to dea.gov
		{"houstontx.gov", "", ""},                   // itself
		{"nsw.gov.au", "", ""},                      // foreign government suffix
		{"met.police.uk", "", ""},                   // foreign police suffix
		{"dfa.com", "", ""},                         // 3 letters: one letter from dea is meaningless
		{"gmail.com", "", ""},                       //
		{"lapd.org", "", ""},                        // a different name, not a near spelling
		{"state.tx.us", "", ""},                     // a state namespace
		{"police.ci.houston.tx.us", "", ""},         // a locality namespace
		{"njcourts.gov", "", ""},                    // a different real agency
		{"", "", ""},                                // nothing
		{strings.Repeat("a", 300) + ".com", "", ""}, // not a domain
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			m, ok := LookAlike(tt.domain, registry)
			if tt.known == "" {
				if ok {
					t.Fatalf("LookAlike(%q): got %s (%s), want no match", tt.domain, m.Known, m.Reason)
				}
				return
			}
			if !ok || m.Known != tt.known || !strings.Contains(m.Reason, tt.reason) {
				t.Fatalf("LookAlike(%q): got %q %q %v, want %s with a reason containing %q", tt.domain, m.Known, m.Reason, ok, tt.known, tt.reason)
			}
		})
	}
}

func TestLookAlikeUnknownRegistry(t *testing.T) {
	if m, ok := LookAlike("fbi-gov.com", nil); ok {
		t.Errorf("empty registry: got %+v, want no match", m)
	}
}
