package legal

import (
	"testing"
	"time"
)

func TestStartPaging(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		req  Request
		want bool
	}{
		{"emergency kind", Request{Facts: Facts{Kinds: []Kind{KindEmergency}}}, true},
		{"read as exigent", Request{Facts: Facts{Kinds: []Kind{KindSubpoena}, Exigent: true}}, true},
		{"not an emergency", Request{Facts: Facts{Kinds: []Kind{KindSubpoena}}}, false},
		{"closed", Request{Status: StatusClosed, Facts: Facts{Kinds: []Kind{KindEmergency}}}, false},
		{"acknowledged", Request{AckedBy: "U1", Facts: Facts{Kinds: []Kind{KindEmergency}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.req
			if got := StartPaging(&r, at); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			if scheduled := r.NextEscalation.Equal(at) && r.EscalationStep == 0; scheduled != tt.want {
				t.Errorf("first step at %v (step %d): scheduled %v, want %v", r.NextEscalation, r.EscalationStep, scheduled, tt.want)
			}
			if Paged(&r) != (tt.want || tt.req.AckedBy != "") {
				t.Errorf("Paged: got %v", Paged(&r))
			}
		})
	}
}
