package agency

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		domain  string
		level   Level
		country string
	}{
		{"fbi.gov", LevelFederal, "US"},
		{"ic.fbi.gov", LevelFederal, "US"},
		{"FBI.GOV.", LevelFederal, "US"},
		{"va.gov", LevelFederal, "US"}, // Veterans Affairs, not Virginia
		{"state.gov", LevelFederal, "US"},
		{"ohio.gov", LevelState, "US"},
		{"nj.gov", LevelState, "US"},
		{"in.gov", LevelState, "US"}, // Indiana
		{"doj.ca.gov", LevelState, "US"},
		{"nyc.gov", LevelLocal, "US"},
		{"seattle.gov", LevelLocal, "US"},
		{"army.mil", LevelFederal, "US"},
		{"fs.fed.us", LevelFederal, "US"},
		{"fdle.state.fl.us", LevelState, "US"},
		{"police.ci.austin.tx.us", LevelLocal, "US"},
		{"sheriff.co.kern.ca.us", LevelLocal, "US"},
		{"lausd.k12.ca.us", LevelLocal, "US"},
		{"library.austin.tx.us", LevelUnknown, "US"},
		{"not-registered-anywhere.gov", LevelUnknown, "US"},
		{"police.ohio.edu", LevelUnknown, "US"},
		{"met.police.uk", LevelForeign, "GB"},
		{"rcmp-grc.gc.ca", LevelForeign, "CA"},
		{"polizei.bayern.de", LevelForeign, "DE"},
		{"interieur.gouv.fr", LevelForeign, "FR"},
		{"lapdonline.org", LevelUnknown, ""},
		{"agency.co", LevelUnknown, ""}, // .co is sold as a generic name
		{"agency.io", LevelUnknown, ""},
		{"example.eu", LevelUnknown, ""},
		{"", LevelUnknown, ""},
		{"not a domain", LevelUnknown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			level, country := Classify(tt.domain)
			if level != tt.level || country != tt.country {
				t.Errorf("Classify(%q): got %s %q, want %s %q", tt.domain, level, country, tt.level, tt.country)
			}
		})
	}
}

func TestParseLevelAndCountry(t *testing.T) {
	if l, ok := ParseLevel(" State "); !ok || l != LevelState {
		t.Errorf("ParseLevel(State): got %q %v", l, ok)
	}
	if _, ok := ParseLevel("county"); ok {
		t.Error("ParseLevel(county): got ok, want not a level")
	}
	if c, ok := ParseCountry("de"); !ok || c != "DE" {
		t.Errorf("ParseCountry(de): got %q %v", c, ok)
	}
	if _, ok := ParseCountry("zz"); ok {
		t.Error("ParseCountry(zz): got ok, want not a country")
	}
	if got := CountryName("DE"); got != "Germany" {
		t.Errorf("CountryName(DE): got %q, want Germany", got)
	}
	if got := CountryName(""); got != "unknown" {
		t.Errorf("CountryName(\"\"): got %q, want unknown", got)
	}
}

func TestDamerauLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"fbi", "fbi", 0},
		{"fbi", "fib", 1}, // transposition
		{"marshals", "marshal", 1},
		{"marshals", "rnarshals", 2},
		{"ca", "abc", 2}, // unrestricted: OSA would say 3
		{"usmarshals", "usmarhsals", 1},
		{"ab", "abcdef", 3},         // lengths alone exceed the limit of 2
		{"abcdefgh", "stuvwxyz", 3}, // no letter in common: ruled out by the histogram
		{"fbl-gov", "fbl-gpv", 1},   // one substitution passes the histogram bound
		{"полиция", "полицая", 1},   // not ASCII: the table decides
	}
	for _, tt := range tests {
		if got := damerauLevenshtein(tt.a, tt.b, 2); got != tt.want {
			t.Errorf("damerauLevenshtein(%q, %q): got %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
