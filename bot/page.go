package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/lebot-dev/lebot/bot/email"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/bot/pagerduty"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// The outbox kinds of paging. Each handler re-reads the request right
// before it sends and sends nothing for an acknowledged or finished
// request, so a page queued before an ack never goes out after it.
const (
	KindPageDM     = "page.dm"     // PagePayload: DM each member of the level
	KindPageThread = "page.thread" // PagePayload: alert in the card's thread, broadcast
	KindPagerDuty  = "pagerduty"   // PagerDutyPayload: trigger, acknowledge or resolve
	KindEmail      = "email"       // EmailPayload: an e-mail (a page, or any text)
	KindPageAcked  = "page.acked"  // PagePayload: mark the request's page DMs acknowledged (or stood down)
)

// Page describes one escalation step.
type Page struct {
	Step    int      `json:"step"`             // 0-based escalation step
	Level   int      `json:"level"`            // 1-based level paged
	Levels  int      `json:"levels"`           // how many levels there are
	Round   int      `json:"round"`            // 1-based round through the levels
	Rounds  int      `json:"rounds"`           // ESCALATION_REPEAT
	Targets []string `json:"targets"`          // user (U…/W…) and user group (S…) ids
	Final   bool     `json:"final,omitempty"`  // nobody answered: alert the channel with @here
	By      string   `json:"by,omitempty"`     // who paged by hand (/legal page), "" for lebot
	Next    string   `json:"next,omitempty"`   // when the next level is paged, for the text ("5m")
	Reason  string   `json:"reason,omitempty"` // why nobody is paged ("no on-call levels")
}

// PagePayload is the payload of page.dm, page.thread and page.acked.
type PagePayload struct {
	RequestID string `json:"request_id"`
	Page      Page   `json:"page"`
}

// PagerDutyPayload is the payload of a pagerduty item.
type PagerDutyPayload struct {
	RequestID string `json:"request_id"`
	Action    string `json:"action"` // trigger, acknowledge, resolve
	Page      Page   `json:"page"`
}

// EmailPayload is the payload of an email item: either a page (Page set:
// the addresses of Page.Targets and the text are worked out when it is
// sent) or a finished message (To, Subject, Text).
type EmailPayload struct {
	RequestID string   `json:"request_id,omitempty"`
	Page      *Page    `json:"page,omitempty"`
	To        []string `json:"to,omitempty"`
	Subject   string   `json:"subject,omitempty"`
	Text      string   `json:"text,omitempty"`
}

// PageItems are the outbox items of one escalation step: the DMs, the
// thread alert, and the PagerDuty trigger and e-mail when enabled. A final
// step (nobody answered) is only the @here alert and the trigger.
func PageItems(requestID string, pg Page, pagerDuty, email bool) []store.OutboxItem {
	pp := PagePayload{requestID, pg}
	var items []store.OutboxItem
	if !pg.Final && len(pg.Targets) > 0 {
		items = append(items, item(KindPageDM, requestID, pp))
	}
	items = append(items, item(KindPageThread, requestID, pp))
	if pagerDuty {
		items = append(items, PagerDutyItem(requestID, "trigger", pg))
	}
	if email && !pg.Final && len(pg.Targets) > 0 {
		items = append(items, item(KindEmail, requestID, EmailPayload{RequestID: requestID, Page: &pg}))
	}
	return items
}

// PagerDutyItem is a PagerDuty event for a request (dedup key: its id).
func PagerDutyItem(requestID, action string, pg Page) store.OutboxItem {
	return item(KindPagerDuty, requestID, PagerDutyPayload{requestID, action, pg})
}

// StandDownItems are what correcting a paged request out of being an
// emergency sends: the PagerDuty resolve (when enabled) and the update of
// the page DMs, which then say paging has stopped.
func StandDownItems(requestID string, pagerDuty bool) []store.OutboxItem {
	items := []store.OutboxItem{item(KindPageAcked, requestID, PagePayload{RequestID: requestID})}
	if pagerDuty {
		items = append(items, PagerDutyItem(requestID, "resolve", Page{}))
	}
	return items
}

// AckItems are what an acknowledgement sends: the PagerDuty acknowledge
// (when enabled) and the update of the page DMs.
func AckItems(requestID string, pagerDuty bool) []store.OutboxItem {
	items := []store.OutboxItem{item(KindPageAcked, requestID, PagePayload{RequestID: requestID})}
	if pagerDuty {
		items = append(items, PagerDutyItem(requestID, "acknowledge", Page{}))
	}
	return items
}

// EmailItem is an outbox item that sends a finished e-mail (the digest
// uses it); requestID may be "".
func EmailItem(requestID string, m email.Mail) store.OutboxItem {
	return item(KindEmail, requestID, EmailPayload{RequestID: requestID, To: m.To, Subject: m.Subject, Text: m.Text})
}

// PageStore is the part of the store paging uses; store.Store satisfies
// it. Implementations are safe for concurrent use and honour ctx.
type PageStore interface {
	GetRequest(ctx context.Context, id string) (*legal.Request, error)
	Audit(ctx context.Context, id string) ([]store.AuditEntry, error)
	AppendAudit(ctx context.Context, e store.AuditEntry) error
	Enqueue(ctx context.Context, items ...store.OutboxItem) error
	OnCall(ctx context.Context) (store.OnCall, error)
}

var _ PageStore = store.Store(nil)

// PagerDutySender sends PagerDuty events; *pagerduty.Client is one.
type PagerDutySender interface {
	Send(ctx context.Context, ev pagerduty.Event) error
}

var _ PagerDutySender = (*pagerduty.Client)(nil)

// PagerConfig configures a Pager.
type PagerConfig struct {
	Slack     *Slack          // required
	Store     PageStore       // required
	PagerDuty PagerDutySender // nil: no PagerDuty events
	Mailer    MailSender      // nil: no e-mail
	Logger    *slog.Logger
	Now       func() time.Time
}

// Pager sends pages: it handles the page.*, pagerduty and email outbox
// kinds. It is safe for concurrent use.
type Pager struct {
	sl   *Slack
	st   PageStore
	pd   PagerDutySender
	mail MailSender
	log  *slog.Logger
	now  func() time.Time
}

// NewPager validates cfg and fills its defaults.
func NewPager(cfg PagerConfig) (*Pager, error) {
	if cfg.Slack == nil || cfg.Store == nil {
		return nil, errors.New("bot: pager needs Slack and a store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Pager{sl: cfg.Slack, st: cfg.Store, pd: cfg.PagerDuty, mail: cfg.Mailer, log: cfg.Logger, now: cfg.Now}, nil
}

// Register registers the paging kinds with d.
func (p *Pager) Register(d *outbox.Dispatcher) {
	Handle(d, KindPageDM, "slack", p.SendDM)
	Handle(d, KindPageThread, "slack", p.SendThreadAlert)
	Handle(d, KindPagerDuty, "pagerduty", p.SendPagerDuty)
	Handle(d, KindEmail, "email", p.SendEmail)
	Handle(d, KindPageAcked, "slack", p.SendAcked)
}

// current re-reads the request right before a page goes out. It returns
// nil (send nothing) when the request is acknowledged or finished.
func (p *Pager) current(ctx context.Context, it store.OutboxItem, id string) (*legal.Request, error) {
	if it.RequestID != "" {
		id = it.RequestID
	}
	req, err := p.st.GetRequest(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, outbox.Permanent(err)
	}
	if err != nil {
		return nil, fmt.Errorf("re-read %s before paging: %w", id, err)
	}
	if req.AckedBy != "" || !req.Status.Open() {
		p.log.Info("page not sent: request acknowledged or finished", "request", req.ID, "kind", it.Kind)
		return nil, nil
	}
	return req, nil
}

// audit appends a paging entry to the request's trail.
func (p *Pager) audit(ctx context.Context, id, action, after, note string) error {
	err := p.st.AppendAudit(ctx, store.AuditEntry{RequestID: id, At: p.now(), Actor: "lebot",
		Action: action, After: after, Note: note})
	if err != nil {
		return fmt.Errorf("audit %s of %s: %w", action, id, err)
	}
	return nil
}
