package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/legal"
	"github.com/lebot-dev/lebot/legal/agency"
)

// Registry is the agency registry: what lebot remembers of each sender
// domain and its agents, kept current by the store itself as requests are
// created (in the create's transaction, so a retried delivery counts
// once) and as callbacks are recorded on them (in the update's
// transaction). Implementations are safe for concurrent use and honour
// ctx; errors wrap ErrNotFound, ErrConflict or ErrCorrupt where those
// apply.
type Registry interface {
	// Agency returns the record of domain (any case; IDN as Unicode or
	// punycode), ErrNotFound when no request came from it.
	Agency(ctx context.Context, domain string) (*Agency, error)
	// AgencyRequests returns the newest requests from domain, newest
	// first, at most limit (0: all), and how many there are in all.
	AgencyRequests(ctx context.Context, domain string, limit int) ([]*legal.Request, int, error)
	// Agencies returns the agencies most recently heard from first, at
	// most limit (0: all).
	Agencies(ctx context.Context, limit int) ([]*Agency, error)
	// SetAgency stores the team's settings of a (Level, Country, SetBy,
	// SetAt; the rest is the store's) if a.Version is the stored version
	// (0 for a domain not yet known), else ErrConflict; a.Version is then
	// incremented.
	SetAgency(ctx context.Context, a *Agency) error
	// EachReceived calls fn with every request received in [from, to),
	// earliest first, reading them in batches through the status indexes
	// (every request is in exactly one); fn's error stops the walk.
	EachReceived(ctx context.Context, from, to time.Time, fn func(*legal.Request) error) error
}

// Agency is the registry's record of one sender domain.
type Agency struct {
	Domain   string    `json:"domain"` // lower-case ASCII (IDN as punycode)
	Requests int       `json:"requests"`
	First    time.Time `json:"first"` // received time of the first request
	Last     time.Time `json:"last"`  // and of the latest
	// Official: a request from it came from an official government domain.
	Official bool          `json:"official"`
	Agents   []AgentRecord `json:"agents,omitempty"`
	// Level and Country are the team's settings; empty when not set (the
	// report then derives them from the domain, see agency.Classify).
	Level   agency.Level `json:"level,omitempty"`
	Country string       `json:"country,omitempty"`
	SetBy   string       `json:"set_by,omitempty"`
	SetAt   time.Time    `json:"set_at,omitzero"`
	// Version is the optimistic-concurrency token: every write increments it.
	Version int64 `json:"version"`
}

// AgentRecord is one agent of an agency: the contact a request named.
type AgentRecord struct {
	Key       string             `json:"key"` // lower-case e-mail, else "name:" + lower-case name
	Name      string             `json:"name,omitempty"`
	Email     string             `json:"email,omitempty"`
	Requests  int                `json:"requests"`
	Callbacks []RegistryCallback `json:"callbacks,omitempty"` // oldest first, the last maxAgentCallbacks
}

// RegistryCallback is a callback recorded on one of the agent's requests.
type RegistryCallback struct {
	legal.Callback
	RequestID string `json:"request_id"`
}

// maxAgentCallbacks bounds what an agent record keeps.
const maxAgentCallbacks = 20

// Known reports whether the domain is a known agency domain, one that
// look-alikes are compared with: official, or verified by a callback.
func (a *Agency) Known() bool { return a.Official || a.Verified() != nil }

// Verified is the latest confirmed callback of any agent of a, nil when none.
func (a *Agency) Verified() *legal.KnownCallback {
	var best *legal.KnownCallback
	for i := range a.Agents {
		if kc := a.Agents[i].verified(); kc != nil && (best == nil || kc.At.After(best.At)) {
			best = kc
		}
	}
	return best
}

// verified is the agent's latest confirmed callback, nil when none.
func (ag *AgentRecord) verified() *legal.KnownCallback {
	for i := len(ag.Callbacks) - 1; i >= 0; i-- {
		if c := ag.Callbacks[i]; c.Result == legal.CallbackConfirmed {
			return &legal.KnownCallback{Agent: cmpOr(ag.Name, ag.Email), Phone: c.Phone, By: c.By, At: c.At, RequestID: c.RequestID}
		}
	}
	return nil
}

// Agent returns the record of the agent with key, nil when none.
func (a *Agency) Agent(key string) *AgentRecord {
	for i := range a.Agents {
		if a.Agents[i].Key == key {
			return &a.Agents[i]
		}
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// registryDomain is the registry's key for r's sender, "" when r has no
// usable sender domain (then the registry is left alone).
func registryDomain(r *legal.Request) string {
	d, ok := agency.Normalize(r.Facts.SenderDomain)
	if !ok {
		return ""
	}
	return d
}

// NormalizeDomain is how the registry spells a domain a person typed,
// and whether it is one.
func NormalizeDomain(domain string) (string, bool) { return agency.Normalize(domain) }

// agentKey identifies an agent across requests: the e-mail address, else
// the name; "" when the request names neither.
func agentKey(a legal.Agent) string {
	if e := strings.ToLower(strings.TrimSpace(a.Email)); e != "" {
		return e
	}
	if n := strings.Join(strings.Fields(strings.ToLower(a.Name)), " "); n != "" {
		return "name:" + n
	}
	return ""
}

// noteCreate records a new request r in a (nil for a domain heard from
// for the first time) and sets r.Sender from what a held before, with
// the look-alike comparison against known (the registry's known domains).
func noteCreate(a *Agency, r *legal.Request, domain string, known []string) *Agency {
	if a == nil {
		a = &Agency{Domain: domain}
	}
	h := &legal.SenderHistory{Domain: domain, Earlier: a.Requests}
	key := agentKey(r.Facts.Agent)
	ag := a.Agent(key)
	if key != "" && ag != nil {
		h.AgentEarlier = ag.Requests
		h.Agent = ag.verified()
	}
	if h.Agent == nil {
		h.Agency = a.Verified()
	}
	if !a.Known() && !r.OfficialSender() {
		others := slices.DeleteFunc(slices.Clone(known), func(k string) bool { return k == domain })
		if m, ok := agency.LookAlike(domain, others); ok {
			h.LookAlike, h.LookAlikeReason = m.Known, m.Reason
		}
	}
	r.Sender = h

	a.Requests++
	if a.First.IsZero() || r.ReceivedAt.Before(a.First) {
		a.First = r.ReceivedAt
	}
	if r.ReceivedAt.After(a.Last) {
		a.Last = r.ReceivedAt
	}
	a.Official = a.Official || r.OfficialSender()
	if key != "" {
		if ag == nil {
			a.Agents = append(a.Agents, AgentRecord{Key: key})
			ag = &a.Agents[len(a.Agents)-1]
		}
		ag.Requests++
		ag.Name = cmpOr(r.Facts.Agent.Name, ag.Name)
		ag.Email = cmpOr(strings.ToLower(r.Facts.Agent.Email), ag.Email)
	}
	return a
}

// noteCallbacks adds to a the callbacks r has that old did not, under
// r's agent (an unnamed agent when r names none). It reports whether a
// changed; a callback already recorded for the request is not added again.
func noteCallbacks(a *Agency, old, r *legal.Request) bool {
	added := r.Callbacks
	if old != nil && len(old.Callbacks) <= len(r.Callbacks) {
		added = r.Callbacks[len(old.Callbacks):]
	}
	if len(added) == 0 {
		return false
	}
	key := agentKey(r.Facts.Agent)
	ag := a.Agent(key)
	if ag == nil {
		a.Agents = append(a.Agents, AgentRecord{Key: key, Name: r.Facts.Agent.Name, Email: strings.ToLower(r.Facts.Agent.Email)})
		ag = &a.Agents[len(a.Agents)-1]
	}
	changed := false
	for _, c := range added {
		rc := RegistryCallback{Callback: c, RequestID: r.ID}
		if slices.ContainsFunc(ag.Callbacks, func(x RegistryCallback) bool {
			return x.RequestID == rc.RequestID && x.At.Equal(rc.At) && x.Phone == rc.Phone
		}) {
			continue
		}
		ag.Callbacks = append(ag.Callbacks, rc)
		changed = true
	}
	if n := len(ag.Callbacks); n > maxAgentCallbacks {
		ag.Callbacks = slices.Clone(ag.Callbacks[n-maxAgentCallbacks:])
	}
	return changed
}

// applySettings copies the team's settings from in to a.
func applySettings(a, in *Agency) {
	a.Level, a.Country, a.SetBy, a.SetAt = in.Level, in.Country, in.SetBy, in.SetAt
}

// encodeAgency and decodeAgency are the registry's value encoding: agent
// names, e-mail addresses and verified numbers are as sensitive as
// request data and take the same path (sealed when encrypting).
func (c *crypt) encodeAgency(a *Agency) ([]byte, error) { return c.encode(aadAgency(a.Domain), a) }

func (c *crypt) decodeAgency(domain string, b []byte) (*Agency, error) {
	var a Agency
	if err := c.decode("agency "+domain, aadAgency(domain), b, &a); err != nil {
		return nil, err
	}
	return &a, nil
}
