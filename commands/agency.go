package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/legal/agency"
	"github.com/lebot-dev/lebot/store"
)

func init() {
	register(&subcommand{name: "agency", usage: "[DOMAIN [level federal|state|local|tribal|foreign|unknown|auto | country CC|auto]]",
		summary: "what lebot knows of an agency: its requests, agents and verified numbers (none: the agencies heard from lately); level/country set how the report counts it", run: runAgency})
}

// agencyShown bounds the agents and requests one reply lists.
const agencyShown = 10

func runAgency(ctx context.Context, c *Commands, in input) (*bot.Reply, error) {
	switch len(in.args) {
	case 0:
		return c.agencyList(ctx)
	case 1:
		return c.agencyShow(ctx, in.args[0])
	case 3:
		return c.agencySet(ctx, in)
	}
	return nil, errUsage()
}

func domainArg(s string) (string, error) {
	d, ok := store.NormalizeDomain(strings.TrimPrefix(strings.TrimSpace(s), "@"))
	if !ok {
		return "", usageErrorf("`%s` is not a domain name; give the part after the @ of the agency's e-mail, like `fbi.gov`.", escape(s))
	}
	return d, nil
}

func (c *Commands) agencyList(ctx context.Context) (*bot.Reply, error) {
	as, err := c.st.Agencies(ctx, listPage)
	if err != nil {
		return nil, fmt.Errorf("agencies: %w", err)
	}
	if len(as) == 0 {
		return text("No agency has sent a request yet."), nil
	}
	var b strings.Builder
	b.WriteString("*Agencies heard from lately* (`" + c.name + " agency DOMAIN` for one):\n")
	for _, a := range as {
		level, country := levelOf(a)
		fmt.Fprintf(&b, "• %s — %s · %s · %s\n", escape(a.Domain), plural(a.Requests, "request"), level.Label(), agency.CountryName(country))
	}
	return text(b.String()), nil
}

// levelOf is an agency's level and country: the team's setting, else the domain's.
func levelOf(a *store.Agency) (agency.Level, string) {
	level, country := agency.Classify(a.Domain)
	if a.Level != "" {
		level = a.Level
	}
	if a.Country != "" {
		country = a.Country
	}
	return level, country
}

func (c *Commands) agencyShow(ctx context.Context, arg string) (*bot.Reply, error) {
	d, err := domainArg(arg)
	if err != nil {
		return nil, err
	}
	a, err := c.st.Agency(ctx, d)
	if errors.Is(err, store.ErrNotFound) {
		return text(fmt.Sprintf("lebot has no request from %s yet: a request from it would be its first.", escape(d))), nil
	}
	if err != nil {
		return nil, fmt.Errorf("agency %s: %w", d, err)
	}
	reqs, total, err := c.st.AgencyRequests(ctx, d, agencyShown)
	if err != nil {
		return nil, fmt.Errorf("requests from %s: %w", d, err)
	}
	loc := c.cal.Location()
	var b strings.Builder
	level, country := levelOf(a)
	how := "as its domain says"
	if a.Level != "" || a.Country != "" {
		how = "as set by " + mention(a.SetBy)
	}
	fmt.Fprintf(&b, "*%s* — %s, %s (%s)\n", escape(d), level.Label(), agency.CountryName(country), how)
	switch v := a.Verified(); {
	case a.Official:
		b.WriteString("✅ an official government domain\n")
	case v != nil:
		b.WriteString("☎️ not an official domain; verified by callback\n")
	default:
		b.WriteString("☎️ not an official domain and never verified by callback\n")
	}
	fmt.Fprintf(&b, "%s, first %s, latest %s\n", plural(a.Requests, "request"),
		legal.DayLabel(a.First, loc), legal.DayLabel(a.Last, loc))
	if len(a.Agents) > 0 {
		b.WriteString("*Agents:*\n")
	}
	for i, ag := range a.Agents {
		if i == agencyShown {
			fmt.Fprintf(&b, "_…and %d more_\n", len(a.Agents)-i)
			break
		}
		b.WriteString("• " + c.agentLine(ag) + "\n")
	}
	if len(reqs) > 0 {
		fmt.Fprintf(&b, "*Latest requests* (%d in all):\n", total)
	}
	for _, r := range reqs {
		fmt.Fprintf(&b, "• `%s` %s · %s · received %s\n", r.ID, r.Kind().Label(), r.Status.Label(), legal.DayLabel(r.ReceivedAt, loc))
	}
	return text(b.String()), nil
}

func (c *Commands) agentLine(ag store.AgentRecord) string {
	name := escape(ag.Name)
	switch {
	case name == "" && ag.Email == "":
		name = "_unnamed agent_"
	case name == "":
		name = escape(ag.Email)
	case ag.Email != "":
		name += " (" + escape(ag.Email) + ")"
	}
	s := name + " — " + plural(ag.Requests, "request")
	if len(ag.Callbacks) == 0 {
		return s + " · never verified by callback"
	}
	last := ag.Callbacks[len(ag.Callbacks)-1]
	when := legal.DayLabel(last.At, c.cal.Location())
	if last.Result == legal.CallbackConfirmed {
		return s + fmt.Sprintf(" · ✅ verified by callback on %s at %s by %s (%s)", when, legal.FormatPhone(last.Phone), mention(last.By), last.RequestID)
	}
	return s + fmt.Sprintf(" · ❌ callback failed on %s at %s (%s, by %s)", when, legal.FormatPhone(last.Phone), last.RequestID, mention(last.By))
}

func (c *Commands) agencySet(ctx context.Context, in input) (*bot.Reply, error) {
	d, err := domainArg(in.args[0])
	if err != nil {
		return nil, err
	}
	what, value := strings.ToLower(in.args[1]), in.args[2]
	auto := strings.EqualFold(value, "auto")
	var level agency.Level
	var country string
	switch {
	case what == "level" && !auto:
		l, ok := agency.ParseLevel(value)
		if !ok {
			return nil, usageErrorf("Unknown level `%s`. Use one of: federal, state, local, tribal, foreign, unknown, or auto (as the domain says).", escape(value))
		}
		level = l
	case what == "country" && !auto:
		cc, ok := agency.ParseCountry(value)
		if !ok {
			return nil, usageErrorf("`%s` is not a country code; use two letters such as US, GB, DE, or auto (as the domain says).", escape(value))
		}
		country = cc
	case what != "level" && what != "country":
		return nil, errUsage()
	}
	for attempt := 0; ; attempt++ {
		a, err := c.st.Agency(ctx, d)
		if errors.Is(err, store.ErrNotFound) {
			a, err = &store.Agency{Domain: d}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("agency %s: %w", d, err)
		}
		if what == "level" {
			a.Level = level
		} else {
			a.Country = country
		}
		a.SetBy, a.SetAt = in.user, c.now()
		err = c.st.SetAgency(ctx, a)
		if errors.Is(err, store.ErrConflict) && attempt < maxConflictRetries {
			continue
		}
		if err != nil {
			return nil, err
		}
		l, cc := levelOf(a)
		return text(fmt.Sprintf("%s now counts as %s, %s in the transparency report.", escape(d), l.Label(), agency.CountryName(cc))), nil
	}
}

// plural is "1 request" or "3 requests".
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
