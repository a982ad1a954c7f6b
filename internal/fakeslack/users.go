package fakeslack

// SetUserEmail gives user a profile e-mail address for users.info.
func (s *Server) SetUserEmail(user, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.emails == nil {
		s.emails = map[string]string{}
	}
	s.emails[user] = email
}

// usersInfo answers users.info: any U…/W… id is a user, with the e-mail
// set by SetUserEmail (none otherwise).
func (s *Server) usersInfo(req *request) (any, string) {
	id := req.params.Get("user")
	if id == "" || (id[0] != 'U' && id[0] != 'W') {
		return nil, "user_not_found"
	}
	return map[string]any{"user": map[string]any{"id": id, "name": id,
		"profile": map[string]any{"email": s.emails[id], "real_name": id}}}, ""
}

// permalink answers chat.getPermalink for a message the fake holds.
func (s *Server) permalink(req *request) (any, string) {
	ch, ts := req.params.Get("channel"), req.params.Get("message_ts")
	if s.lookup(ch, ts) == nil {
		return nil, "message_not_found"
	}
	return map[string]any{"channel": ch,
		"permalink": "https://fake.slack.com/archives/" + ch + "/p" + stripDot(ts)}, ""
}

func stripDot(ts string) string {
	out := make([]byte, 0, len(ts))
	for i := range len(ts) {
		if ts[i] != '.' {
			out = append(out, ts[i])
		}
	}
	return string(out)
}
