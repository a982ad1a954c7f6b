package intake

import (
	"bytes"
	"context"
	"mime"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/internal/safetext"
	"github.com/lebot-dev/lebot/legal"
)

// fillStrings sets every string reachable in v to s, growing empty
// slices and maps and allocating nil pointers by one element, so a test
// reaches every field legal.Request has or will have.
func fillStrings(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fillStrings(v.Elem(), s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillStrings(v.Field(i), s)
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		}
		for i := range v.Len() {
			fillStrings(v.Index(i), s)
		}
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		k := reflect.New(v.Type().Key()).Elem()
		fillStrings(k, "key")
		e := reflect.New(v.Type().Elem()).Elem()
		fillStrings(e, s)
		v.SetMapIndex(k, e)
	}
}

// hiddenIn lists the strings in v that still hold an invisible character.
func hiddenIn(v any) []string {
	var found []string
	var walk func(reflect.Value, string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			if strings.IndexFunc(v.String(), safetext.Invisible) >= 0 {
				found = append(found, path+"="+v.String())
			}
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), path+"."+v.Type().Field(i).Name)
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), path)
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(v.MapIndex(k), path)
			}
		}
	}
	walk(reflect.ValueOf(v), "")
	return found
}

// TestStripInvisibleEveryField: every string of a request, present and
// future fields alike, loses its hidden characters; the Message-ID stays
// exact, and one flag says how many went and where.
func TestStripInvisibleEveryField(t *testing.T) {
	var r legal.Request
	fillStrings(reflect.ValueOf(&r).Elem(), "a\u202Eb\u200Bc")
	r.Verification.Flags = nil // the flags are checked alone below
	stripInvisible(&r, nil)
	addresses := []*string{&r.MessageID, &r.From, &r.ReplyTo, &r.Facts.SenderDomain, &r.Facts.Agent.Email, &r.Verification.DKIMDomain}
	for _, a := range addresses {
		if *a != "a\u202Eb\u200Bc" {
			t.Errorf("address or id: got %+q, want it exact", *a)
		}
		*a = ""
	}
	if got := hiddenIn(r); len(got) > 0 {
		t.Errorf("hidden characters left in %q", got)
	}
	if r.Subject != "abc" || r.Facts.Agent.Name != "abc" || r.Facts.Identifiers[0] != "abc" {
		t.Errorf("got subject %+q, agent %+q, identifier %+q, want the visible text kept", r.Subject, r.Facts.Agent.Name, r.Facts.Identifiers[0])
	}
	want := []string{"The sender's address contains invisible characters: it is not the address it appears to be",
		"The Reply-To address contains invisible characters: it is not the address it appears to be",
		"The sender's domain contains invisible characters: it is not the address it appears to be",
		"The agent's address contains invisible characters: it is not the address it appears to be",
		"The DKIM signer's domain contains invisible characters: it is not the address it appears to be"}
	flags := r.Verification.Flags
	if len(flags) != 1+len(want) || !strings.HasPrefix(flags[0], "Removed ") ||
		!strings.Contains(flags[0], "the subject") || !strings.Contains(flags[0], "the agent's details") {
		t.Fatalf("flags: got %q, want one saying what was removed from the subject, the agent's details, ..., then the addresses'", flags)
	}
	slices.Sort(want)
	slices.Sort(flags[1:])
	if !slices.Equal(flags[1:], want) {
		t.Errorf("address flags:\n got %q\nwant %q", flags[1:], want)
	}

	clean := legal.Request{Subject: "Grand jury subpoena", Facts: legal.Facts{Identifiers: []string{"+14155550100"}}}
	stripInvisible(&clean, nil)
	if len(clean.Verification.Flags) != 0 {
		t.Errorf("clean request: got flags %q, want none", clean.Verification.Flags)
	}
}

// spoofMessage disguises its subject, sender name, an identifier and an
// attachment's name with direction overrides and zero-width characters.
func spoofMessage() []byte {
	subject := mime.BEncoding.Encode("utf-8", "EMERGENCY \u202Etseuqer\u202C disclosure\u200B request")
	from := mime.BEncoding.Encode("utf-8", "Dana\u200D Smith \u2066FBI\u2069")
	file := mime.BEncoding.Encode("utf-8", "warrant\u202Efdp.exe")
	return []byte(strings.ReplaceAll(`From: `+from+` <dana.smith@fbi.gov>
To: legal@example.com
Subject: `+subject+`
Date: Mon, 02 Mar 2026 10:00:00 -0800
Message-ID: <spoof-1@fbi.gov>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B"

--B
Content-Type: text/plain; charset=utf-8

Emergency disclosure request: a child has been abducted and is in danger
of death. Subscriber records for phone number (415) 555`+"\u200B"+`-0100.

Special Agent Dana`+"\u200D"+` Smith
Federal Bureau of Investigation
(202) 555-0199
--B
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="`+file+`"

binary
--B--
`, "\n", "\r\n"))
}

// TestServiceStripsHiddenCharacters: through triage into the store, no
// hidden character survives in the request, the raw message is kept as
// received, and the request carries the flag.
func TestServiceStripsHiddenCharacters(t *testing.T) {
	ts := mustRedisStore(t)
	svc := mustService(t, storeSink{ts})
	raw := spoofMessage()
	req, _, err := svc.Accept(context.Background(), raw, "smtp", []string{intakeAddr})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ts.fresh(t).GetRequest(context.Background(), req.ID)
	if err != nil {
		t.Fatal(err)
	}
	if h := hiddenIn(*got); len(h) > 0 {
		t.Errorf("hidden characters stored in %q", h)
	}
	if got.Subject != "EMERGENCY tseuqer disclosure request" {
		t.Errorf("subject: got %+q", got.Subject)
	}
	var flag string
	for _, f := range got.Verification.Flags {
		if strings.HasPrefix(f, "Removed ") {
			flag = f
		}
	}
	for _, w := range []string{"the subject", "attachment names"} {
		if !strings.Contains(flag, w) {
			t.Errorf("flag %q does not mention %s", flag, w)
		}
	}
	stored, err := ts.fresh(t).RawMessage(context.Background(), req.ID)
	if err != nil || !bytes.Equal(stored, raw) {
		t.Errorf("raw message: got %d bytes (%v), want the %d received unchanged", len(stored), err, len(raw))
	}
	t.Logf("flag: %s; identifiers %q; agent %+v", flag, got.Facts.Identifiers, got.Facts.Agent)
	// Extraction read the text as a person sees it.
	if !slices.ContainsFunc(got.Facts.Identifiers, func(id string) bool { return strings.Contains(id, "4155550100") }) {
		t.Errorf("identifiers: got %q, want (415) 555-0100, written with a zero-width space inside", got.Facts.Identifiers)
	}
}
