package bot

import "strings"

// Text that crosses the Slack boundary is encoded twice over, so lebot
// decodes once on the way in and escapes once on the way out:
//   - Slack sends slash-command text with &, < and > already encoded
//     (&amp; &lt; &gt;; mentions picked in the client arrive as <@U…|name>
//     markup); decodeEntities turns it back into what the person typed,
//     exactly once, at the edge (Server.command).
//   - mrkdwn lebot renders escapes outside text once (esc), and mentions
//     lebot makes itself (Mention) are markup, never escaped.

// decodeEntities undoes Slack's encoding of &, < and > in one pass:
// "R&amp;amp;D" (someone typed "R&amp;D") becomes "R&amp;D", not "R&D".
func decodeEntities(s string) string {
	return entityDecoder.Replace(s)
}

var entityDecoder = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// maxToken is the longest markup truncate keeps whole: an entity, a
// mention (<@U…>, <!subteam^…>) or a short link.
const maxToken = 100

// truncate shortens s to at most n characters (runes), marking the cut
// with "…". It never cuts a multi-byte character, an entity (&amp;) or a
// Slack token (<@U…>) in half: a cut inside one moves to before it.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := max(n-1, 0)
	for i := cut - 1; i >= 0 && i >= cut-maxToken; i-- {
		if r[i] == ';' || r[i] == '>' {
			break // the last markup before the cut is closed
		}
		if r[i] == '&' || r[i] == '<' {
			cut = i // the cut falls inside this one
			break
		}
	}
	return string(r[:cut]) + "…"
}
