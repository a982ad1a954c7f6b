package triage

import (
	"fmt"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// OfficialDomain reports whether domain is an official government sender
// domain: under .gov or .mil, a state government domain (*.state.XX.us),
// a US locality government domain (ci.<city>.<st>.us, co.<county>.<st>.us,
// town./vil./twp.), or extra (exact or parent match, from OFFICIAL_DOMAINS).
// Police departments on .org/.com/.net are not official by domain alone.
func OfficialDomain(domain string, extra []string) bool {
	d := cleanDomain(domain)
	if d == "" {
		return false
	}
	for _, e := range extra {
		if e = cleanDomain(e); e != "" && (d == e || strings.HasSuffix(d, "."+e)) {
			return true
		}
	}
	labels := strings.Split(d, ".")
	n := len(labels)
	switch labels[n-1] {
	case "gov", "mil":
		return n >= 2
	case "us":
		return usGovernment(labels)
	}
	return foreignGovernment(d)
}

// govSuffixLabels are the labels that mark a country's government
// namespace in the public suffix list: gc.ca, gov.uk, police.uk, gov.au,
// govt.nz, gouv.fr, gob.mx, go.jp, gv.at, mil.br, and so on.
var govSuffixLabels = map[string]bool{
	"gov": true, "govt": true, "gouv": true, "gob": true, "go": true, "gv": true, "gc": true,
	"mil": true, "police": true, "politie": true, "judiciary": true,
}

// foreignGovernment reports whether d sits under a foreign government's
// public suffix (ICANN section of the public suffix list, so a registry
// decides who may register there): a domain below gc.ca, gov.uk or
// police.uk, never one that merely contains such a label (gov.co.com).
// A US agency's name under a foreign government suffix (fbi.gov.co) is
// not that agency: it is left to LookalikeDomain.
func foreignGovernment(d string) bool {
	suffix, icann := publicsuffix.PublicSuffix(d)
	if !icann || suffix == d {
		return false
	}
	first, rest, ok := strings.Cut(suffix, ".")
	if !ok || strings.Contains(rest, ".") || !govSuffixLabels[first] {
		return false
	}
	for _, l := range strings.Split(strings.TrimSuffix(d, "."+suffix), ".") {
		if lookalikeTokens[l] {
			return false
		}
	}
	return true
}

// usLocalityKinds are the RFC 1480 .us locality names run by governments.
var usLocalityKinds = map[string]bool{"ci": true, "co": true, "town": true, "vil": true, "twp": true, "city": true}

// usGovernment reads labels of a *.us domain: [... state XX us] or
// [... ci|co|town|vil|twp <locality> XX us] with XX a state code.
func usGovernment(labels []string) bool {
	n := len(labels)
	if n < 3 || !usStates[labels[n-2]] {
		return false
	}
	if labels[n-3] == "state" {
		return true
	}
	return n >= 4 && usLocalityKinds[labels[n-4]]
}

// usStates are the two-letter codes of US states, DC and territories.
var usStates = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(`al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo
		mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc pr gu vi as mp`) {
		m[s] = true
	}
	return m
}()

func cleanDomain(d string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
}

// freeMailDomains are consumer mail services: anybody can open an account.
var freeMailDomains = map[string]bool{}

// freeMailBrands match any public suffix (yahoo.co.uk, hotmail.fr, gmx.de).
var freeMailBrands = map[string]bool{}

func init() {
	for _, d := range strings.Fields(`gmail.com googlemail.com ymail.com rocketmail.com outlook.com live.com msn.com
		aol.com aim.com protonmail.com protonmail.ch proton.me pm.me icloud.com me.com mac.com mail.com
		email.com usa.com zoho.com zohomail.com tutanota.com tutanota.de tuta.io tuta.com fastmail.com
		fastmail.fm hushmail.com mail.ru inbox.com gmx.com gmx.net gmx.us yandex.com yandex.ru
		comcast.net att.net sbcglobal.net verizon.net bellsouth.net charter.net cox.net earthlink.net
		juno.com netzero.net optonline.net frontier.com windstream.net mailfence.com duck.com
		web.de qq.com 163.com 126.com naver.com`) {
		freeMailDomains[d] = true
	}
	for _, b := range strings.Fields(`yahoo hotmail outlook live gmx yandex aol`) {
		freeMailBrands[b] = true
	}
}

// FreeMailDomain reports whether domain belongs to a free consumer mail service.
func FreeMailDomain(domain string) bool {
	d := cleanDomain(domain)
	org := orgDomain(d)
	if freeMailDomains[d] || freeMailDomains[org] {
		return true
	}
	brand, _, _ := strings.Cut(org, ".")
	return freeMailBrands[brand]
}

// lookalikeTokens are names that only a government domain should carry.
var lookalikeTokens = map[string]bool{
	"gov": true, "govt": true, "mil": true, "fbi": true, "usdoj": true, "doj": true, "dea": true,
	"atf": true, "usss": true, "secretservice": true, "dhs": true, "hsi": true, "usms": true,
	"usmarshals": true, "irs": true, "cbp": true, "uscourts": true, "uspis": true,
}

// LookalikeDomain reports whether a domain that is not official imitates
// one: a label or hyphen-separated token is "gov"/"mil" or an agency name
// (fbi-gov.us.com, fbi.gov.co, usdoj-gov.com, fbigov.net), or it embeds a
// state government domain (state.ca.us.example.com).
func LookalikeDomain(domain string) bool {
	d := cleanDomain(domain)
	if d == "" || OfficialDomain(d, nil) {
		return false
	}
	labels := strings.Split(d, ".")
	for i, l := range labels[:len(labels)-1] {
		if l == "state" && i+2 < len(labels) && usStates[labels[i+1]] && labels[i+2] == "us" {
			return true
		}
		for _, tok := range strings.FieldsFunc(l, func(r rune) bool { return r == '-' || r == '_' || ('0' <= r && r <= '9') }) {
			if lookalikeTokens[tok] || agencyPlusGov(tok) {
				return true
			}
		}
	}
	return false
}

// agencyPlusGov matches run-together forms such as "fbigov" or "govusdoj".
func agencyPlusGov(tok string) bool {
	for _, affix := range []string{"gov", "govt"} {
		if rest, ok := strings.CutSuffix(tok, affix); ok && lookalikeTokens[rest] {
			return true
		}
		if rest, ok := strings.CutPrefix(tok, affix); ok && lookalikeTokens[rest] {
			return true
		}
	}
	return false
}

// orgDomain is the organizational domain (public suffix plus one label).
func orgDomain(d string) string {
	org, err := publicsuffix.EffectiveTLDPlusOne(d)
	if err != nil {
		return d
	}
	return org
}

// domainPolicy judges the From domain: official or not, whether the
// sender needs a callback, and the flags for the team.
func domainPolicy(domain string, extra []string) (official, callback bool, flags []string) {
	d := cleanDomain(domain)
	switch {
	case d == "":
		return false, true, []string{"no sender address; verify by callback"}
	case OfficialDomain(d, extra):
		return true, false, nil
	case FreeMailDomain(d):
		flags = append(flags, fmt.Sprintf("free-mail domain %s: not an official government domain; verify by callback", d))
	case LookalikeDomain(d):
		flags = append(flags, fmt.Sprintf("look-alike of an official domain: %s; verify by callback", d))
	default:
		flags = append(flags, fmt.Sprintf("%s is not an official government domain; verify by callback", d))
	}
	return false, true, flags
}
