package demo

import (
	"testing"
	"testing/fstest"
	"time"
)

func TestExpand(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 6, 30, 0, 0, time.UTC) // Nov 26, 22:30 in Los Angeles
	tests := []struct{ in, want string }{
		{"Date: {{date}}", "Date: Thu, 26 Nov 2026 22:30:00 -0800"},
		{"on or before {{+3}}.", "on or before November 29, 2026."},
		{"from {{-120}} through {{-30}}", "from July 29, 2026 through October 27, 2026"},
		{"{{+0}}", "November 26, 2026"},
		{"{{ +3 }} {{x}} {{+}}", "{{ +3 }} {{x}} {{+}}"},
	}
	for _, tt := range tests {
		if got := string(Expand([]byte(tt.in), now, la)); got != tt.want {
			t.Errorf("Expand(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLoadSamples(t *testing.T) {
	fsys := fstest.MapFS{
		"b.eml":     {Data: []byte("From: B <b@x.gov>\nSubject: two\nDate: {{date}}\n\nby {{+1}}\n")},
		"a.eml":     {Data: []byte("From: \"Agent A\" <a@x.gov>\nSubject: one\n\nhello\n")},
		"notes.txt": {Data: []byte("not a sample")},
		"sub/c.eml": {Data: []byte("From: c@x.gov\n\n")},
	}
	got, err := LoadSamples(fsys, time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "a.eml" || got[1].Name != "b.eml" {
		t.Fatalf("got %+v, want a.eml then b.eml", got)
	}
	if got[0].From != "a@x.gov" || got[0].Subject != "one" {
		t.Errorf("a.eml: got from %q subject %q", got[0].From, got[0].Subject)
	}
	if want := "From: B <b@x.gov>\nSubject: two\nDate: Mon, 02 Mar 2026 12:00:00 +0000\n\nby March 3, 2026\n"; string(got[1].Raw) != want {
		t.Errorf("b.eml: got %q, want %q", got[1].Raw, want)
	}
	if _, err := LoadSamples(fstest.MapFS{"bad.eml": {Data: []byte("From: nobody\n\n")}}, time.Now(), time.UTC); err == nil {
		t.Error("a sample without a From address loaded")
	}
}
