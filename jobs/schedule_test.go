package jobs

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/robfig/cron/v3"
)

// TestSchedules checks the default specs' next runs in TIMEZONE with
// Schedule.Next, across a weekend and the start of daylight saving time.
func TestSchedules(t *testing.T) {
	tests := []struct {
		name, spec string
		from, want time.Time
	}{
		{"reminders every 15 minutes", "*/15 * * * *", at(2026, 3, 2, 8, 7), at(2026, 3, 2, 8, 15)},
		{"reminders on the hour", "*/15 * * * *", at(2026, 3, 2, 8, 45), at(2026, 3, 2, 9, 0)},
		{"digest next weekday morning", "0 8 * * 1-5", at(2026, 3, 2, 8, 0), at(2026, 3, 3, 8, 0)},
		{"digest skips the weekend", "0 8 * * 1-5", at(2026, 3, 6, 9, 0), at(2026, 3, 9, 8, 0)},
		{"digest after DST starts is 08:00 PDT", "0 8 * * 1-5", at(2026, 3, 7, 12, 0), time.Date(2026, 3, 9, 15, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := cron.ParseStandard(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Next(tt.from); !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLastMoments(t *testing.T) {
	s, _ := cron.ParseStandard("0 8 * * 1-5")
	tests := []struct {
		name            string
		now, last, prev time.Time
	}{
		{"at the moment", at(2026, 3, 3, 8, 0), at(2026, 3, 3, 8, 0), at(2026, 3, 2, 8, 0)},
		{"before today's", at(2026, 3, 3, 7, 59), at(2026, 3, 2, 8, 0), at(2026, 2, 27, 8, 0)},
		{"Monday looks back to Friday", at(2026, 3, 9, 9, 0), at(2026, 3, 9, 8, 0), at(2026, 3, 6, 8, 0)},
		{"weekend", at(2026, 3, 8, 12, 0), at(2026, 3, 6, 8, 0), at(2026, 3, 5, 8, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			last, prev, ok := lastMoments(s, tt.now, la)
			if !ok || !last.Equal(tt.last) || !prev.Equal(tt.prev) {
				t.Errorf("got %v, %v, %v, want %v, %v", last, prev, ok, tt.last, tt.prev)
			}
		})
	}
}

// memLocker is an in-process lock table (synctest cannot use Redis).
type memLocker struct {
	mu    sync.Mutex
	owner map[string]string
}

func (m *memLocker) AcquireLock(_ context.Context, name, owner string, _ time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if o, ok := m.owner[name]; ok && o != owner {
		return false, nil
	}
	m.owner[name] = owner
	return true, nil
}

func (m *memLocker) ReleaseLock(_ context.Context, name, owner string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.owner[name] == owner {
		delete(m.owner, name)
	}
	return nil
}

func TestRunner(t *testing.T) {
	ctx := context.Background()
	lk := &memLocker{owner: map[string]string{"job:held": "other"}}
	r, err := NewRunner(lk, "me", time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := at(2026, 3, 2, 9, 0)
	tests := []struct {
		name    string
		job     string
		fn      TickFunc
		wantRan bool
		wantErr string
	}{
		{"runs with the time given", "ok", func(ctx context.Context, got time.Time) error {
			if !got.Equal(now) {
				t.Errorf("got now %v, want %v", got, now)
			}
			if _, ok := ctx.Deadline(); !ok {
				t.Error("job context has no deadline")
			}
			return nil
		}, true, ""},
		{"another replica holds the lock", "held", func(context.Context, time.Time) error {
			t.Error("ran while another replica held the lock")
			return nil
		}, false, ""},
		{"a panic is an error", "boom", func(context.Context, time.Time) error { panic("boom") }, true, "job boom panicked: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran, err := r.Run(ctx, tt.job, now, tt.fn)
			if ran != tt.wantRan || (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("got ran=%v err=%v, want ran=%v err %q", ran, err, tt.wantRan, tt.wantErr)
			}
			if o := lk.owner["job:"+tt.job]; o == "me" {
				t.Errorf("lock job:%s still held after the run", tt.job)
			}
		})
	}
}

// TestSchedulerRuns runs the real cron scheduler on synctest's fake
// clock: a 15-minute job runs at start and 4 times an hour, a panicking
// job does not stop the others, and a job still running is skipped, not
// stacked.
func TestSchedulerRuns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, _ := NewRunner(&memLocker{owner: map[string]string{}}, "me", time.Hour, nil)
		var reminders, panics, slow, kicks atomic.Int32
		s, err := NewScheduler(SchedulerConfig{Location: la, Runner: r, AfterRun: func() { kicks.Add(1) },
			Entries: []Entry{
				{Name: "reminders", Spec: "*/15 * * * *", AtStart: true, Tick: func(context.Context, time.Time) error {
					reminders.Add(1)
					return nil
				}},
				{Name: "boom", Spec: "*/15 * * * *", Tick: func(context.Context, time.Time) error {
					panics.Add(1)
					panic("boom")
				}},
				{Name: "slow", Spec: "@every 1m", Tick: func(ctx context.Context, _ time.Time) error {
					slow.Add(1)
					time.Sleep(150 * time.Second) // runs over two of its ticks
					return nil
				}},
			}})
		if err != nil {
			t.Fatal(err)
		}
		s.Start()
		time.Sleep(61 * time.Minute)
		synctest.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		s.Stop(ctx)
		if got := reminders.Load(); got != 5 {
			t.Errorf("reminders ran %d times, want 5 (start + 4)", got)
		}
		if got := panics.Load(); got != 4 {
			t.Errorf("panicking job ran %d times, want 4", got)
		}
		if got := slow.Load(); got < 15 || got > 25 {
			t.Errorf("slow job ran %d times in 61 minutes, want about 20 (skipped while running)", got)
		}
		if kicks.Load() < 5 {
			t.Errorf("got %d kicks, want one per successful run", kicks.Load())
		}
	})
}

func TestNewSchedulerBadSpec(t *testing.T) {
	r, _ := NewRunner(&memLocker{owner: map[string]string{}}, "me", 0, nil)
	_, err := NewScheduler(SchedulerConfig{Location: la, Runner: r,
		Entries: []Entry{{Name: "digest", Spec: "0 8 * *", Tick: func(context.Context, time.Time) error { return nil }}}})
	if err == nil || !strings.Contains(err.Error(), "digest schedule") {
		t.Errorf("got %v, want an error naming the digest schedule", err)
	}
}
