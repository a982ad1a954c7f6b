package bot

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/lebot-dev/lebot/bot/email"
	"github.com/lebot-dev/lebot/bot/outbox"
	"github.com/lebot-dev/lebot/store"
)

// MailSender sends one e-mail; *email.Mailer is one.
type MailSender interface {
	Send(ctx context.Context, m email.Mail) error
}

var _ MailSender = (*email.Mailer)(nil)

// RegisterDigestMail registers the digest e-mail kind with d. Register it
// whenever digests may carry e-mail (DIGEST_EMAILS and OUTBOUND_SMTP_URL
// set). A relay cannot be asked whether a message already went, so a
// retry after a lost answer may deliver it twice: this is the one sender
// without FindThenSend.
func RegisterDigestMail(d *outbox.Dispatcher, m MailSender) {
	d.Handle(KindDigestMail, "email", func(ctx context.Context, it store.OutboxItem) error {
		var p DigestMailPayload
		if err := json.Unmarshal(it.Payload, &p); err != nil || len(p.To) == 0 {
			return outbox.Permanent(fmt.Errorf("outbox item %s: bad digest mail payload: %v", it.ID, err))
		}
		return m.Send(ctx, email.Mail{To: p.To, Subject: p.title(), Text: DigestText(p.DigestPayload)})
	})
}
