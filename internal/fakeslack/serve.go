package fakeslack

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// request is one Web API call as the fake reads it: its parameters
// (form or JSON) and the token it carries.
type request struct {
	params url.Values
	json   map[string]json.RawMessage // nil for form bodies
	token  string
}

// serve parses and records a call, applies faults and the token check,
// runs h under the lock and writes Slack's envelope around its answer. It
// returns the recorded call.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, method string, h func(*request) (any, string)) Call {
	body, _ := io.ReadAll(r.Body)
	req, token := parse(r, body)

	s.mu.Lock()
	defer s.mu.Unlock()
	call := Call{Method: method, Params: req.params, Body: body, Token: token, At: s.now()}
	fault := s.nextFault(method)
	call.Fault = fault
	s.calls = append(s.calls, call)

	if fault != nil && !fault.AfterApply {
		writeFault(w, fault)
		return call
	}
	var (
		result any
		code   string
	)
	switch {
	case token == "":
		code = "not_authed"
	case s.rejected[token]:
		code = "invalid_auth"
	case s.scopeMissing(method, req) != "":
		result, code = s.missingScope(s.scopeMissing(method, req))
	default:
		result, code = h(req)
	}
	if m, ok := result.(map[string]any); ok {
		call.TS, _ = m["ts"].(string)
	}
	call.Error, call.Refusal = code, s.refusal
	extra := s.extra
	s.refusal, s.extra = "", nil
	s.calls[len(s.calls)-1] = call
	if fault != nil {
		writeFault(w, fault)
		return call
	}
	if code != "" {
		out := map[string]any{"ok": false, "error": code}
		for k, v := range extra {
			out[k] = v
		}
		writeJSON(w, out)
		return call
	}
	out := map[string]any{}
	if result != nil {
		b, _ := json.Marshal(result)
		_ = json.Unmarshal(b, &out)
	}
	out["ok"] = true
	writeJSON(w, out)
	return call
}

func (s *Server) nextFault(method string) *Fault {
	for _, key := range []string{method, ""} {
		if q := s.faults[key]; len(q) > 0 {
			f := q[0]
			s.faults[key] = q[1:]
			return &f
		}
	}
	return nil
}

func parse(r *http.Request, body []byte) (*request, string) {
	req := &request{params: url.Values{}}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(body, &req.json)
		for k, v := range req.json {
			var str string
			if json.Unmarshal(v, &str) == nil {
				req.params.Set(k, str)
			} else {
				req.params.Set(k, string(v))
			}
		}
	} else {
		req.params, _ = url.ParseQuery(string(body))
		for k, v := range r.URL.Query() {
			req.params[k] = v
		}
	}
	if t := req.params.Get("token"); t != "" {
		token = t
	}
	req.token = token
	return req, token
}

func writeFault(w http.ResponseWriter, f *Fault) {
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int(f.RetryAfter.Round(time.Second)/time.Second)))
	}
	if f.Status != 0 {
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, "<html>fake slack fault</html>")
		return
	}
	writeJSON(w, map[string]any{"ok": false, "error": f.Error})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// nextTS returns a unique Slack timestamp from the clock: seconds, then a
// sequence number so two posts in the same second still differ.
func (s *Server) nextTS() string {
	s.seq++
	return fmt.Sprintf("%d.%06d", s.now().Unix(), s.seq)
}

func (s *Server) nextID(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%08d", prefix, s.seq)
}

func (s *Server) authTest(*request) (any, string) {
	return map[string]any{"url": "https://fake.slack.com/", "team": "Fake", "user": "lebot",
		"team_id": "T00000001", "user_id": "U00000BOT", "bot_id": "B00000BOT"}, ""
}

// scopeMissing is the scope method needs that the bot token lacks, or
// "". A history read needs the scope of the channel's kind; an unknown
// channel is left to the method (channel_not_found).
func (s *Server) scopeMissing(method string, req *request) string {
	need := methodScopes[method]
	if method == "conversations.history" || method == "conversations.replies" {
		if _, c, code := s.conversation(req.params.Get("channel")); code == "" {
			need = historyScope(c.kind)
		}
	}
	if need == "" || s.granted(need) {
		return ""
	}
	return need
}
