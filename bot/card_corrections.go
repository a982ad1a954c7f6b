package bot

import (
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// correctedMark is what the card adds beside a value the team corrected:
// " ✏️ _corrected by @alice_", "" when nobody did.
func correctedMark(req *legal.Request, fields ...legal.Field) string {
	var by []string
	seen := map[string]bool{}
	for _, fd := range fields {
		if c, ok := req.Corrections[fd]; ok && !seen[c.By] {
			seen[c.By] = true
			by = append(by, "<@"+esc(c.By)+">")
		}
	}
	if len(by) == 0 {
		return ""
	}
	return " ✏️ _corrected by " + strings.Join(by, ", ") + "_"
}

// correctedFlagsLine names the corrected yes/no facts and the NDO, which
// have no value of their own on the card when they are off: "✏️
// Corrected: no NDO (by @alice); content requested: no (by @bob)".
func correctedFlagsLine(req *legal.Request) string {
	var parts []string
	for _, fd := range []legal.Field{legal.FieldNDO, legal.FieldNoToSAction, legal.FieldContentRequested,
		legal.FieldChildEndangerment, legal.FieldEmergency} {
		c, ok := req.Corrections[fd]
		if !ok {
			continue
		}
		parts = append(parts, fd.Label()+": "+esc(req.Facts.Value(fd))+" (by <@"+esc(c.By)+">)")
	}
	if len(parts) == 0 {
		return ""
	}
	return "✏️ *Corrected:* " + strings.Join(parts, "; ")
}
