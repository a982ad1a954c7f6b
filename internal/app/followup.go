package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/lebot-dev/lebot/bot"
	"github.com/lebot-dev/lebot/intake"
	"github.com/lebot-dev/lebot/intake/triage"
	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/store"
)

// Follow-ups: mail that continues a request's thread joins the request
// instead of making a card of its own. A message is a follow-up of a
// request when its In-Reply-To or References name the request's
// Message-ID, a notice lebot sent about it or an earlier follow-up, or
// its subject carries the request's id ("[LE-2026-0042]"); and, either
// way, it comes from the request's own domain. Mail that names a request
// but comes from elsewhere only looks related: it gets its own card, and
// both threads say so.

// maxReferences bounds the Message-IDs of a References header looked up
// (the newest are last, so those are kept).
const maxReferences = 20

var (
	msgIDRE   = regexp.MustCompile(`<([^<>\s]{1,500})>`)
	subjectID = regexp.MustCompile(`\[(LE-\d{4}-\d{4,9})\]`)
)

// related is what a message says about the requests it continues.
type related struct {
	refs []string // In-Reply-To first, then References newest first
	id   string   // the request id in its subject, "" when none
}

// relatedOf reads the headers of raw that tie it to a request. Only the
// header block is read; a message without one relates to nothing.
func relatedOf(raw []byte, subject string) related {
	var r related
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		for _, v := range msgIDRE.FindAllStringSubmatch(m.Header.Get("In-Reply-To"), maxReferences) {
			r.refs = append(r.refs, v[1])
		}
		refs := msgIDRE.FindAllStringSubmatch(m.Header.Get("References"), -1)
		for i := len(refs) - 1; i >= 0 && len(r.refs) < 2*maxReferences; i-- {
			r.refs = append(r.refs, refs[i][1])
		}
	}
	if m := subjectID.FindStringSubmatch(strings.ToUpper(subject)); m != nil {
		r.id = m[1]
	}
	return r
}

// target finds the request m continues, and whether its sender may join
// it: the request (nil when m names none) and whether the domains match.
func (s StoreSink) target(ctx context.Context, m intake.Accepted) (*legal.Request, bool, error) {
	rel := relatedOf(m.Raw, m.Request.Subject)
	var req *legal.Request
	for _, ref := range rel.refs {
		if ref == m.MessageID {
			continue
		}
		id, err := s.Store.ThreadOf(ctx, ref)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err == nil {
			req, err = s.Store.GetRequest(ctx, id)
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, false, err
		}
		if req != nil {
			break
		}
	}
	if req == nil && rel.id != "" {
		r, err := s.Store.GetRequest(ctx, rel.id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, false, err
		}
		req = r
	}
	if req == nil || (m.MessageID != "" && req.MessageID == m.MessageID) {
		return nil, false, nil
	}
	return req, sameOrganization(senderDomain(&m.Request), senderDomain(req)), nil
}

// senderDomain is the domain r came from, lower case.
func senderDomain(r *legal.Request) string {
	if d := r.Facts.SenderDomain; d != "" {
		return strings.ToLower(d)
	}
	_, d, _ := strings.Cut(strings.ToLower(r.From), "@")
	return d
}

// sameOrganization reports whether two sender domains belong to one
// registrable domain ("ic.fbi.gov" and "fbi.gov"); empty domains match
// nothing.
func sameOrganization(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	oa, err1 := publicsuffix.EffectiveTLDPlusOne(a)
	ob, err2 := publicsuffix.EffectiveTLDPlusOne(b)
	return err1 == nil && err2 == nil && oa == ob
}

// join stores m as a follow-up of req: its raw message with the request,
// what it newly satisfies of the checklist, a card update, a line in the
// thread (announced in the channel for an emergency; nobody is paged
// again) and the message as .eml. A message joined before returns the
// request unchanged and added false.
func (s StoreSink) join(ctx context.Context, req *legal.Request, m intake.Accepted) (_ *legal.Request, added bool, _ error) {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	for attempt := 0; ; attempt++ {
		n := len(req.FollowUps) + 1
		fu := legal.FollowUp{At: m.ReceivedAt, On: legal.DateOf(m.ReceivedAt.In(loc)), MessageID: m.MessageID,
			From: strings.ToLower(m.Request.From), Subject: m.Request.Subject, RawID: store.FollowUpRawID(req.ID, n)}
		emergency := req.Kind() == legal.KindEmergency && req.Status.Open()
		// Announced in the channel: news on an open emergency, and any
		// word on a request the team considers done.
		announce := emergency || !req.Status.Open()
		met := legal.JoinFollowUp(req, fu, s.readFollowUp(m, req.Kind() == legal.KindEmergency))
		text := bot.FollowUpText(req, fu, met, m.ReceivedAt.In(loc), emergency)
		name := fmt.Sprintf("%s-follow-up-%d.eml", req.ID, n)
		items := []store.OutboxItem{bot.CardUpdateItem(req.ID), bot.ThreadItem(req.ID, text, announce),
			bot.EmlItem(bot.EmlPayload{RequestID: req.ID, RawID: fu.RawID, Name: name, Title: "Follow-up " + name})}
		note := bot.SourceWords(m.Source)
		if len(met) > 0 {
			note += "; now met: " + itemLabels(met)
		}
		var err error
		added, err = s.Store.AddFollowUp(ctx, req, store.FollowUpMessage{MessageID: m.MessageID, Raw: m.Raw},
			store.AuditEntry{At: m.ReceivedAt, Actor: m.Source, Action: "follow_up", Note: note}, items...)
		if errors.Is(err, store.ErrConflict) && attempt < 5 {
			if req, err = s.Store.GetRequest(ctx, req.ID); err != nil {
				return nil, false, err
			}
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if !added {
			req, err := s.Store.GetRequest(ctx, req.ID)
			return req, false, err
		}
		if s.Kick != nil {
			s.Kick()
		}
		return req, true, nil
	}
}

// readFollowUp reads what m adds to a request: its own words and files,
// not what it quotes (triage.ReadFollowUpMessage), from what intake read
// of it: its attachments are not read a second time. A message intake
// could not read adds nothing; it is kept all the same, for a person to
// read.
func (s StoreSink) readFollowUp(m intake.Accepted, emergency bool) (f legal.Facts) {
	if m.Message == nil {
		return legal.Facts{}
	}
	defer func() {
		if recover() != nil { // hostile input: intake read it already, under the same guard
			f = legal.Facts{}
		}
	}()
	opts := s.Triage
	opts.ReceivedAt, opts.Location = m.ReceivedAt, s.Location
	return triage.ReadFollowUpMessage(m.Message, m.Request.Verification, opts, emergency)
}

func itemLabels(items []legal.ItemID) string {
	ss := make([]string, len(items))
	for i, it := range items {
		ss[i] = it.Label()
	}
	return strings.Join(ss, "; ")
}
