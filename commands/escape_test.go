package commands

import "testing"

// TestEscapeRemovesHiddenCharacters: replies escape outside text the way
// cards do, hidden characters included.
func TestEscapeRemovesHiddenCharacters(t *testing.T) {
	if got, want := escape("EMERGENCY \u2067tseuqer\u2069\u200B <!channel> <@U1\u202E>"), "EMERGENCY tseuqer &lt;!channel&gt; <@U1>"; got != want {
		t.Errorf("escape: got %+q, want %+q", got, want)
	}
}
