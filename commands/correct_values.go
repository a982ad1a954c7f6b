package commands

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/lebot-dev/lebot/legal"
)

// The agent, the NDO and yes/no values of `/legal set`, and the text as
// Slack sends it.

// parseAgent reads `"Dana Reyes" dana.reyes@fbi.gov +12025550111` (any
// order, any of the three), `name|email|phone VALUE` for one of them, or
// "none".
func parseAgent(s string) (setter, error) {
	words, err := splitQuoted(s)
	if err != nil {
		return nil, err
	}
	if len(words) == 1 && isNone(words[0]) {
		return func(f *legal.Facts) { f.Agent = legal.Agent{} }, nil
	}
	switch part := strings.ToLower(words[0]); part {
	case "name", "email", "e-mail", "phone":
		if len(words) == 1 {
			return nil, userErrorf("Give the agent's %s (or `none`).", part)
		}
		rest := strings.Join(words[1:], " ")
		var err error
		switch {
		case isNone(rest):
			rest = ""
		case part == "email" || part == "e-mail":
			rest, err = parseEmail(rest)
		case part == "phone":
			rest, err = parsePhone(rest)
		}
		return func(f *legal.Facts) {
			switch part {
			case "name":
				f.Agent.Name = rest
			case "phone":
				f.Agent.Phone = rest
			default:
				f.Agent.Email = rest
			}
		}, err
	}
	var a legal.Agent
	var name []string
	for _, w := range joinPhoneWords(words) {
		switch {
		case strings.Contains(w, "@"):
			if a.Email != "" {
				return nil, userErrorf("Give the agent one e-mail address.")
			}
			if a.Email, err = parseEmail(w); err != nil {
				return nil, err
			}
		case strings.ContainsAny(w[:1], "+(0123456789"):
			if a.Phone != "" {
				return nil, userErrorf("Give the agent one phone number.")
			}
			if a.Phone, err = parsePhone(w); err != nil {
				return nil, err
			}
		default:
			name = append(name, w)
		}
	}
	a.Name = strings.Join(name, " ")
	if len(a.Name) > 200 {
		return nil, userErrorf("That name is too long.")
	}
	return func(f *legal.Facts) { f.Agent = a }, nil
}

// joinPhoneWords joins runs of words that together write a telephone
// number ("+1 202 555 0111").
func joinPhoneWords(words []string) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if rePhoneish.MatchString(w) {
			for i+1 < len(words) && rePhoneish.MatchString(words[i+1]) {
				i++
				w += " " + words[i]
			}
		}
		out = append(out, w)
	}
	return out
}

// parseNDOValue reads "until YYYY-MM-DD" (or just the date), "yes" or
// "indefinite" (until further order), "no" or "none".
func parseNDOValue(s string) (setter, error) {
	w := strings.Fields(strings.ToLower(s))
	switch {
	case len(w) == 1 && (w[0] == "none" || w[0] == "no" || w[0] == "clear"):
		return func(f *legal.Facts) { f.SetNDO(false, nil) }, nil
	case len(w) == 1 && (w[0] == "yes" || w[0] == "indefinite"),
		strings.Join(w, " ") == "until further order":
		return func(f *legal.Facts) { f.SetNDO(true, nil) }, nil
	case len(w) == 2 && w[0] == "until", len(w) == 1 && countDigits(w[0]) > 0:
		d, err := parseDateValue(w[len(w)-1])
		if err != nil {
			return nil, err
		}
		return func(f *legal.Facts) { f.SetNDO(true, &d) }, nil
	}
	return nil, userErrorf("Give the NDO as `until YYYY-MM-DD`, `indefinite` or `none`.")
}

func parseYesNo(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "true", "on":
		return true, nil
	case "no", "n", "false", "off", "none":
		return false, nil
	}
	return false, userErrorf("Say `yes` or `no`, not %s.", escape(s))
}

// splitQuoted splits s into words, keeping "quoted words" (straight or
// curly quotes, as Slack's clients may type them) together.
func splitQuoted(s string) ([]string, error) {
	var (
		out   []string
		cur   strings.Builder
		quote rune
		has   bool
	)
	flush := func() {
		if has {
			out = append(out, cur.String())
		}
		cur.Reset()
		has = false
	}
	for _, r := range s {
		isQuote := r == '"' || r == '“' || r == '”'
		switch {
		case quote != 0 && isQuote:
			quote = 0
		case quote == 0 && isQuote:
			quote, has = r, true
		case quote == 0 && unicode.IsSpace(r):
			flush()
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if quote != 0 {
		return nil, userErrorf("A quote is not closed.")
	}
	flush()
	return out, nil
}

// reSlackLink is Slack's markup for a link it made of typed text:
// <mailto:a@b.gov|a@b.gov>, <tel:+1…|…>, <http://…>.
var reSlackLink = regexp.MustCompile(`<(?:mailto:|tel:|https?://)([^|>]*)(?:\|([^>]*))?>`)

// slackText turns links Slack made of what the person typed back into
// the typed text (the transport has already decoded Slack's &amp; &lt;
// &gt;).
func slackText(s string) string {
	return reSlackLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := reSlackLink.FindStringSubmatch(m)
		if sub[2] != "" {
			return sub[2]
		}
		return sub[1]
	})
}
