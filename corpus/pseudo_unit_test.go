package corpus

import (
	"errors"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/legal"
)

// msg builds a CRLF message from lines.
func msg(lines ...string) []byte { return []byte(strings.Join(lines, "\r\n")) }

var danaFacts = legal.Facts{Kinds: []legal.Kind{legal.KindSubpoena}, SenderDomain: "fbi.gov",
	Agent:       legal.Agent{Name: "Dana Reyes", Email: "dana.reyes@fbi.gov", Phone: "+12025550111"},
	Identifiers: []string{"+13125550160", "+13125550161", "+13125550162", "AC-99120", "target@customer.example"}}

// multipartMessage holds the same values in every encoding a message
// may use: an RFC 2047 header, a quoted-printable part whose soft line
// break splits a number, a base64 part, and a part with nothing to
// replace.
func multipartMessage() []byte {
	return msg(
		"From: =?utf-8?q?Dana_Reyes?= <dana.reyes@fbi.gov>",
		"To: legal@voxline.example",
		"Subject: =?utf-8?b?U3VicG9lbmEgZm9yICgzMTIpIDU1NS0wMTYw?=",
		"DKIM-Signature: v=1; a=rsa-sha256; d=fbi.gov; i=dana.reyes@fbi.gov; t=1792591368; b=abc",
		"MIME-Version: 1.0",
		`Content-Type: multipart/mixed; boundary="b1"`,
		"",
		"preamble",
		"--b1",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		"Records for (312) 555-0160, -0161 and -0162 and account AC-99120, e-mail Target@Customer.example. Call SA R=",
		"eyes at 202-555-=",
		"0111.",
		"--b1",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: base64",
		"",
		"U3BlY2lhbCBBZ2VudCBEYW5hIFJFWUVTLCArMSAyMDIgNTU1IDAxMTEsIGRhbmEucmV5ZXNAZmJp",
		"LmdvdjsgdGFyZ2V0ICgzMTIpIDU1NS0wMTYwLg==",
		"--b1",
		"Content-Type: text/plain; charset=us-ascii",
		"",
		"Nothing  to   replace here =3D kept as is.",
		"--b1--",
		"epilogue",
		"")
}

func TestPseudonymizeEncodings(t *testing.T) {
	p := NewPseudonymizer()
	raw := multipartMessage()
	out, fake, err := p.Pseudonymize(raw, danaFacts)
	if err != nil {
		t.Fatalf("pseudonymize: %v", err)
	}
	texts, err := readTexts(out)
	if err != nil {
		t.Fatal(err)
	}
	phone := func(e164 string) string { return p.phones[e164] }
	want := []string{
		fake.Agent.Name + " <" + fake.Agent.Email + ">",                                      // the encoded From name
		"Subpoena for (" + phone("+13125550160")[2:5] + ") 555-" + phone("+13125550160")[8:], // the encoded subject
		", -" + phone("+13125550161")[8:] + " and -" + phone("+13125550162")[8:],             // a list by last four digits
		"account " + p.accounts["ac-99120"],
		"e-mail " + p.emails["target@customer.example"],
		"SA " + strings.Fields(fake.Agent.Name)[1] + " at " + phone("+12025550111")[2:5] + "-555-" + phone("+12025550111")[8:], // across a soft line break
		"Special Agent " + fake.Agent.Name + ", +1 " + phone("+12025550111")[2:5] + " 555 " + phone("+12025550111")[8:],        // the full name, in any case
	}
	for _, w := range want {
		if !strings.Contains(texts, w) {
			t.Errorf("missing %q in\n%s", w, texts)
		}
	}
	if fake.Agent.Name == "Dana Reyes" || fake.Agent.Email != strings.ToLower(strings.ReplaceAll(fake.Agent.Name, " ", "."))+"@fbi.gov" {
		t.Errorf("fake agent: %+v", fake.Agent)
	}
	for i, id := range fake.Identifiers[:3] {
		if !strings.HasPrefix(id, "+1") || id[5:10] != "55501" || id[2:5] != fake.Identifiers[0][2:5] {
			t.Errorf("fake number %d: %s, want 555-01XX in one fake area code", i, id)
		}
	}
	// The part with nothing to replace keeps its bytes, and so do the
	// preamble, the boundaries and the epilogue; the signature goes.
	for _, keep := range []string{"preamble\r\n--b1\r\n", "Nothing  to   replace here =3D kept as is.\r\n--b1--\r\nepilogue\r\n"} {
		if !strings.Contains(string(out), keep) {
			t.Errorf("lost %q", keep)
		}
	}
	if strings.Contains(string(out), "DKIM-Signature") {
		t.Error("the DKIM signature was kept")
	}
	// The same values in a second message get the same fakes.
	out2, fake2, err := p.Pseudonymize(raw, danaFacts)
	if err != nil || string(out2) != string(out) || fake2.Agent != fake.Agent {
		t.Errorf("a second pseudonymization differs: %v", err)
	}
}

// TestPseudonymizeRefuses: what cannot be replaced safely refuses the
// case, saying why, and gives back nothing.
func TestPseudonymizeRefuses(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"a PDF attachment", msg("From: dana.reyes@fbi.gov", `Content-Type: multipart/mixed; boundary="b"`, "",
			"--b", "Content-Type: text/plain", "", "see attached", "--b",
			`Content-Type: application/pdf; name="subpoena.pdf"`, "Content-Transfer-Encoding: base64", "", "JVBERi0xLjQK", "--b--", ""),
			"an attachment (application/pdf)"},
		{"an address written with HTML entities", msg("From: x@fbi.gov", "Content-Type: text/html", "",
			"<p>Contact dana&#46;reyes&#64;fbi&#46;gov</p>", ""), "an e-mail address"},
		{"a number without its area code", msg("From: x@fbi.gov", "", "Call me on 555-0111 any time.", ""),
			"a telephone number without its area code"},
		{"an unknown charset", msg("From: x@fbi.gov", "Content-Type: text/plain; charset=x-martian", "", "hi", ""),
			`charset "x-martian"`},
		{"an unknown transfer encoding", msg("From: x@fbi.gov", "Content-Transfer-Encoding: x-uuencode", "", "hi", ""),
			`"x-uuencode" transfer encoding`},
		{"a broken multipart", msg("From: x@fbi.gov", `Content-Type: multipart/mixed; boundary="b"`, "", "no parts", ""),
			"multipart without its boundary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := NewPseudonymizer().Pseudonymize(tt.raw, danaFacts)
			if !errors.Is(err, ErrNotSafe) || !strings.Contains(err.Error(), tt.want) || out != nil {
				t.Fatalf("got %v (output %d bytes), want refused with %q", err, len(out), tt.want)
			}
			for _, v := range []string{"555", "dana", "reyes", "99120"} {
				if strings.Contains(strings.ToLower(err.Error()), v) {
					t.Errorf("the refusal names a value: %v", err)
				}
			}
		})
	}
}

// TestPseudonymizeNested: an attached message is walked like the outer one.
func TestPseudonymizeNested(t *testing.T) {
	raw := msg("From: x@fbi.gov", `Content-Type: multipart/mixed; boundary="o"`, "",
		"--o", "Content-Type: message/rfc822", "",
		"From: Dana Reyes <dana.reyes@fbi.gov>", "Content-Type: text/plain", "", "Target +1 312 555 0160", "--o--", "")
	p := NewPseudonymizer()
	out, _, err := p.Pseudonymize(raw, danaFacts)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "0160") || strings.Contains(string(out), "Reyes") ||
		!strings.Contains(string(out), "Target +1 "+p.phones["+13125550160"][2:5]+" 555 ") {
		t.Fatalf("nested message not rewritten:\n%s", out)
	}
	deep := []byte("From: x@fbi.gov\r\n")
	for range maxDepth + 2 {
		deep = append([]byte("Content-Type: message/rfc822\r\n\r\n"), deep...)
	}
	if _, _, err := NewPseudonymizer().Pseudonymize(deep, danaFacts); !errors.Is(err, ErrNotSafe) {
		t.Fatalf("nesting beyond %d: got %v, want refused", maxDepth, err)
	}
}
