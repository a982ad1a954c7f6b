package corpus

import (
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode"

	"github.com/lebot-dev/lebot/legal"
)

// ErrNotSafe: a case cannot be pseudonymized without leaving something
// identifying in it; nothing of it is written.
var ErrNotSafe = errors.New("cannot be pseudonymized safely")

// Pseudonymize returns raw and f with every identifying value replaced
// (see Pseudonymizer), after checking the result: every text of the new
// message (headers decoded, bodies decoded, HTML entities resolved) is
// read again and must hold none of the original values, in any spelling
// lebot recognises. Otherwise it returns an error wrapping ErrNotSafe
// that says what is in the way, and no part of the result.
func (p *Pseudonymizer) Pseudonymize(raw []byte, f legal.Facts) ([]byte, legal.Facts, error) {
	texts, err := readTexts(raw)
	if err != nil {
		return nil, legal.Facts{}, fmt.Errorf("%w: %w", ErrNotSafe, err)
	}
	p.avoid = originalsOf(f, texts)
	p.seed(f)
	out, err := walkMessage(raw, func(s string, _ bool) string { return p.Replace(s) })
	if err != nil {
		return nil, legal.Facts{}, fmt.Errorf("%w: %w", ErrNotSafe, err)
	}
	fake := p.FakeFacts(f)
	after, err := readTexts(out)
	if err != nil {
		return nil, legal.Facts{}, fmt.Errorf("%w: the rewritten message: %w", ErrNotSafe, err)
	}
	if left := p.avoid.leaks(after); len(left) > 0 {
		return nil, legal.Facts{}, fmt.Errorf("%w: %s would still be in the message", ErrNotSafe, strings.Join(left, ", "))
	}
	return out, fake, nil
}

// Check reports an error wrapping ErrNotSafe when text (a label file)
// holds any of the current case's original values.
func (p *Pseudonymizer) Check(text string) error {
	if left := p.avoid.leaks(text); len(left) > 0 {
		return fmt.Errorf("%w: %s would still be in the label", ErrNotSafe, strings.Join(left, ", "))
	}
	return nil
}

// readTexts is every text of a message, one after another: header values
// (encoded words decoded), bodies decoded, and HTML bodies also with
// their entities resolved.
func readTexts(raw []byte) (string, error) {
	var b strings.Builder
	_, err := walkMessage(raw, func(s string, isHTML bool) string {
		b.WriteString(s)
		b.WriteString("\n")
		if isHTML {
			b.WriteString(html.UnescapeString(s))
			b.WriteString("\n")
		}
		return s
	})
	return b.String(), err
}

// rePhoneRun is a stretch written with a telephone number's characters.
var rePhoneRun = regexp.MustCompile(`[0-9][0-9 ().+\-]{8,}[0-9]`)

// leaks names the kinds of original values still in text (never the
// values: this goes to the terminal).
func (o *originals) leaks(text string) []string {
	var found []string
	add := func(what string) {
		for _, f := range found {
			if f == what {
				return
			}
		}
		found = append(found, what)
	}
	phones := map[string]bool{}
	for _, e := range o.phones {
		phones[e] = true
	}
	for _, m := range phonesIn(text) {
		if phones[m.e164] {
			add("a telephone number")
		}
	}
	for _, run := range rePhoneRun.FindAllString(text, -1) {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, run)
		for _, e := range o.phones {
			if len(e) == 12 && strings.HasPrefix(e, "+1") && strings.Contains(digits, e[2:]) {
				add("a telephone number")
			}
		}
	}
	for local := range o.local {
		for _, sep := range []string{"", "-", ".", " "} {
			if len(findWord(text, local[:3]+sep+local[3:], "", true)) > 0 {
				add("a telephone number without its area code")
			}
		}
	}
	lower := strings.ToLower(text)
	for _, e := range o.emails {
		if strings.Contains(lower, e) {
			add("an e-mail address")
		}
	}
	for _, l := range o.locals {
		if strings.Contains(lower, l) {
			add("the name of a mailbox")
		}
	}
	alnum := strings.Map(alnumLower, text)
	for id := range o.accounts {
		if len(findWord(text, id, "", false)) > 0 {
			add("an account identifier")
		}
		if a := strings.Map(alnumLower, id); len(a) >= 5 && strings.Contains(alnum, a) {
			add("an account identifier")
		}
	}
	for w := range o.words {
		if commonWords[w] {
			continue
		}
		for _, form := range wordForms(w, nil) {
			if len(findWord(text, form, "", true)) > 0 {
				add("a part of the agent's name")
			}
		}
	}
	for _, n := range o.names {
		if strings.Contains(lower, strings.ToLower(n)) {
			add("the agent's name")
		}
	}
	return found
}

func alnumLower(r rune) rune {
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return unicode.ToLower(r)
	}
	return -1
}
