package fakeslack

import (
	"testing"
	"time"
)

// TestAckTimeoutDefault: unless a test shortens it, the fake waits for an
// ack exactly as long as Slack does, 3 seconds, so lebot's acks are held
// to the real deadline everywhere else.
func TestAckTimeoutDefault(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.socket.ackTimeout(); got != 3*time.Second || AckTimeout != 3*time.Second {
		t.Errorf("got %v (AckTimeout %v), want Slack's 3s", got, AckTimeout)
	}
}
