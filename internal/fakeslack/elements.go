package fakeslack

import (
	"encoding/json"
	"fmt"
	"regexp"
	"unicode/utf8"
)

// Which element types each place accepts.
var (
	actionElements = map[string]bool{"button": true, "checkboxes": true, "datepicker": true, "overflow": true,
		"radio_buttons": true, "static_select": true, "users_select": true, "timepicker": true}
	accessoryElements = map[string]bool{"button": true, "checkboxes": true, "datepicker": true, "image": true,
		"overflow": true, "radio_buttons": true, "static_select": true, "users_select": true, "timepicker": true}
	inputElements = map[string]bool{"checkboxes": true, "datepicker": true, "plain_text_input": true,
		"radio_buttons": true, "static_select": true, "users_select": true, "timepicker": true, "multi_static_select": true}
)

// element is every field of the elements checked here.
type element struct {
	Type           string            `json:"type"`
	ActionID       *string           `json:"action_id"`
	Text           json.RawMessage   `json:"text"`
	Value          *string           `json:"value"`
	URL            string            `json:"url"`
	Style          string            `json:"style"`
	Confirm        json.RawMessage   `json:"confirm"`
	Placeholder    json.RawMessage   `json:"placeholder"`
	Options        []json.RawMessage `json:"options"`
	InitialOptions []json.RawMessage `json:"initial_options"`
	InitialOption  json.RawMessage   `json:"initial_option"`
	InitialDate    string            `json:"initial_date"`
	MinLength      *int              `json:"min_length"`
	MaxLength      *int              `json:"max_length"`
}

var reDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func checkElement(path string, raw json.RawMessage, allowed map[string]bool) error {
	var e element
	if err := json.Unmarshal(raw, &e); err != nil {
		return refuse(path, "not an element object")
	}
	if !allowed[e.Type] {
		return refuse(path+".type", "%q is not allowed here", e.Type)
	}
	if e.ActionID != nil && (*e.ActionID == "" || utf8.RuneCountInString(*e.ActionID) > 255) {
		return refuse(path+".action_id", "1 to 255 characters")
	}
	if e.Placeholder != nil {
		if err := checkText(path+".placeholder", e.Placeholder, plainOnly, 150); err != nil {
			return err
		}
	}
	if e.Confirm != nil {
		if err := checkConfirm(path+".confirm", e.Confirm); err != nil {
			return err
		}
	}
	switch e.Type {
	case "button":
		return checkButton(path, e)
	case "checkboxes", "radio_buttons":
		return checkOptions(path, e, 10)
	case "overflow":
		return checkOptions(path, e, 5)
	case "static_select", "multi_static_select":
		return checkOptions(path, e, 100)
	case "datepicker":
		if e.InitialDate != "" && !reDate.MatchString(e.InitialDate) {
			return refuse(path+".initial_date", "not YYYY-MM-DD: %q", e.InitialDate)
		}
	case "plain_text_input":
		if e.MinLength != nil && (*e.MinLength < 0 || *e.MinLength > 3000) {
			return refuse(path+".min_length", "0 to 3000")
		}
		if e.MaxLength != nil && (*e.MaxLength < 1 || *e.MaxLength > 3000) {
			return refuse(path+".max_length", "1 to 3000")
		}
	case "image":
		var m map[string]json.RawMessage
		_ = json.Unmarshal(raw, &m)
		return checkImageFields(path, m)
	}
	return nil
}

func checkButton(path string, e element) error {
	if err := checkText(path+".text", e.Text, plainOnly, 75); err != nil {
		return err
	}
	if e.Value != nil && utf8.RuneCountInString(*e.Value) > 2000 {
		return refuse(path+".value", "longer than 2000")
	}
	if utf8.RuneCountInString(e.URL) > 3000 {
		return refuse(path+".url", "longer than 3000")
	}
	if e.Style != "" && e.Style != "primary" && e.Style != "danger" {
		return refuse(path+".style", "primary or danger, not %q", e.Style)
	}
	return nil
}

// checkOptions: 1..max options; each initial option must be one of them.
func checkOptions(path string, e element, max int) error {
	if len(e.Options) == 0 || len(e.Options) > max {
		return refuse(path+".options", "%d options, 1 to %d allowed", len(e.Options), max)
	}
	values := map[string]bool{}
	for i, o := range e.Options {
		v, err := checkOption(fmt.Sprintf("%s.options[%d]", path, i), o)
		if err != nil {
			return err
		}
		values[v] = true
	}
	initial := e.InitialOptions
	if e.InitialOption != nil {
		initial = append(initial, e.InitialOption)
	}
	for i, o := range initial {
		var opt struct{ Value string }
		if json.Unmarshal(o, &opt) != nil || !values[opt.Value] {
			return refuse(fmt.Sprintf("%s.initial_options[%d]", path, i), "not one of the options")
		}
	}
	return nil
}

// checkOption validates an option object and returns its value.
func checkOption(path string, raw json.RawMessage) (string, error) {
	var o struct {
		Text        json.RawMessage `json:"text"`
		Value       *string         `json:"value"`
		Description json.RawMessage `json:"description"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return "", refuse(path, "not an option object")
	}
	if err := checkText(path+".text", o.Text, anyText, 75); err != nil {
		return "", err
	}
	if o.Value == nil || *o.Value == "" || utf8.RuneCountInString(*o.Value) > 150 {
		return "", refuse(path+".value", "1 to 150 characters")
	}
	if o.Description != nil {
		if err := checkText(path+".description", o.Description, anyText, 75); err != nil {
			return "", err
		}
	}
	return *o.Value, nil
}

func checkConfirm(path string, raw json.RawMessage) error {
	var c struct {
		Title, Text, Confirm, Deny json.RawMessage
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return refuse(path, "not a confirm object")
	}
	for _, f := range []struct {
		name string
		raw  json.RawMessage
		max  int
		kind textKind
	}{{"title", c.Title, 100, plainOnly}, {"text", c.Text, 300, anyText}, {"confirm", c.Confirm, 30, plainOnly}, {"deny", c.Deny, 30, plainOnly}} {
		if err := checkText(path+"."+f.name, f.raw, f.kind, f.max); err != nil {
			return err
		}
	}
	return nil
}

// textKind says which text object types a field takes.
type textKind int

const (
	anyText textKind = iota
	plainOnly
)

// checkText validates a text object: its type, 1..max characters, and
// emoji only on plain_text, verbatim only on mrkdwn.
func checkText(path string, raw json.RawMessage, kind textKind, max int) error {
	if raw == nil {
		return refuse(path, "required")
	}
	var t struct {
		Type     string `json:"type"`
		Text     *string
		Emoji    *bool `json:"emoji"`
		Verbatim *bool `json:"verbatim"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return refuse(path, "not a text object")
	}
	switch {
	case t.Type != "plain_text" && t.Type != "mrkdwn":
		return refuse(path+".type", "plain_text or mrkdwn, not %q", t.Type)
	case kind == plainOnly && t.Type != "plain_text":
		return refuse(path+".type", "must be plain_text")
	case t.Text == nil || *t.Text == "":
		return refuse(path+".text", "empty")
	case utf8.RuneCountInString(*t.Text) > max:
		return refuse(path+".text", "%d characters, at most %d", utf8.RuneCountInString(*t.Text), max)
	case t.Emoji != nil && t.Type != "plain_text":
		return refuse(path+".emoji", "only on plain_text")
	case t.Verbatim != nil && t.Type != "mrkdwn":
		return refuse(path+".verbatim", "only on mrkdwn")
	}
	return nil
}

// str reads a JSON string, "" when absent or not a string.
func str(raw json.RawMessage) string {
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}
