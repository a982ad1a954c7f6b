package bot

import "github.com/lebot-dev/lebot/legal"

// Mention renders a user or user group id for Slack mrkdwn.
func Mention(id string) string {
	if legal.IsGroupID(id) {
		return "<!subteam^" + id + ">"
	}
	return "<@" + id + ">"
}
