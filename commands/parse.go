package commands

import (
	"errors"
	"regexp"
	"strings"

	"github.com/lebot-dev/lebot/internal/safetext"
	"github.com/lebot-dev/lebot/legal"
)

// userRE matches the forms a user arrives in: <@U123|name> (escaped by
// the manifest), <@U123> and a bare U123 (or W123 on Enterprise Grid).
var userRE = regexp.MustCompile(`^(?:<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|@?([UW][A-Z0-9]{2,}))$`)

// parseUser returns the Slack user id in s.
func parseUser(s string) (string, error) {
	m := userRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", usageErrorf("I need a Slack user: mention them (`@name`) or give their id (`U012ABCDEF`); got `%s`.", s)
	}
	return m[1] + m[2], nil
}

// parseDate reads YYYY-MM-DD, a date in the legal team's zone.
func parseDate(s string) (legal.Date, error) {
	d, err := legal.ParseDate(s)
	if nd := (*legal.NoSuchDateError)(nil); errors.As(err, &nd) {
		return legal.Date{}, usageErrorf("%s.", escape(nd.Error()))
	}
	if err != nil {
		return legal.Date{}, usageErrorf("I need a date as YYYY-MM-DD; got `%s`.", escape(s))
	}
	return d, nil
}

// mention renders a user id for Slack.
func mention(user string) string {
	if user == "" {
		return "nobody"
	}
	return "<@" + user + ">"
}

// escape makes a person's free text safe inside mrkdwn: no links,
// broadcasts (<!channel>) or formatting injected. A user mention they
// picked (<@U…>, <@U…|name>) stays a mention; everything around it is
// escaped once (the transport decoded Slack's own encoding).
func escape(s string) string {
	s = safetext.Clean(s) // hidden or direction-changing characters
	var b strings.Builder
	for {
		loc := reMention.FindStringIndex(s)
		if loc == nil {
			b.WriteString(mrkdwnEscaper.Replace(s))
			return b.String()
		}
		b.WriteString(mrkdwnEscaper.Replace(s[:loc[0]]))
		b.WriteString(s[loc[0]:loc[1]])
		s = s[loc[1]:]
	}
}

var (
	mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	reMention     = regexp.MustCompile(`<@[UW][A-Z0-9]+(?:\|[^<>&|]*)?>`)
)
