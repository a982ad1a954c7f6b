package jobs

import "testing"

func TestStageWords(t *testing.T) {
	for stage, want := range map[string]string{
		"due-3":           "3 business days before the deadline",
		"due-1":           "1 business day before the deadline",
		"due-0":           "on the day of the deadline",
		"overdue":         "after the deadline passed",
		"preservation-14": "14 days before the preservation's last day",
		"ndo-30":          "30 days before the NDO's last day",
		"ndo-end":         "after the NDO ended",
		"order-1":         "1 day before the order's last day",
	} {
		if got := stageWords(stage); got != want {
			t.Errorf("stageWords(%q) = %q, want %q", stage, got, want)
		}
	}
}
