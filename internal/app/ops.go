package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/lebot-dev/lebot/internal/metrics"
	"github.com/lebot-dev/lebot/store"
)

// tokenChecker is what readiness needs of the Slack client.
type tokenChecker interface {
	TokenState() (ok bool, reason string)
}

// readyHandler answers 200 only when the store reads its data and Slack
// accepted the bot token (auth.test at start, and no call refused for the
// token since); 503 otherwise, with the reason in the body. Reasons name
// what is wrong, never a secret or an address.
func readyHandler(st store.Store, slack tokenChecker) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := st.Ping(ctx); err != nil { // a read of stored data, not just a ping
			reason := "store does not answer"
			if errors.Is(err, store.ErrCorrupt) {
				reason = "store data is damaged (see the log)"
			}
			http.Error(w, "not ready: "+reason, http.StatusServiceUnavailable)
			return
		}
		if slack != nil {
			if ok, reason := slack.TokenState(); !ok {
				http.Error(w, "not ready: "+reason, http.StatusServiceUnavailable)
				return
			}
		}
		io.WriteString(w, "ready\n")
	})
}

// opsRoutes registers GET /readyz and GET /metrics, and starts reading
// the outbox's depth, age and dead letters at each scrape.
func opsRoutes(st store.Store, slack tokenChecker, met *metrics.Metrics) func(*http.ServeMux) {
	met.WatchOutbox(func(ctx context.Context) (int, time.Time, int, error) {
		s, err := st.OutboxStats(ctx)
		return s.Depth, s.Oldest, s.DeadLetter, err
	}, 2*time.Second)
	return func(mux *http.ServeMux) {
		mux.Handle("GET /readyz", readyHandler(st, slack))
		mux.Handle("GET /metrics", met.Handler())
	}
}

// NewCLILogger is the logger of the one-off commands (jobs run, report,
// corpus export, store rekey): errors only. Their output is for the
// person at the terminal; the notices serve gives its operator (store
// mode, configuration hints, client retries) would only be noise there,
// and anything that fails is also returned and printed once by main.
func NewCLILogger(format string, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelError}
	var log *slog.Logger
	if format == "json" {
		log = slog.New(slog.NewJSONHandler(w, opts))
	} else {
		log = slog.New(slog.NewTextHandler(w, opts))
	}
	if _, ok := w.(*os.File); ok {
		redis.SetLogger(redisLogger{log}) // its warnings are filtered too
	}
	return log
}

// NewLogger is the process logger: text or JSON (LOG_FORMAT) on w.
// Lines about a request carry its id as "request"; nothing logs message
// text, addresses, phone numbers, tokens or secrets.
// When w is a file (the process's stderr, not a test's buffer), go-redis's
// own pool messages go through it too, so LOG_FORMAT=json output holds
// JSON lines only.
func NewLogger(format string, w io.Writer) *slog.Logger {
	var log *slog.Logger
	if format == "json" {
		log = slog.New(slog.NewJSONHandler(w, nil))
	} else {
		log = slog.New(slog.NewTextHandler(w, nil))
	}
	if _, ok := w.(*os.File); ok {
		redis.SetLogger(redisLogger{log})
	}
	return log
}

// redisLogger sends go-redis's internal messages (pool dial failures,
// reconnects) to slog. They name addresses and errors, never a password.
type redisLogger struct{ l *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.l.WarnContext(ctx, "redis client", "detail", fmt.Sprintf(format, v...))
}
