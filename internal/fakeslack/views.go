package fakeslack

import (
	"encoding/json"
	"slices"
)

// View is a modal or App Home view the fake holds.
type View struct {
	ID         string
	Type       string // "modal" or "home"
	TriggerID  string // views.open and views.push
	UserID     string // views.publish
	ExternalID string
	CallbackID string
	Hash       string
	JSON       json.RawMessage // the view as last sent
	Updates    int
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

// newView reads the "view" of a views.* call.
func (s *Server) newView(req *request) (*View, string) {
	raw := req.json["view"]
	var v struct {
		Type       string `json:"type"`
		ExternalID string `json:"external_id"`
		CallbackID string `json:"callback_id"`
		Blocks     []json.RawMessage
	}
	if raw == nil || json.Unmarshal(raw, &v) != nil || v.Type == "" {
		return nil, "invalid_arguments"
	}
	if len(v.Blocks) > 100 {
		return nil, "invalid_arguments"
	}
	return &View{Type: v.Type, ExternalID: v.ExternalID, CallbackID: v.CallbackID, JSON: raw}, ""
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

func (s *Server) viewsOpen(req *request) (any, string) {
	v, code := s.newView(req)
	if code != "" {
		return nil, code
	}
	if v.TriggerID = req.params.Get("trigger_id"); v.TriggerID == "" {
		return nil, "invalid_trigger_id"
	}
	return s.addView(v)
}

func (s *Server) viewsPush(req *request) (any, string) { return s.viewsOpen(req) }

func (s *Server) viewsPublish(req *request) (any, string) {
	v, code := s.newView(req)
	if code != "" {
		return nil, code
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
