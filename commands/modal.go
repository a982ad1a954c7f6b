package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/legal"
)

// Callback ids of lebot's modals; the request id rides in PrivateMetadata.
const (
	viewChecklist = "lebot_checklist"
	viewDue       = "lebot_due"
	viewStatus    = "lebot_status"
	viewNew       = "lebot_new"
)

func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func mrkdwnText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

// modal builds a modal with lebot's title and buttons.
func modal(callback, requestID, title string, blocks ...slack.Block) slack.ModalViewRequest {
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: callback, PrivateMetadata: requestID,
		Title: plainText(title), Submit: plainText("Save"), Close: plainText("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks}}
}

// open opens v with the interaction's trigger, which Slack honours for
// 3 seconds only, so it is the first Slack call made.
func (c *Commands) open(ctx context.Context, trigger string, v slack.ModalViewRequest) error {
	if trigger == "" {
		return userErrorf("That needs to be started from Slack (no trigger id).")
	}
	if _, err := c.api.OpenViewContext(ctx, trigger, v); err != nil {
		return fmt.Errorf("open %s modal: %w", v.CallbackID, err)
	}
	return nil
}

// modalAction opens the modal a card button asks for.
func (c *Commands) modalAction(ctx context.Context, in input, ic slack.InteractionCallback, a *slack.BlockAction) (*bot.Reply, error) {
	var build func(*legal.Request) slack.ModalViewRequest
	switch a.ActionID {
	case bot.ActionChecklist:
		build = checklistView
	case bot.ActionSetDue:
		build = c.dueView
	case bot.ActionStatus:
		build = statusView
	case bot.ActionEdit:
		build = editView
	default:
		return nil, nil // checkbox toggles inside a modal: read on submit
	}
	req, err := c.st.GetRequest(ctx, a.Value)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", a.Value, err)
	}
	return nil, c.open(ctx, in.trigger, build(req))
}

func (c *Commands) dueView(r *legal.Request) slack.ModalViewRequest {
	dp := slack.NewDatePickerBlockElement("date")
	if !r.Due.IsZero() {
		dp.InitialDate = c.cal.DateOf(r.Due).String()
	}
	return modal(viewDue, r.ID, "Response deadline",
		slack.NewInputBlock("due", plainText("Due (17:00 that day, team time) for "+r.ID), nil, dp))
}

func statusView(r *legal.Request) slack.ModalViewRequest {
	var opts []*slack.OptionBlockObject
	for _, s := range legal.Statuses {
		opts = append(opts, slack.NewOptionBlockObject(string(s), plainText(string(s)), nil))
	}
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText("Status"), "status", opts...)
	for _, o := range opts {
		if o.Value == string(r.Status) {
			sel.InitialOption = o
		}
	}
	return modal(viewStatus, r.ID, "Status", slack.NewInputBlock("status", plainText("Status of "+r.ID), nil, sel))
}

// submit handles a modal's submission. Mistakes the person can fix come
// back as errors on the modal's fields; other failures close it with a
// reply.
func (c *Commands) submit(ctx context.Context, in input, ic slack.InteractionCallback) (*bot.Reply, error) {
	if ic.View.State == nil {
		// Slack always sends the state; without one every field is empty.
		ic.View.State = &slack.ViewState{}
	}
	v := ic.View
	values := v.State.Values
	var (
		fn    func(*legal.Request) (edit, error)
		field string
	)
	switch v.CallbackID {
	case viewNew:
		return c.submitNew(ctx, in, ic)
	case viewEdit:
		return c.submitEdit(ctx, in, ic)
	case viewReply:
		return c.submitReply(ctx, in, ic)
	case viewChecklist:
		fn, field = checklistSubmit(in.user, c.now, values), "items"
	case viewDue:
		d, err := legal.ParseDate(values["due"]["date"].SelectedDate)
		if err != nil {
			return fieldError("due", "Pick a date."), nil
		}
		if d.Before(c.cal.DateOf(c.now())) {
			return fieldError("due", "That date has passed."), nil
		}
		fn, field = setDue(c.cal, in.user, d), "due"
	case viewStatus:
		st, err := legal.ParseStatus(values["status"]["status"].SelectedOption.Value)
		if err != nil {
			return fieldError("status", "Pick a status."), nil
		}
		fn, field = setStatus(in.user, st, c.now()), "status"
	default:
		return nil, nil
	}
	_, _, err := c.change(ctx, in.user, v.PrivateMetadata, fn)
	var (
		nc *errNoChange
		ue *userError
	)
	switch {
	case errors.As(err, &nc):
		return nil, nil
	case errors.As(err, &ue):
		return fieldError(field, ue.msg), nil
	case err != nil:
		return fieldError(field, strings.TrimSpace(c.errorReply(ctx, err).Text)), nil
	}
	return nil, nil
}

// fieldError keeps the modal open with msg under the block.
func fieldError(block, msg string) *bot.Reply {
	return &bot.Reply{View: slack.NewErrorsViewSubmissionResponse(map[string]string{block: msg})}
}
