package fakeslack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Click has user click the button (or other element) with actionID on
// the message ts in channel (a posted or ephemeral message), sending the
// block_actions payload Slack sends. Slack ignores the body of the ack:
// an answer reaches the user only through the response_url, chat.
// postEphemeral or a change to a message. An element that is not on the
// message cannot be clicked: that is an error of the test.
func (s *Server) Click(user, channel, ts, actionID string) (Answer, error) {
	s.mu.Lock()
	m := s.lookup(channel, ts)
	ephemeral := false
	if m == nil {
		m, ephemeral = s.lookupEphemeral(channel, ts), true
	}
	if m == nil {
		s.mu.Unlock()
		return Answer{}, fmt.Errorf("fakeslack: no message %s in %s", ts, channel)
	}
	act, err := findAction(m.Blocks, actionID)
	if err != nil {
		s.mu.Unlock()
		return Answer{}, err
	}
	trig, rurl := s.newTrigger(user), s.newResponseURL(user, channel, ts)
	s.mu.Unlock()
	payload := map[string]any{"type": "block_actions", "token": "fake-verification", "api_app_id": "A00000001",
		"team": map[string]any{"id": "T00000001"}, "user": map[string]any{"id": user, "username": strings.ToLower(user)},
		"container":  map[string]any{"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": ephemeral},
		"channel":    map[string]any{"id": channel},
		"trigger_id": trig, "response_url": rurl, "actions": []any{act}}
	if !ephemeral {
		payload["message"] = map[string]any{"ts": ts, "text": m.Text, "blocks": m.Blocks}
	}
	a := s.interact(payload)
	a.TriggerID, a.ResponseURL = trig, rurl
	s.record(a)
	return a, nil
}

// findAction finds the element with actionID in blocks and returns it as
// the "actions" entry of a block_actions payload.
func findAction(blocks json.RawMessage, actionID string) (map[string]any, error) {
	var bs []struct {
		Type      string            `json:"type"`
		BlockID   string            `json:"block_id"`
		Elements  []json.RawMessage `json:"elements"`
		Accessory json.RawMessage   `json:"accessory"`
	}
	_ = json.Unmarshal(blocks, &bs)
	for _, b := range bs {
		els := b.Elements
		if b.Accessory != nil {
			els = append(els, b.Accessory)
		}
		for _, e := range els {
			var el struct {
				Type     string          `json:"type"`
				ActionID string          `json:"action_id"`
				Value    string          `json:"value"`
				Text     json.RawMessage `json:"text"`
			}
			if json.Unmarshal(e, &el) == nil && el.ActionID == actionID {
				return map[string]any{"type": el.Type, "action_id": el.ActionID, "block_id": b.BlockID,
					"value": el.Value, "text": el.Text, "action_ts": "1.000000"}, nil
			}
		}
	}
	return nil, fmt.Errorf("fakeslack: no element %q on the message", actionID)
}

// Submit has user submit the open modal viewID with state values (block
// id → action id → value object, as in view.state.values), sending the
// view_submission payload Slack sends. The ack must be empty (the modal
// closes) or a response_action; anything else makes Slack show the user
// a generic error (Error invalid_response). A view that is not open, or
// values for blocks the view lacks, are errors of the test.
func (s *Server) Submit(user, viewID string, values map[string]map[string]any) (Answer, error) {
	s.mu.Lock()
	v := s.findView(viewID)
	if v == nil || v.Type != "modal" || v.Closed {
		s.mu.Unlock()
		return Answer{}, fmt.Errorf("fakeslack: no open modal %s", viewID)
	}
	var view map[string]any
	_ = json.Unmarshal(v.JSON, &view)
	inputs := inputBlocks(v.JSON)
	for block := range values {
		if !inputs[block] {
			s.mu.Unlock()
			return Answer{}, fmt.Errorf("fakeslack: modal %s has no input block %q", viewID, block)
		}
	}
	view["id"], view["hash"], view["team_id"] = v.ID, v.Hash, "T00000001"
	view["state"] = map[string]any{"values": values}
	trig := s.newTrigger(user)
	s.mu.Unlock()
	payload := map[string]any{"type": "view_submission", "token": "fake-verification", "api_app_id": "A00000001",
		"team": map[string]any{"id": "T00000001"}, "user": map[string]any{"id": user, "username": strings.ToLower(user)},
		"trigger_id": trig, "view": view, "response_urls": []any{}}
	a := s.interact(payload)
	a.TriggerID = trig
	if a.Error == "" {
		a.ViewErrors, a.Closed, a.Error = s.readSubmissionAck(v, a.Body, inputs)
	}
	s.record(a)
	return a, nil
}

// inputBlocks are the block ids of a view's input blocks.
func inputBlocks(view json.RawMessage) map[string]bool {
	var v struct {
		Blocks []struct {
			Type    string `json:"type"`
			BlockID string `json:"block_id"`
		} `json:"blocks"`
	}
	_ = json.Unmarshal(view, &v)
	out := map[string]bool{}
	for _, b := range v.Blocks {
		if b.Type == "input" {
			out[b.BlockID] = true
		}
	}
	return out
}

// readSubmissionAck reads a view_submission ack as Slack does
// (docs.slack.dev, "Modals": responding to view_submission): nothing
// closes the modal; response_action errors (only on input blocks of the
// view), update, push or clear; anything else is a generic error.
func (s *Server) readSubmissionAck(v *View, body []byte, inputs map[string]bool) (map[string]string, bool, string) {
	if len(bytes.TrimSpace(body)) == 0 {
		s.closeView(v)
		return nil, true, ""
	}
	var r struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
		View           json.RawMessage   `json:"view"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, false, "invalid_response"
	}
	switch r.ResponseAction {
	case "errors":
		if len(r.Errors) == 0 {
			return nil, false, "invalid_response"
		}
		for block := range r.Errors {
			if !inputs[block] {
				return nil, false, "invalid_response"
			}
		}
		return r.Errors, false, ""
	case "clear":
		s.closeView(v)
		return nil, true, ""
	case "update", "push":
		var vo viewObject
		if json.Unmarshal(r.View, &vo) != nil || vo.Type != "modal" || checkView(vo) != nil {
			return nil, false, "invalid_response"
		}
		return nil, false, ""
	}
	return nil, false, "invalid_response"
}

func (s *Server) closeView(v *View) {
	s.mu.Lock()
	v.Closed = true
	s.mu.Unlock()
}
