package commands

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

// submitEdit saves what the person changed in the edit modal. Values
// that cannot be right come back as errors under their fields (Slack's
// response_action "errors") and nothing is saved; otherwise the modal
// closes (an empty ack) and the correction is stored like `/legal set`'s.
func (c *Commands) submitEdit(ctx context.Context, in input, ic slack.InteractionCallback) (*bot.Reply, error) {
	var meta editMeta
	if err := json.Unmarshal([]byte(ic.View.PrivateMetadata), &meta); err != nil || meta.ID == "" {
		return nil, errors.New("edit modal without its request id")
	}
	got := formFromState(ic.View.State.Values)
	changed := func(blocks ...string) bool {
		for _, b := range blocks {
			if shown, ok := meta.Shown[b]; ok && hashOf(got[b]) != shown {
				return true
			}
		}
		return false
	}
	setters, errs := readEdit(got, changed)
	if len(errs) > 0 {
		return &bot.Reply{View: slack.NewErrorsViewSubmissionResponse(errs)}, nil
	}
	if len(setters) == 0 {
		return nil, nil // nothing changed: close
	}
	set := func(f *legal.Facts) {
		for _, s := range setters {
			s(f)
		}
	}
	var res legal.Corrected
	_, _, err := c.change(ctx, in.user, meta.ID, c.correction(in.user, set, &res))
	var nc *errNoChange
	switch {
	case errors.As(err, &nc):
		return nil, nil
	case err != nil:
		return &bot.Reply{View: slack.NewErrorsViewSubmissionResponse(map[string]string{
			blockKinds: plainMessage(c.errorReply(ctx, err).Text)})}, nil
	}
	if res.PagingStarted && c.paging.Kick != nil {
		c.paging.Kick()
	}
	return nil, nil
}

// formFromState reads a submission's values into the form's text.
func formFromState(values map[string]map[string]slack.BlockAction) form {
	fm := form{}
	for _, b := range []string{blockIdentifiers, blockAgentName, blockAgentEmail, blockAgentPhone} {
		fm[b] = strings.TrimSpace(values[b]["v"].Value)
	}
	for _, b := range []string{blockStart, blockEnd, blockDeadline, blockNDOUntil} {
		fm[b] = values[b]["v"].SelectedDate
	}
	var kinds []string
	for _, o := range values[blockKinds]["v"].SelectedOptions {
		kinds = append(kinds, o.Value)
	}
	fm[blockKinds] = joinSorted(kinds)
	var records []string
	for _, o := range values[blockRecords]["v"].SelectedOptions {
		records = append(records, o.Value)
	}
	fm[blockRecords] = joinSorted(records)
	ticked := map[string]bool{}
	for _, o := range values[blockFlags]["v"].SelectedOptions {
		ticked[o.Value] = true
	}
	for _, fl := range editFlags {
		fm["flags."+string(fl.field)] = map[bool]string{true: "yes", false: "no"}[ticked[string(fl.field)]]
	}
	return fm
}

// readEdit turns the changed parts of the form into setters, or errors
// by block id.
func readEdit(fm form, changed func(blocks ...string) bool) ([]setter, map[string]string) {
	var (
		out  []setter
		errs = map[string]string{}
	)
	fail := func(block string, err error) { errs[block] = plainMessage(err.Error()) }
	flag := func(fd legal.Field) string { return "flags." + string(fd) }

	if changed(blockKinds) {
		var kinds []legal.Kind
		for _, s := range strings.Split(fm[blockKinds], ",") {
			if s == "" {
				continue
			}
			k, ok := parseKind(s)
			if !ok || k == legal.KindEmergency {
				fail(blockKinds, userErrorf("%s is not a kind of request.", s))
				break
			}
			kinds = append(kinds, k)
		}
		out = append(out, func(f *legal.Facts) {
			if f.HasKind(legal.KindEmergency) {
				kinds = append(kinds, legal.KindEmergency) // emergency is its own box
			}
			f.SetKinds(kinds)
		})
	}
	if changed(blockRecords) {
		var recs []legal.Record
		for _, s := range strings.Split(fm[blockRecords], ",") {
			if s == "" {
				continue
			}
			rc, ok := parseRecord(s)
			if !ok {
				fail(blockRecords, userErrorf("%s is not a kind of records I know.", s))
				break
			}
			recs = append(recs, rc)
		}
		out = append(out, func(f *legal.Facts) { f.SetRecords(recs) })
	}
	if changed(blockIdentifiers) {
		ids, err := parseIdentifiers(fm[blockIdentifiers])
		if fm[blockIdentifiers] == "" {
			ids, err = nil, nil
		}
		if err != nil {
			fail(blockIdentifiers, err)
		}
		out = append(out, func(f *legal.Facts) { f.Identifiers = ids })
	}
	if changed(blockStart, blockEnd) {
		s, err := readPeriod(fm[blockStart], fm[blockEnd])
		if err != nil {
			fail(err.block, err.err)
		}
		out = append(out, s)
	}
	if changed(blockDeadline) {
		d, err := parseOptionalDate(fm[blockDeadline])
		if err != nil {
			fail(blockDeadline, err)
		}
		out = append(out, func(f *legal.Facts) { f.Deadline = d })
	}
	out = append(out, readAgent(fm, changed, fail)...)
	if changed(flag(legal.FieldNDO), blockNDOUntil) {
		on := fm[flag(legal.FieldNDO)] == "yes"
		until, err := parseOptionalDate(fm[blockNDOUntil])
		switch {
		case err != nil:
			fail(blockNDOUntil, err)
		case until != nil && !on:
			fail(blockNDOUntil, userErrorf("Tick “Non-disclosure order” too, or clear this date."))
		}
		out = append(out, func(f *legal.Facts) { f.SetNDO(on, until) })
	}
	for _, fd := range []legal.Field{legal.FieldNoToSAction, legal.FieldContentRequested, legal.FieldChildEndangerment, legal.FieldEmergency} {
		if changed(flag(fd)) {
			s, _ := parseCorrection(fd, fm[flag(fd)]) // "yes" or "no": cannot fail
			out = append(out, s)
		}
	}
	return out, errs
}

type blockError struct {
	block string
	err   error
}

// readPeriod reads the period's two dates: both or neither.
func readPeriod(start, end string) (setter, *blockError) {
	switch {
	case start == "" && end == "":
		return func(f *legal.Facts) { f.Period = nil }, nil
	case start == "":
		return nil, &blockError{blockStart, userErrorf("Give the first day too, or clear both.")}
	case end == "":
		return nil, &blockError{blockEnd, userErrorf("Give the last day too, or clear both.")}
	}
	p, err := checkPeriod(start, end)
	if err != nil {
		return nil, &blockError{blockEnd, err}
	}
	return func(f *legal.Facts) { f.Period = p }, nil
}

// readAgent reads the agent's changed parts; the others stay.
func readAgent(fm form, changed func(...string) bool, fail func(string, error)) []setter {
	var out []setter
	if changed(blockAgentName) {
		name := fm[blockAgentName]
		out = append(out, func(f *legal.Facts) { f.Agent.Name = name })
	}
	if changed(blockAgentEmail) {
		email, err := "", error(nil)
		if fm[blockAgentEmail] != "" {
			email, err = parseEmail(fm[blockAgentEmail])
		}
		if err != nil {
			fail(blockAgentEmail, err)
		}
		out = append(out, func(f *legal.Facts) { f.Agent.Email = email })
	}
	if changed(blockAgentPhone) {
		phone, err := "", error(nil)
		if fm[blockAgentPhone] != "" {
			phone, err = parsePhone(fm[blockAgentPhone])
		}
		if err != nil {
			fail(blockAgentPhone, err)
		}
		out = append(out, func(f *legal.Facts) { f.Agent.Phone = phone })
	}
	return out
}

// plainMessage turns a reply written for mrkdwn into the plain text a
// modal's field error shows.
func plainMessage(s string) string {
	s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "`", "").Replace(s)
	return truncate(strings.TrimSpace(s), 150)
}
