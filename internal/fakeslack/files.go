package fakeslack

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// File is an uploaded file.
type File struct {
	ID       string
	Name     string
	Title    string
	Content  []byte
	Channel  string // where it was shared ("" while not completed)
	ThreadTS string
	AltTxt   string // the image's description for screen readers
}

// Files returns the files shared in channel, in order.
func (s *Server) Files(channel string) []File {
	var out []File
	for _, m := range s.Messages(channel) {
		out = append(out, m.Files...)
	}
	return out
}

func (s *Server) getUploadURL(req *request) (any, string) {
	p := req.params
	size, _ := strconv.Atoi(p.Get("length"))
	if p.Get("filename") == "" || size <= 0 {
		return nil, "invalid_arguments"
	}
	if utf8.RuneCountInString(p.Get("alt_txt")) > 1000 {
		return nil, "invalid_arguments"
	}
	f := &File{ID: s.nextID("F"), Name: p.Get("filename"), AltTxt: p.Get("alt_txt")}
	s.uploads[f.ID] = f
	return map[string]any{"upload_url": s.base + "/upload/" + f.ID, "file_id": f.ID}, ""
}

// upload receives the file bytes at the URL files.getUploadURLExternal
// handed out (a multipart form with a "file" part, as slack-go sends).
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var content []byte
	if file, _, err := r.FormFile("file"); err == nil {
		content, _ = io.ReadAll(file)
		_ = file.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, Call{Method: "upload", Params: map[string][]string{"file_id": {id}}, At: s.now()})
	f, ok := s.uploads[id]
	if !ok {
		http.Error(w, "unknown upload", http.StatusNotFound)
		return
	}
	f.Content = content
	_, _ = io.WriteString(w, "OK - "+strconv.Itoa(len(content)))
}

// completeUpload shares uploaded files as one message in channel_id
// (in the thread of thread_ts when given).
func (s *Server) completeUpload(req *request) (any, string) {
	p := req.params
	var list []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(p.Get("files")), &list); err != nil || len(list) == 0 {
		return nil, "invalid_arguments"
	}
	m := &Message{Channel: p.Get("channel_id"), ThreadTS: p.Get("thread_ts"), Text: p.Get("initial_comment")}
	if m.Channel != "" {
		id, _, code := s.conversation(m.Channel)
		if code != "" {
			return nil, code
		}
		m.Channel = id
	}
	if m.ThreadTS != "" && s.lookup(m.Channel, m.ThreadTS) == nil {
		return nil, "thread_not_found"
	}
	var out []map[string]any
	for _, l := range list {
		f, ok := s.uploads[l.ID]
		if !ok || f.Content == nil {
			return nil, "file_not_found"
		}
		f.Title, f.Channel, f.ThreadTS = l.Title, m.Channel, m.ThreadTS
		m.Files = append(m.Files, *f)
		out = append(out, map[string]any{"id": f.ID, "title": f.Title})
	}
	if m.Channel != "" {
		m.TS = s.nextTS()
		s.messages = append(s.messages, m)
	}
	return map[string]any{"files": out}, ""
}
