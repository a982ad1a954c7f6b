package commands

import "testing"

// TestEscapeRemovesHiddenCharacters: replies escape outside text the way
// cards do, hidden characters included.
func TestEscapeRemovesHiddenCharacters(t *testing.T) {
	if got, want := escape("EMERGENCY \u2067tseuqer\u2069\u200B <@U1>"), "EMERGENCY tseuqer &lt;@U1&gt;"; got != want {
		t.Errorf("escape: got %+q, want %+q", got, want)
	}
}
