package triage

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-msgauth/dkim"
)

// testDNS is a fake resolver holding the DKIM keys the tests sign with.
type testDNS map[string]string

func (d testDNS) lookup(name string) ([]string, error) {
	if v, ok := d[name]; ok {
		return []string{v}, nil
	}
	return nil, errors.New("no such host")
}

type testKey struct {
	signer crypto.Signer
	record string
}

func mustEd25519Key(tb testing.TB) testKey {
	tb.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	return testKey{priv, "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)}
}

func mustRSAKey(tb testing.TB) testKey {
	tb.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		tb.Fatal(err)
	}
	return testKey{priv, "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)}
}

// mustSign signs raw as domain/selector and publishes the key in dns.
func mustSign(tb testing.TB, raw []byte, domain, selector string, k testKey, dns testDNS) []byte {
	tb.Helper()
	var out bytes.Buffer
	err := dkim.Sign(&out, bytes.NewReader(raw), &dkim.SignOptions{
		Domain: domain, Selector: selector, Signer: k.signer,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed, BodyCanonicalization: dkim.CanonicalizationRelaxed,
	})
	if err != nil {
		tb.Fatal(err)
	}
	dns[selector+"._domainkey."+domain] = k.record
	return out.Bytes()
}

func testMail(from string, extraHeaders ...string) []byte {
	h := "From: Agent <" + from + ">\r\nTo: legal@example.com\r\nSubject: Order\r\n" +
		"Date: Tue, 24 Nov 2026 16:48:29 -0500\r\nMessage-ID: <t@example>\r\n"
	for _, x := range extraHeaders {
		h += x + "\r\n"
	}
	return []byte(h + "\r\nProduce records for (571) 555-0114.\r\n")
}

func TestVerifyDKIM(t *testing.T) {
	ed, rsaKey := mustEd25519Key(t), mustRSAKey(t)
	tests := []struct {
		name        string
		build       func(dns testDNS) []byte
		wantDKIM    string
		wantDomain  string
		wantAligned bool
		wantFlag    string // substring of one flag; "" for no flags
		callback    bool
		tempFail    string // a TXT name whose lookup fails temporarily
		wantTemp    bool
	}{
		{
			name:     "unsigned",
			build:    func(testDNS) []byte { return testMail("agent@fbi.gov") },
			wantDKIM: "none",
		},
		{
			name:     "rsa pass aligned",
			build:    func(d testDNS) []byte { return mustSign(t, testMail("agent@fbi.gov"), "fbi.gov", "s1", rsaKey, d) },
			wantDKIM: "pass", wantDomain: "fbi.gov", wantAligned: true,
		},
		{
			name:     "pass aligned through the organizational domain",
			build:    func(d testDNS) []byte { return mustSign(t, testMail("agent@usms.doj.gov"), "doj.gov", "s1", ed, d) },
			wantDKIM: "pass", wantDomain: "doj.gov", wantAligned: true,
		},
		{
			name: "pass but not aligned",
			build: func(d testDNS) []byte {
				return mustSign(t, testMail("agent@usdoj.gov"), "relay-notify.net", "rn1", ed, d)
			},
			wantDKIM: "pass", wantDomain: "relay-notify.net", wantFlag: "not aligned with the From domain usdoj.gov",
		},
		{
			name: "fail: body edited after signing",
			build: func(d testDNS) []byte {
				b := mustSign(t, testMail("agent@usms.doj.gov"), "usms.doj.gov", "s1", rsaKey, d)
				return bytes.Replace(b, []byte("555-0114"), []byte("555-0199"), 1)
			},
			wantDKIM: "fail", wantDomain: "usms.doj.gov", wantFlag: "body hash did not verify", callback: true,
		},
		{
			name: "fail: key not published",
			build: func(d testDNS) []byte {
				b := mustSign(t, testMail("agent@dea.gov"), "dea.gov", "gone", ed, d)
				delete(d, "gone._domainkey.dea.gov")
				return b
			},
			wantDKIM: "fail", wantDomain: "dea.gov", wantFlag: "does not verify", callback: true,
		},
		{
			name: "fail: key lookup failed temporarily (not forgery)",
			build: func(d testDNS) []byte {
				return mustSign(t, testMail("agent@dea.gov"), "dea.gov", "s1", ed, d)
			},
			tempFail: "s1._domainkey.dea.gov",
			wantDKIM: "fail", wantDomain: "dea.gov", wantFlag: "key lookup failed temporarily", callback: true, wantTemp: true,
		},
		{
			name: "aligned signature preferred over an unaligned one",
			build: func(d testDNS) []byte {
				b := mustSign(t, testMail("agent@atf.gov"), "atf.gov", "s1", ed, d)
				return mustSign(t, b, "esp.example.com", "e1", ed, d)
			},
			wantDKIM: "pass", wantDomain: "atf.gov", wantAligned: true,
		},
		{
			name: "one failing and one passing signature pass",
			build: func(d testDNS) []byte {
				b := mustSign(t, testMail("agent@atf.gov"), "atf.gov", "s1", ed, d)
				b = mustSign(t, b, "atf.gov", "s2", ed, d)
				d["s2._domainkey.atf.gov"] = mustEd25519Key(t).record // rotated: s2 no longer verifies
				return b
			},
			wantDKIM: "pass", wantDomain: "atf.gov", wantAligned: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dns := testDNS{}
			raw := tt.build(dns)
			m := mustParse(t, raw)
			lookup := func(name string) ([]string, error) {
				if name == tt.tempFail {
					return nil, &net.DNSError{Err: "server misbehaving", Name: name, IsTemporary: true}
				}
				return dns.lookup(name)
			}
			v := Verify(t.Context(), raw, m, VerifyConfig{LookupTXT: lookup})
			if v.DKIMTemporary != tt.wantTemp {
				t.Errorf("DKIMTemporary: got %v, want %v", v.DKIMTemporary, tt.wantTemp)
			}
			if v.DKIM != tt.wantDKIM || v.DKIMDomain != tt.wantDomain || v.Aligned != tt.wantAligned {
				t.Errorf("got dkim=%s d=%q aligned=%v, want dkim=%s d=%q aligned=%v",
					v.DKIM, v.DKIMDomain, v.Aligned, tt.wantDKIM, tt.wantDomain, tt.wantAligned)
			}
			if !v.Official {
				t.Errorf("Official: got false, want true (DKIM never changes the domain policy)")
			}
			if v.Callback != tt.callback {
				t.Errorf("Callback: got %v, want %v", v.Callback, tt.callback)
			}
			checkFlag(t, v.Flags, tt.wantFlag)
		})
	}
}

func checkFlag(tb testing.TB, flags []string, want string) {
	tb.Helper()
	if want == "" {
		if len(flags) != 0 {
			tb.Errorf("Flags: got %q, want none", flags)
		}
		return
	}
	if !slices.ContainsFunc(flags, func(f string) bool { return strings.Contains(f, want) }) {
		tb.Errorf("Flags: got %q, want one containing %q", flags, want)
	}
}

func TestVerifyDomainPolicy(t *testing.T) {
	tests := []struct {
		from     string
		extra    []string
		official bool
		flag     string
	}{
		{from: "agent@fbi.gov", official: true},
		{from: "agent@ci.eastbrook.ca.us", official: true},
		{from: "agent@isp.state.il.us", official: true},
		{from: "agent@navy.mil", official: true},
		{from: "det@harborviewpd.org", flag: "harborviewpd.org is not an official government domain; verify by callback"},
		{from: "det@harborviewpd.org", extra: []string{"harborviewpd.org"}, official: true},
		{from: "det.k@gmail.com", flag: "free-mail domain gmail.com"},
		{from: "sa@fbi-gov.us.com", flag: "look-alike of an official domain: fbi-gov.us.com"},
		{from: "", flag: "no sender address"},
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			m := &Message{From: Address{Email: tt.from}}
			v := Verify(t.Context(), testMail("x@y"), m, VerifyConfig{LookupTXT: testDNS{}.lookup, OfficialDomains: tt.extra})
			if v.Official != tt.official || v.Callback == tt.official {
				t.Errorf("got official=%v callback=%v, want official=%v callback=%v", v.Official, v.Callback, tt.official, !tt.official)
			}
			checkFlag(t, v.Flags, tt.flag)
		})
	}
}

func TestVerifyReplyTo(t *testing.T) {
	tests := []struct {
		name    string
		replyTo *Address
		flag    string
	}{
		{name: "absent"},
		{name: "same address, other case", replyTo: &Address{Email: "AGENT@fbi.gov"}},
		{name: "different", replyTo: &Address{Email: "fbi.desk@gmail.com"}, flag: "Reply-To fbi.desk@gmail.com differs from From agent@fbi.gov"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Message{From: Address{Email: "agent@fbi.gov"}, ReplyTo: tt.replyTo}
			v := Verify(t.Context(), testMail("agent@fbi.gov"), m, VerifyConfig{LookupTXT: testDNS{}.lookup})
			checkFlag(t, v.Flags, tt.flag)
			if !v.Official {
				t.Errorf("Official: got false, want true (Reply-To is a flag only)")
			}
		})
	}
}

func TestVerifyReplyToFixture(t *testing.T) {
	raw := mustReadFixture(t, "reply-to.eml")
	v := Verify(t.Context(), raw, mustParse(t, raw), VerifyConfig{LookupTXT: testDNS{}.lookup})
	checkFlag(t, v.Flags, "Reply-To fbi.emergency.desk@gmail.com differs from From bradley.whitmore@fbi.gov")
}

func TestAligned(t *testing.T) {
	tests := []struct {
		signing, from string
		want          bool
	}{
		{"fbi.gov", "fbi.gov", true},
		{"FBI.gov.", "fbi.gov", true},
		{"doj.gov", "usms.doj.gov", true},
		{"mail.usdoj.gov", "usdoj.gov", true},
		{"usdoj.gov", "doj.gov", false},
		{"relay-notify.net", "usdoj.gov", false},
		{"example.co.uk", "other.co.uk", false},
		{"", "fbi.gov", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s~%s", tt.signing, tt.from), func(t *testing.T) {
			if got := Aligned(tt.signing, tt.from); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
