package demo

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/internal/app"
	"github.com/lebot-dev/lebot/legal"
)

// demoSession is the demo's side of the conversation: mail in, commands.
type demoSession struct {
	opt    Options
	out    *Printer
	cmd    *Commander
	srv    *demoServe
	getenv func(string) string
	log    io.Writer
	loc    *time.Location
}

// mailSamples mails each sample to the intake and waits for its 250.
func (d *demoSession) mailSamples(ctx context.Context) error {
	fsys := d.opt.Builtin
	if d.opt.Samples != "" {
		fsys = os.DirFS(d.opt.Samples)
	}
	samples, err := LoadSamples(fsys, time.Now(), d.loc)
	if err != nil {
		return fmt.Errorf("demo samples: %w", err)
	}
	for _, s := range samples {
		if err := d.mail(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func (d *demoSession) mail(ctx context.Context, s Sample) error {
	mctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := Mail(mctx, d.opt.SMTP, inbox, s); err != nil {
		return err
	}
	d.out.Line("✉ mailed %s from %s (%q): 250 accepted", s.Name, s.From, s.Subject)
	return nil
}

// readCommands handles stdin lines until EOF, "quit" or ctx ends.
func (d *demoSession) readCommands(ctx context.Context, stdin io.Reader) {
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdin)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case line, ok := <-lines:
			if !ok || !d.handle(ctx, strings.TrimSpace(line)) {
				return
			}
		}
	}
}

// handle acts on one line; false means stop.
func (d *demoSession) handle(ctx context.Context, line string) bool {
	switch {
	case line == "":
	case line == "quit" || line == "exit":
		return false
	case line == "help" || line == "?":
		d.out.Line("%s", help)
	case line == "remind" || strings.HasPrefix(line, "remind "):
		if err := d.remind(ctx, strings.TrimSpace(strings.TrimPrefix(line, "remind"))); err != nil {
			d.out.Line("✗ remind: %v", err)
			return ctx.Err() == nil && d.srv.cancel != nil
		}
	case strings.HasPrefix(line, "mail "):
		name := strings.TrimSpace(strings.TrimPrefix(line, "mail "))
		raw, err := os.ReadFile(name)
		if err == nil {
			var s Sample
			if s, err = NewSample(filepath.Base(name), Expand(raw, time.Now(), d.loc)); err == nil {
				err = d.mail(ctx, s)
			}
		}
		if err != nil {
			d.out.Line("✗ %v", err)
		}
	case strings.HasPrefix(line, "/"):
		rep, err := d.cmd.Send(ctx, line)
		switch {
		case err != nil:
			d.out.Line("✗ %v", err)
		case rep.Text == "" && len(rep.Blocks) == 0:
			d.out.Line("← lebot acknowledged %s", line)
		default:
			who := "only you see this"
			if rep.InChannel {
				who = "in #legal"
			}
			d.out.Block(fmt.Sprintf("← lebot replied to %s (%s):", line, who), rep.Lines())
		}
	default:
		d.out.Line("? type a /legal command, or help")
	}
	return true
}

// settle waits until the stand-in has seen no Slack call for opt.Settle
// (at most 15 s), so work started by the last command shows before exit.
func (d *demoSession) settle(sl *Slack) {
	deadline := time.Now().Add(15 * time.Second)
	n, quietSince := len(sl.Calls()), time.Now()
	for time.Now().Before(deadline) && time.Since(quietSince) < d.opt.Settle {
		time.Sleep(50 * time.Millisecond)
		if m := len(sl.Calls()); m != n {
			n, quietSince = m, time.Now()
		}
	}
}

// remind runs `lebot jobs run reminders --at WHEN` on the demo's store,
// so reminders that the live schedule would send on a later day show
// now. The embedded store is one process's, so serve is stopped for the
// run and started again.
func (d *demoSession) remind(ctx context.Context, when string) error {
	at, err := remindAt(when, time.Now(), d.loc)
	if err != nil {
		return err
	}
	d.out.Line("⏱ running the reminders as of %s (lebot jobs run reminders --at %s; serve pauses meanwhile)",
		legal.TimeLabel(at, at.Location()), at.Format(time.RFC3339))
	if err := d.srv.stop(); err != nil {
		return fmt.Errorf("stop serve: %w", err)
	}
	var buf bytes.Buffer
	runErr := app.RunJob(ctx, d.getenv, app.JobOptions{Name: "reminders", At: at}, &buf, d.log)
	d.out.Block("⏱ the reminders job said:", strings.Split(strings.TrimSpace(buf.String()), "\n"))
	if err := d.srv.start(ctx); err != nil {
		return fmt.Errorf("restart serve: %w", err)
	}
	return runErr
}

// remindAt reads when to run the reminders: "" is tomorrow, "+Nd" N days
// from today, both at 09:00 (when reminders fall); a date is 09:00 on
// it; RFC 3339 is that instant.
func remindAt(when string, now time.Time, loc *time.Location) (time.Time, error) {
	nine := func(t time.Time) time.Time {
		y, m, d := t.In(loc).Date()
		return time.Date(y, m, d, 9, 0, 0, 0, loc)
	}
	switch {
	case when == "":
		return nine(now.AddDate(0, 0, 1)), nil
	case strings.HasPrefix(when, "+") && strings.HasSuffix(when, "d"):
		n, err := strconv.Atoi(when[1 : len(when)-1])
		if err != nil || n < 0 || n > 3660 {
			break
		}
		return nine(now.AddDate(0, 0, n)), nil
	}
	if t, err := time.ParseInLocation("2006-01-02", when, loc); err == nil {
		return nine(t), nil
	}
	if t, err := time.Parse(time.RFC3339, when); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("want +Nd, YYYY-MM-DD or RFC 3339, got %q", when)
}
