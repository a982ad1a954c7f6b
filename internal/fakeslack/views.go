package fakeslack

import (
	"encoding/json"
	"slices"
	"time"
	"unicode/utf8"
)

// View is a modal or App Home view the fake holds.
type View struct {
	ID         string
	Type       string // "modal" or "home"
	TriggerID  string // views.open and views.push
	UserID     string // views.publish; for modals, who the trigger was issued to
	ExternalID string
	CallbackID string
	Hash       string
	JSON       json.RawMessage // the view as last sent
	Updates    int
	// Closed: the modal was closed (an empty ack or response_action
	// clear answered its submission).
	Closed bool
}

// Views returns the views opened, pushed or published, in order.
func (s *Server) Views() []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]View, 0, len(s.views))
	for _, v := range s.views {
		out = append(out, *v)
	}
	return out
}

// triggerTTL is how long a trigger_id may be exchanged for a modal
// (Slack: about 3 seconds, and once).
const triggerTTL = 3 * time.Second

// trigger is a trigger_id the fake handed out with an interaction.
type trigger struct {
	issued time.Time
	user   string
	used   bool
}

// TriggerID issues a trigger_id as Slack puts in an interaction payload:
// views.open and views.push accept it once, within 3 seconds by the
// fake's clock. Deliveries (SlashCommand, Click, Submit) issue their own.
func (s *Server) TriggerID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newTrigger("")
}

func (s *Server) newTrigger(user string) string {
	id := s.nextID("13345224609.738474920.") // Slack's shape: digits.digits.hex
	s.triggers[id] = &trigger{issued: s.now(), user: user}
	return id
}

// useTrigger exchanges a trigger_id, answering Slack's error code when it
// cannot be.
func (s *Server) useTrigger(id string) (*trigger, string) {
	t, ok := s.triggers[id]
	switch {
	case id == "" || !ok:
		return nil, "invalid_trigger_id"
	case t.used:
		return nil, "exchanged_trigger_id"
	case s.now().Sub(t.issued) > triggerTTL:
		return nil, "expired_trigger_id"
	}
	t.used = true
	return t, ""
}

// SetUserGroup sets the members usergroups.users.list returns for group.
func (s *Server) SetUserGroup(group string, users ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.usergroups[group] = slices.Clone(users)
}

func (s *Server) usergroupMembers(req *request) (any, string) {
	users, ok := s.usergroups[req.params.Get("usergroup")]
	if !ok {
		return nil, "no_such_subteam"
	}
	return map[string]any{"users": users}, ""
}

// viewObject is the part of a view the fake checks.
type viewObject struct {
	Type            string          `json:"type"`
	Title           json.RawMessage `json:"title"`
	Submit          json.RawMessage `json:"submit"`
	Close           json.RawMessage `json:"close"`
	Blocks          json.RawMessage `json:"blocks"`
	PrivateMetadata string          `json:"private_metadata"`
	CallbackID      string          `json:"callback_id"`
	ExternalID      string          `json:"external_id"`
}

// newView reads and validates the "view" of a views.* call: a modal's
// title, submit and close are plain text of at most 24 characters (submit
// is required with an input block), at most 100 blocks, private_metadata
// at most 3000 characters, callback_id and external_id at most 255.
func (s *Server) newView(req *request) (*View, string) {
	raw := req.json["view"]
	if raw == nil {
		raw = json.RawMessage(req.params.Get("view"))
	}
	var v viewObject
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return nil, "invalid_arguments"
	}
	if err := checkView(v); err != nil {
		s.refusal = err.Error()
		return nil, "invalid_arguments"
	}
	return &View{Type: v.Type, ExternalID: v.ExternalID, CallbackID: v.CallbackID, JSON: raw}, ""
}

func checkView(v viewObject) error {
	where := inHome
	switch v.Type {
	case "modal":
		where = inModal
		if err := checkText("view.title", v.Title, plainOnly, 24); err != nil {
			return err
		}
		for name, t := range map[string]json.RawMessage{"submit": v.Submit, "close": v.Close} {
			if t != nil {
				if err := checkText("view."+name, t, plainOnly, 24); err != nil {
					return err
				}
			}
		}
	case "home":
	default:
		return refuse("view.type", "modal or home, not %q", v.Type)
	}
	switch {
	case utf8.RuneCountInString(v.PrivateMetadata) > 3000:
		return refuse("view.private_metadata", "longer than 3000")
	case utf8.RuneCountInString(v.CallbackID) > 255:
		return refuse("view.callback_id", "longer than 255")
	case utf8.RuneCountInString(v.ExternalID) > 255:
		return refuse("view.external_id", "longer than 255")
	}
	if v.Blocks == nil {
		return refuse("view.blocks", "required")
	}
	if err := checkBlocks(v.Blocks, where); err != nil {
		return err
	}
	if where == inModal && v.Submit == nil && hasInput(v.Blocks) {
		return refuse("view.submit", "required with an input block")
	}
	return nil
}

func hasInput(raw json.RawMessage) bool {
	var blocks []struct{ Type string }
	_ = json.Unmarshal(raw, &blocks)
	for _, b := range blocks {
		if b.Type == "input" {
			return true
		}
	}
	return false
}

func (s *Server) addView(v *View) (any, string) {
	v.ID, v.Hash = s.nextID("V"), s.nextID("h")
	s.views = append(s.views, v)
	return viewAnswer(v), ""
}

func viewAnswer(v *View) map[string]any {
	var view map[string]any
	_ = json.Unmarshal(v.JSON, &view)
	view["id"], view["hash"] = v.ID, v.Hash
	return map[string]any{"view": view}
}

// viewsOpen opens a modal with a trigger_id the fake issued: once, and
// within 3 seconds.
func (s *Server) viewsOpen(req *request) (any, string) {
	v, code := s.newView(req)
	if code != "" {
		return nil, code
	}
	if v.Type != "modal" {
		return nil, "invalid_arguments"
	}
	v.TriggerID = req.params.Get("trigger_id")
	t, code := s.useTrigger(v.TriggerID)
	if code != "" {
		return nil, code
	}
	v.UserID = t.user
	return s.addView(v)
}

func (s *Server) viewsPush(req *request) (any, string) { return s.viewsOpen(req) }

func (s *Server) viewsPublish(req *request) (any, string) {
	v, code := s.newView(req)
	if code != "" {
		return nil, code
	}
	if v.Type != "home" {
		return nil, "invalid_arguments"
	}
	if v.UserID = req.params.Get("user_id"); v.UserID == "" {
		return nil, "user_not_found"
	}
	for _, old := range s.views {
		if old.Type == "home" && old.UserID == v.UserID {
			if h := req.params.Get("hash"); h != "" && h != old.Hash {
				return nil, "hash_conflict"
			}
			old.JSON, old.Hash, old.Updates = v.JSON, s.nextID("h"), old.Updates+1
			return viewAnswer(old), ""
		}
	}
	return s.addView(v)
}

func (s *Server) viewsUpdate(req *request) (any, string) {
	v, code := s.newView(req)
	if code != "" {
		return nil, code
	}
	id, ext := req.params.Get("view_id"), req.params.Get("external_id")
	for _, old := range s.views {
		if (id != "" && old.ID == id) || (id == "" && ext != "" && old.ExternalID == ext) {
			if h := req.params.Get("hash"); h != "" && h != old.Hash {
				return nil, "hash_conflict"
			}
			old.JSON, old.Hash, old.Updates = v.JSON, s.nextID("h"), old.Updates+1
			return viewAnswer(old), ""
		}
	}
	return nil, "not_found"
}

// findView returns the view with id, or nil.
func (s *Server) findView(id string) *View {
	for _, v := range s.views {
		if v.ID == id {
			return v
		}
	}
	return nil
}
