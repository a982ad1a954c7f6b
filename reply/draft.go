package reply

import (
	"net/mail"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// Data is what a template may use. It holds only what the agency itself
// sent or the company's guidelines say: never the identifiers, records
// or anything else about the customer, whether an NDO or customer notice
// applies, the team's notes or who works the request.
type Data struct {
	Company   string   // COMPANY_NAME
	RequestID string   // LE-2026-0042
	Subject   string   // the request's subject, as the agency wrote it
	AgentName string   // the agent's name as the request gives it; "" when none
	KindLabel string   // "subpoena", "emergency disclosure request", ...
	Received  string   // the day received: "Thu Dec 3, 2026"
	Due       string   // when the guidelines' response time ends (not for emergencies)
	Deadline  string   // the deadline the agency stated, "" when none
	Emergency bool     // an emergency request
	Missing   []string // each failed checklist item, in the guidelines' words
	// NeedsProcess: legal process is among what is missing.
	NeedsProcess bool
}

// Draft is an answer for a person to review before it is sent.
type Draft struct {
	Kind    Kind
	To      string // the address to answer; "" when the request has none
	Subject string
	Body    string
	// Warning, when set, is shown above the draft: the sender's domain is
	// not official, so the request should be verified by callback first.
	Warning string
}

// DataOf is the template data of r.
func DataOf(r *legal.Request, company string, cal *legal.Calendar) Data {
	loc := cal.Location()
	d := Data{Company: company, RequestID: r.ID, Subject: r.Subject, AgentName: r.Facts.Agent.Name,
		KindLabel: kindLabel(r), Received: r.ReceivedAt.In(loc).Format("Mon Jan 2, 2006"),
		Emergency: r.Kind() == legal.KindEmergency}
	if d.Company == "" {
		d.Company = "Our company"
	}
	switch {
	case d.Emergency:
	case !r.Due.IsZero():
		d.Due = r.Due.In(loc).Format("Mon Jan 2, 2006")
	case !r.ReceivedAt.IsZero():
		d.Due = cal.ResponseDue(r.ReceivedAt).In(loc).Format("Mon Jan 2, 2006")
	}
	if dl := r.Facts.Deadline; dl != nil && !dl.IsZero() {
		d.Deadline = dl.In(time.UTC).Format("Mon Jan 2, 2006")
	}
	for _, it := range legal.Missing(r.Checklist()) {
		if it == legal.ItemOfficialDomain {
			continue // not something a reply can supply; the team verifies by callback
		}
		d.Missing = append(d.Missing, it.Requirement())
		d.NeedsProcess = d.NeedsProcess || it == legal.ItemLegalProcess || it == legal.ItemWarrantForContent
	}
	return d
}

// kindLabel names the request as the agency would: "emergency
// disclosure request", "subpoena".
func kindLabel(r *legal.Request) string {
	switch k := r.Kind(); k {
	case legal.KindEmergency:
		return "emergency disclosure request"
	case legal.KindPreservation:
		return "preservation request"
	case legal.KindUnclassified:
		return "request"
	default:
		return strings.ToLower(k.Label())
	}
}

// NewDraft writes the draft of kind k answering r.
func NewDraft(ts *Templates, k Kind, r *legal.Request, company string, cal *legal.Calendar) (Draft, error) {
	body, err := ts.Render(k, DataOf(r, company, cal))
	if err != nil {
		return Draft{}, err
	}
	d := Draft{Kind: k, To: AddressOf(r), Subject: Subject(r), Body: body}
	if r.Unverified() {
		dom := r.Facts.SenderDomain
		if dom == "" {
			dom = "The sender's domain"
		}
		d.Warning = dom + " is not an official government domain, and no callback has confirmed the request. Verify it first: call the agency on a number you found yourself (not one in the mail) and record the call with /legal verify."
	}
	return d, nil
}

// AddressOf is the address an answer to r goes to: the agent's e-mail
// when it is at the sender's domain, else the address the request came
// from.
func AddressOf(r *legal.Request) string {
	agent, from := strings.ToLower(r.Facts.Agent.Email), strings.ToLower(r.From)
	if agent != "" && from != "" && domainOf(agent) == domainOf(from) {
		return agent
	}
	if from != "" {
		return from
	}
	return agent
}

func domainOf(addr string) string {
	_, d, _ := strings.Cut(addr, "@")
	return d
}

// Subject is "Re: <the request's subject> [LE-…]", without stacking "Re:"
// or repeating the id.
func Subject(r *legal.Request) string {
	s := strings.TrimSpace(strings.Join(strings.Fields(r.Subject), " "))
	for {
		l := strings.ToLower(s)
		if !strings.HasPrefix(l, "re:") && !strings.HasPrefix(l, "re :") {
			break
		}
		_, s, _ = strings.Cut(s, ":")
		s = strings.TrimSpace(s)
	}
	if s == "" {
		s = "Your request"
	}
	s = "Re: " + s
	if !strings.Contains(strings.ToUpper(s), "["+r.ID+"]") {
		s += " [" + r.ID + "]"
	}
	return s
}

// ParseRecipients reads the To field of a draft: one or more addresses,
// comma-separated. It returns the bare addresses.
func ParseRecipients(s string) ([]string, error) {
	list, err := mail.ParseAddressList(s)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Address
	}
	return out, nil
}
