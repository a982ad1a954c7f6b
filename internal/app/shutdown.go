package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// The shutdown budget: SIGTERM to exit stays under 10s (what a platform
// such as Heroku waits before SIGKILL), split across the steps.
const (
	// stopListeners bounds the SMTP sessions and HTTP requests in flight,
	// Socket Mode, and the jobs releasing their locks.
	stopListeners = 5 * time.Second
	// stopSlackWork bounds work continued after a Slack ack.
	stopSlackWork = 6 * time.Second
	// stopOutbox bounds the outbox item in hand; one cut off is sent
	// again (sends are idempotent) once its lease ends.
	stopOutbox = 7500 * time.Millisecond
)

// serve runs the listeners and the dispatcher until ctx ends or one of
// them fails, then shuts everything down within the budget; stops are
// the background loops (the jobs engine) to end with the listeners.
func (a *App) serve(ctx context.Context, stops ...func(context.Context)) error {
	log, disp, sw := a.log, a.disp, a.slack
	smtpSrv, smtpLn, httpSrv, httpLn := a.smtp, a.smtpLn, a.http, a.httpLn
	failed := make(chan error, 3)
	go func() { failed <- smtpSrv.Serve(smtpLn) }()
	go func() {
		if err := httpSrv.Serve(httpLn); !errors.Is(err, http.ErrServerClosed) {
			failed <- err
		}
	}()
	socketCtx, stopSocket := context.WithCancel(context.WithoutCancel(ctx))
	var socketWG sync.WaitGroup
	if sw.socket != nil {
		socketWG.Go(func() {
			if err := sw.server.RunSocketMode(socketCtx, sw.socket); err != nil {
				failed <- err
			}
		})
	}
	dispCtx, stopDisp := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { disp.Run(dispCtx) })

	var runErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case runErr = <-failed:
		log.Error("listener failed; shutting down", "err", runErr)
	}
	begun := time.Now()
	sctx, cancel := context.WithDeadline(context.Background(), begun.Add(stopListeners))
	defer cancel()
	var shutWG sync.WaitGroup
	for _, stop := range stops {
		shutWG.Go(func() { stop(sctx) })
	}
	shutWG.Go(func() {
		if err := smtpSrv.Shutdown(sctx); err != nil {
			log.Warn("smtp shutdown", "err", err)
		}
	})
	shutWG.Go(func() {
		if err := httpSrv.Shutdown(sctx); err != nil {
			log.Warn("http shutdown", "err", err)
		}
	})
	shutWG.Go(func() {
		stopSocket()
		socketWG.Wait()
	})
	shutWG.Wait()
	wctx, wcancel := context.WithDeadline(context.Background(), begun.Add(stopSlackWork))
	defer wcancel()
	sw.wait(wctx, log)
	stopDisp()
	if !waitUntil(&wg, begun.Add(stopOutbox)) {
		log.Warn("outbox item still sending at shutdown; it is sent again after its lease")
	}
	log.Info("stopped", "took", time.Since(begun).Round(time.Millisecond))
	if runErr != nil {
		return fmt.Errorf("serve: %w", runErr)
	}
	return nil
}

// waitUntil waits for wg until deadline; false when it had to give up.
func waitUntil(wg *sync.WaitGroup, deadline time.Time) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}
