package config

import "regexp"

// Slack ids as the variables want them: a channel id (C…, or G… for an
// older private channel), a user group id (S…), user ids (U… or W…).
var (
	reChannelID   = regexp.MustCompile(`^[CG][A-Z0-9]+$`)
	reUsergroupID = regexp.MustCompile(`^S[A-Z0-9]+$`)
	reUserID      = regexp.MustCompile(`^[UW][A-Z0-9]+$`)
)

// validateIDs refuses a channel or person given by name (legal, @bob)
// where Slack needs its id, naming the form wanted and where to find it.
func (c *Config) validateIDs(bad func(string, string, ...any)) {
	for _, ch := range []struct{ key, val string }{{"LEGAL_CHANNEL", c.LegalChannel}, {"DIGEST_CHANNEL", c.DigestChannel}} {
		if ch.val != "" && !reChannelID.MatchString(ch.val) {
			bad(ch.key, "%q is not a channel id: want the id that starts with C (or G), such as C0123ABCD "+
				"(in Slack: the channel's name > About, at the bottom), not the channel's name", ch.val)
		}
	}
	if g := c.LegalUsergroup; g != "" && !reUsergroupID.MatchString(g) {
		bad("LEGAL_USERGROUP", "%q is not a user group id: want the id that starts with S, such as S0123ABCD, not the group's handle", g)
	}
	for _, u := range c.LegalUsers {
		if !reUserID.MatchString(u) {
			bad("LEGAL_USERS", "%q is not a user id: want ids that start with U (or W), such as U0123ABCD "+
				"(in Slack: the person's profile > ⋮ > Copy member ID), not names", u)
		}
	}
}
