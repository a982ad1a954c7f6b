package legal

import (
	"slices"
	"testing"
)

func TestRecordLabelsAndContent(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Records {
		l := r.Label()
		if l == "" || l == string(r) {
			t.Errorf("%s: got label %q, want words a person reads", r, l)
		}
		if seen[l] {
			t.Errorf("%s: label %q used twice", r, l)
		}
		seen[l] = true
	}
	var content []Record
	for _, r := range Records {
		if r.IsContent() {
			content = append(content, r)
		}
	}
	want := []Record{RecordMessageContent, RecordVoicemail, RecordRecordings, RecordInterception}
	if !slices.Equal(content, want) {
		t.Errorf("content categories: got %v, want %v", content, want)
	}
}

func TestSortRecords(t *testing.T) {
	got := SortRecords([]Record{RecordVoicemail, "colour", RecordSubscriber, RecordVoicemail})
	if want := []Record{RecordSubscriber, RecordVoicemail}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := RecordLabels([]Record{RecordCallDetail}); !slices.Equal(got, []string{"call detail records"}) {
		t.Errorf("labels: got %v", got)
	}
}
