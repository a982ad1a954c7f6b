package bot

import "testing"

// TestEscRemovesHiddenCharacters: mrkdwn escaping is the second layer
// against hidden text: whatever reaches a card loses its direction
// overrides and zero-width characters, on top of the escaping of <>&.
func TestEscRemovesHiddenCharacters(t *testing.T) {
	if got, want := esc("invoice\u202Efdp.exe <!channel> & f\u200Bbi\u00AD.gov"), "invoicefdp.exe &lt;!channel&gt; &amp; fbi.gov"; got != want {
		t.Errorf("esc: got %+q, want %+q", got, want)
	}
}
