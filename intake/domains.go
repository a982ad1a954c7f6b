package intake

import "strings"

// OfficialDomain reports whether domain is an official government sender
// domain: .gov, .mil, state and locality .us government domains, or one
// of extra (exact or parent match).
func OfficialDomain(domain string, extra []string) bool {
	d := strings.TrimSuffix(strings.ToLower(domain), ".")
	for _, e := range extra {
		e = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(e)), ".")
		if e != "" && (d == e || strings.HasSuffix(d, "."+e)) {
			return true
		}
	}
	return strings.HasSuffix(d, ".gov") || strings.HasSuffix(d, ".mil")
}
