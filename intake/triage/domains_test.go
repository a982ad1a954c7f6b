package triage

import "testing"

func TestDomainClasses(t *testing.T) {
	tests := []struct {
		domain    string
		extra     []string
		official  bool
		freeMail  bool
		lookalike bool
	}{
		// Federal and military.
		{domain: "fbi.gov", official: true},
		{domain: "usms.doj.gov", official: true},
		{domain: "FBI.GOV.", official: true},
		{domain: "army.mil", official: true},
		{domain: "bellwateroh.gov", official: true},
		// State and locality .us government.
		{domain: "isp.state.il.us", official: true},
		{domain: "cbi.state.co.us", official: true},
		{domain: "ci.eastbrook.ca.us", official: true},
		{domain: "police.ci.eastbrook.ca.us", official: true},
		{domain: "co.pinecrest.wa.us", official: true},
		{domain: "town.hartford.vt.us", official: true},
		{domain: "state.zz.us"},                  // not a state code
		{domain: "k12.eastbrook.ca.us"},          // schools are not the agencies we serve
		{domain: "eastbrook.ca.us"},              // locality without a government kind
		{domain: "gov", official: false},         // a bare TLD is no domain
		{domain: "OFFICIAL_DOMAINS", extra: nil}, // junk input
		// Foreign governments, by their public suffix.
		{domain: "rcmp-grc.gc.ca", official: true},
		{domain: "met.police.uk", official: true},
		{domain: "afp.gov.au", official: true},
		{domain: "police.govt.nz", official: true},
		{domain: "interieur.gouv.fr", official: true},
		{domain: "fgr.gob.mx", official: true},
		{domain: "npa.go.jp", official: true},
		{domain: "gc.ca"},                       // a suffix alone is nobody's domain
		{domain: "gc.ca.example.com"},           // the suffix is com
		{domain: "polizei.example.de"},          // no government namespace
		{domain: "gov.co.com", lookalike: true}, // a private second-level registry
		// OFFICIAL_DOMAINS: exact or parent, never a mere suffix of a label.
		{domain: "harborviewpd.org", extra: []string{"harborviewpd.org"}, official: true},
		{domain: "mail.harborviewpd.org", extra: []string{" HarborviewPD.org "}, official: true},
		{domain: "fakeharborviewpd.org", extra: []string{"harborviewpd.org"}},
		// Local departments on other TLDs: not official, not look-alikes.
		{domain: "harborviewpd.org"},
		{domain: "springfieldpolice.com"},
		{domain: "sheriff.example.net"},
		// Free mail.
		{domain: "gmail.com", freeMail: true},
		{domain: "yahoo.co.uk", freeMail: true},
		{domain: "hotmail.fr", freeMail: true},
		{domain: "outlook.com", freeMail: true},
		{domain: "proton.me", freeMail: true},
		{domain: "icloud.com", freeMail: true},
		{domain: "gmx.de", freeMail: true},
		{domain: "aol.com", freeMail: true},
		// Look-alikes of official domains.
		{domain: "fbi-gov.us.com", lookalike: true},
		{domain: "fbi.gov.co", lookalike: true},
		{domain: "usdoj-gov.com", lookalike: true},
		{domain: "fbigov.net", lookalike: true},
		{domain: "secure-dea.org", lookalike: true},
		{domain: "state.ca.us.example.com", lookalike: true},
		{domain: "governance.example.com"}, // "gov" inside a word is not a look-alike
		{domain: "ideas.com"},
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			if got := OfficialDomain(tt.domain, tt.extra); got != tt.official {
				t.Errorf("OfficialDomain: got %v, want %v", got, tt.official)
			}
			if got := FreeMailDomain(tt.domain); got != tt.freeMail {
				t.Errorf("FreeMailDomain: got %v, want %v", got, tt.freeMail)
			}
			if got := LookalikeDomain(tt.domain); got != tt.lookalike {
				t.Errorf("LookalikeDomain: got %v, want %v", got, tt.lookalike)
			}
		})
	}
}
