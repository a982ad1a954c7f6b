package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

const oncallUsage = "[set @a @b … | set default | override @user until YYYY-MM-DD [HH:MM] | override off | email @user ADDRESS|off]"

func init() {
	register(&subcommand{name: "oncall", usage: oncallUsage,
		summary: "who is paged for emergencies; change the levels, override, e-mail", run: runOnCall})
}

func runOnCall(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	if len(in.args) == 0 {
		return c.showOnCall(ctx)
	}
	// Re-read and re-apply when someone else saved in between: the store
	// refuses a stale save rather than losing their change.
	for range 10 { // each round at least one editor wins
		oc, err := c.st.OnCall(ctx)
		if err != nil {
			return nil, fmt.Errorf("on-call: %w", err)
		}
		var msg string
		switch strings.ToLower(in.args[0]) {
		case "set":
			msg, err = setLevels(&oc, in.args[1:])
		case "override":
			msg, err = setOverride(&oc, in.args[1:], c.cal.Location(), c.now())
		case "email":
			msg, err = setEmail(&oc, in.args[1:])
		default:
			return nil, errUsage()
		}
		if err != nil {
			return nil, err
		}
		oc.UpdatedBy, oc.UpdatedAt = in.user, c.now()
		err = c.st.SetOnCall(ctx, oc)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("save on-call: %w", err)
		}
		oc.Version++
		c.log.InfoContext(ctx, "on-call settings changed", "subcommand", strings.ToLower(in.args[0]))
		return text(msg + "\n\n" + c.onCallText(oc)), nil
	}
	return nil, userErrorf("Someone else changed the on-call settings at the same moment; nothing was saved. Please try again.")
}

var reGroup = regexp.MustCompile(`^(?:<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>|@?(S[A-Z0-9]{2,}))$`)

// parseTarget reads a user (<@U…|name>, <@U…>, U…) or a user group
// (<!subteam^S…|@name>, S…).
func parseTarget(s string) (string, error) {
	if m := reGroup.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
		return m[1] + m[2], nil
	}
	if u, err := parseUser(s); err == nil {
		return u, nil
	}
	return "", usageErrorf("I need a Slack user or user group: mention them (`@name`, `@group`) or give the id (`U012ABCDEF`, `S012ABCDEF`); got `%s`.", s)
}

func setLevels(oc *store.OnCall, args []string) (string, error) {
	if len(args) == 1 && strings.EqualFold(args[0], "default") {
		oc.Levels = nil
		return "On-call levels reset to the defaults lebot was set up with.", nil
	}
	if len(args) == 0 {
		return "", usageErrorf("Name the levels in escalation order: `/legal oncall set @first @second @team`.")
	}
	var levels [][]string
	for _, a := range args {
		id, err := parseTarget(a)
		if err != nil {
			return "", err
		}
		levels = append(levels, []string{id})
	}
	oc.Levels = levels
	if len(levels) == 1 {
		return "On-call set: 1 level.", nil
	}
	return fmt.Sprintf("On-call set: %d levels, paged in that order.", len(levels)), nil
}

// setOverride puts a user first until the end of a day (or a time that
// day) in the team's zone; "off" ends every override.
func setOverride(oc *store.OnCall, args []string, loc *time.Location, now time.Time) (string, error) {
	if len(args) == 1 && (strings.EqualFold(args[0], "off") || strings.EqualFold(args[0], "clear")) {
		oc.Overrides = nil
		return "Overrides cleared.", nil
	}
	if len(args) < 3 || len(args) > 4 || !strings.EqualFold(args[1], "until") {
		return "", usageErrorf("Usage: `/legal oncall override @user until YYYY-MM-DD [HH:MM]` or `/legal oncall override off`.")
	}
	user, err := parseUser(args[0])
	if err != nil {
		return "", err
	}
	d, err := parseDate(args[2])
	if err != nil {
		return "", err
	}
	until := d.In(loc).AddDate(0, 0, 1) // the end of that day
	if len(args) == 4 {
		t, err := time.Parse("15:04", args[3])
		if err != nil {
			return "", usageErrorf("I need a time as HH:MM (24-hour, %s); got `%s`.", loc, args[3])
		}
		y, m, dd := until.AddDate(0, 0, -1).Date()
		until = time.Date(y, m, dd, t.Hour(), t.Minute(), 0, 0, loc)
	}
	if !until.After(now) {
		return "", usageErrorf("That override would already be over; give a later date.")
	}
	kept := oc.Overrides[:0]
	for _, o := range oc.Overrides {
		if now.Before(o.Until) && o.User != user {
			kept = append(kept, o)
		}
	}
	oc.Overrides = append(kept, store.OnCallOverride{User: user, Until: until})
	return fmt.Sprintf("%s is first on call %s.", mention(user), untilText(until.In(loc))), nil
}

// untilText is when an override ends: "through the end of Tue Mar 3
// (PST)" for a whole day, which is what was typed, rather than the
// midnight after it; "until Tue Mar 3 18:00 PST" for a given time.
func untilText(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 {
		return "through the end of " + legal.DayLabel(t.AddDate(0, 0, -1), t.Location()) + " (" + t.Format("MST") + ")"
	}
	return "until " + legal.TimeLabel(t, t.Location())
}

func setEmail(oc *store.OnCall, args []string) (string, error) {
	if len(args) != 2 {
		return "", usageErrorf("Usage: `/legal oncall email @user ADDRESS` or `/legal oncall email @user off`.")
	}
	user, err := parseUser(args[0])
	if err != nil {
		return "", err
	}
	if strings.EqualFold(args[1], "off") {
		delete(oc.Emails, user)
		return fmt.Sprintf("Pages to %s are no longer e-mailed to a stored address (their Slack profile's is used).", mention(user)), nil
	}
	addr := strings.Trim(args[1], "<>")
	if i := strings.Index(addr, "|"); strings.HasPrefix(addr, "mailto:") && i > 0 {
		addr = addr[i+1:] // Slack sends <mailto:a@b|a@b>
	}
	if a, err := mail.ParseAddress(addr); err != nil || a.Address != addr {
		return "", usageErrorf("`%s` is not an e-mail address.", escape(args[1]))
	}
	if oc.Emails == nil {
		oc.Emails = map[string]string{}
	}
	oc.Emails[user] = addr
	return fmt.Sprintf("Pages to %s are also e-mailed to their stored address.", mention(user)), nil
}

func (c *Commands) showOnCall(ctx context.Context) (*bot.Reply, error) {
	oc, err := c.st.OnCall(ctx)
	if err != nil {
		return nil, fmt.Errorf("on-call: %w", err)
	}
	return text(c.onCallText(oc)), nil
}

// onCallText shows the levels in force now and where they come from.
func (c *Commands) onCallText(oc store.OnCall) string {
	now, loc := c.now(), c.cal.Location()
	pol := c.paging.Policy
	var b strings.Builder
	b.WriteString("*On-call for emergencies* (pages bypass quiet hours)\n")
	levels := pol.Effective(onCallSettings(oc), now)
	if len(levels) == 0 {
		b.WriteString("⚠️ *Nobody is on call.* Emergencies alert the channel with @here only. Set levels with `/legal oncall set @a @b`.\n")
	}
	for i, lvl := range levels {
		ms := make([]string, len(lvl))
		for j, u := range lvl {
			ms[j] = bot.Mention(u)
			if addr := oc.Emails[u]; addr != "" {
				ms[j] += " (e-mail on file)"
			}
		}
		fmt.Fprintf(&b, "%d. %s\n", i+1, strings.Join(ms, ", "))
	}
	src := "the defaults lebot was set up with (change them with `" + c.name + " oncall set @a @b`)"
	if len(oc.Levels) > 0 {
		src = "set in Slack by " + mention(oc.UpdatedBy)
	}
	fmt.Fprintf(&b, "Levels: %s.", src)
	if r := pol.Rotation; r != nil {
		fmt.Fprintf(&b, " Weekly rotation of the first level: %s now, hand-off to the next %s.",
			bot.Mention(r.At(now)), legal.TimeLabel(r.NextHandoff(now), loc))
	}
	for _, o := range oc.Overrides {
		if now.Before(o.Until) {
			fmt.Fprintf(&b, "\nOverride: %s first %s.", mention(o.User), untilText(o.Until.In(loc)))
		}
	}
	rounds := "1 round"
	if n := cmp.Or(max(c.paging.Rounds, 0), 3); n != 1 {
		rounds = fmt.Sprintf("%d rounds", n)
	}
	fmt.Fprintf(&b, "\nUnacknowledged pages move to the next level after %s; %s, then @here in the channel.",
		durationText(c.paging.Delay), rounds)
	return b.String()
}

// onCallSettings is the stored on-call state in legal's terms.
func onCallSettings(oc store.OnCall) legal.OnCallSettings {
	s := legal.OnCallSettings{Levels: oc.Levels}
	for _, o := range oc.Overrides {
		s.Overrides = append(s.Overrides, legal.OnCallOverride{User: o.User, Until: o.Until})
	}
	return s
}
