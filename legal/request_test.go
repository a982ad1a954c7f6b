package legal

import (
	"sync"
	"testing"
	"time"
)

func TestParseKindAndStatus(t *testing.T) {
	kinds := []struct {
		in      string
		want    Kind
		wantErr bool
	}{
		{"pen_trap", KindPenTrap, false},
		{"unclassified", KindUnclassified, false},
		{"warrant", "", true},
	}
	for _, tt := range kinds {
		t.Run("kind "+tt.in, func(t *testing.T) {
			got, err := ParseKind(tt.in)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("ParseKind(%q) = %q, %v, want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
	statuses := []struct {
		in       string
		want     Status
		wantErr  bool
		wantOpen bool
	}{
		{"new", StatusNew, false, true},
		{"in_review", StatusInReview, false, true},
		{"deficient", StatusDeficient, false, true},
		{"producing", StatusProducing, false, true},
		{"responded", StatusResponded, false, false},
		{"rejected", StatusRejected, false, false},
		{"closed", StatusClosed, false, false},
		{"done", "", true, true},
	}
	for _, tt := range statuses {
		t.Run("status "+tt.in, func(t *testing.T) {
			got, err := ParseStatus(tt.in)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("ParseStatus(%q) = %q, %v, want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
			if err == nil && got.Open() != tt.wantOpen {
				t.Errorf("%s.Open() = %v, want %v", got, got.Open(), tt.wantOpen)
			}
		})
	}
}

func TestKindLabelsAndStandard(t *testing.T) {
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			if got := k.Label(); got == "" || got == string(k) {
				t.Errorf("Label(%s) = %q, want a readable label", k, got)
			}
			want := k != KindPreservation && k != KindEmergency && k != KindUnclassified
			if got := k.IsStandardProcess(); got != want {
				t.Errorf("%s.IsStandardProcess() = %v, want %v", k, got, want)
			}
		})
	}
}

func TestRequestKind(t *testing.T) {
	tests := []struct {
		name  string
		kinds []Kind
		want  Kind
	}{
		{"none", nil, KindUnclassified},
		{"first read", []Kind{KindCourtOrder, KindPenTrap}, KindCourtOrder},
		{"emergency first", []Kind{KindPreservation, KindEmergency}, KindEmergency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Request{Facts: Facts{Kinds: tt.kinds}}
			if got := r.Kind(); got != tt.want {
				t.Errorf("Kind() = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestCalendarConcurrent backs the doc comment's promise that a Calendar
// is safe for concurrent use; run with -race.
func TestCalendarConcurrent(t *testing.T) {
	c := laCalendar(t)
	received := time.Date(2026, time.November, 16, 10, 0, 0, 0, c.Location())
	want := c.ResponseDue(received)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if got := c.ResponseDue(received); !got.Equal(want) {
					t.Errorf("concurrent ResponseDue = %s, want %s", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestNewCalendarNilLocation(t *testing.T) {
	c := NewCalendar(nil)
	if c.Location() != time.UTC {
		t.Errorf("Location() = %s, want UTC", c.Location())
	}
}

func TestStatusLabel(t *testing.T) {
	tests := map[Status]string{StatusNew: "New", StatusInReview: "In review", StatusProducing: "Producing", "": ""}
	for st, want := range tests {
		if got := st.Label(); got != want {
			t.Errorf("%q.Label() = %q, want %q", st, got, want)
		}
	}
}
