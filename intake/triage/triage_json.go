package triage

import (
	"encoding/json"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// Label is the corpus schema (corpus/README.md): the fields a labelled
// NAME.json holds for NAME.eml, and the fields triage reads from a
// message. It is the one type for both: Eval decodes the truth into it and
// expresses a Result in it, and Output embeds it.
type Label struct {
	Kinds                 []legal.Kind   `json:"kinds"`
	PreservationExtension bool           `json:"preservation_extension"`
	Exigent               bool           `json:"exigent"`
	ChildEndangerment     bool           `json:"child_endangerment"`
	NDO                   bool           `json:"ndo"`
	NDOUntil              *legal.Date    `json:"ndo_until"`
	NoToSAction           bool           `json:"no_tos_action"`
	ContentRequested      bool           `json:"content_requested"`
	SenderDomain          string         `json:"sender_domain"`
	SenderOfficial        bool           `json:"sender_official"`
	Agent                 *legal.Agent   `json:"agent"` // null when no agent was read
	Identifiers           []string       `json:"identifiers"`
	Period                *legal.Period  `json:"period"`
	Deadline              *legal.Date    `json:"deadline"`
	Missing               []legal.ItemID `json:"missing"`
	// Notes is the labeller's sentence on the case; triage leaves it empty.
	Notes string `json:"notes,omitempty"`
}

// Output is the JSON form of a triage Result: the corpus label fields
// plus DKIM, the checklist per item and the computed due date. Field
// names are part of the public interface (`lebot triage --json`).
type Output struct {
	File      string `json:"file,omitempty"`
	MessageID string `json:"message_id,omitempty"`
	Subject   string `json:"subject"`
	From      string `json:"from"`
	Label
	LetterDate    *legal.Date `json:"letter_date"`
	LegalProcess  bool        `json:"legal_process"`
	RecordsSought []string    `json:"records_sought"`
	// Records are the categories of records sought (legal.Record ids).
	Records []legal.Record `json:"records"`
	// Evidence holds, for kinds, period, deadline, ndo_until, identifiers
	// and agent, the words each reading came from.
	Evidence map[string]legal.Evidence `json:"evidence"`
	// NotRequest says why the message carries no request ("" when it does).
	NotRequest   string             `json:"not_request,omitempty"`
	ManualReview []string           `json:"manual_review"`
	DKIM         DKIMOutput         `json:"dkim"`
	Callback     bool               `json:"callback"`
	Flags        []string           `json:"flags"`
	Checklist    []legal.ItemResult `json:"checklist"`
	Due          *time.Time         `json:"due"`
	Warnings     []string           `json:"warnings"`
}

// DKIMOutput is the "dkim" object of the triage JSON.
type DKIMOutput struct {
	Result  string  `json:"result"` // pass, fail or none
	Domain  *string `json:"domain"` // d= of the best signature, null when none
	Aligned bool    `json:"aligned"`
	// Temporary: "fail" only because the key lookup failed (DNS), so the
	// signature was not checked.
	Temporary bool `json:"temporary,omitempty"`
}

// NewOutput converts res to its JSON form.
func NewOutput(res *Result) Output {
	f := res.Facts
	o := Output{Label: Label{
		Kinds:                 f.Kinds,
		PreservationExtension: f.PreservationExtension,
		Exigent:               f.Exigent,
		ChildEndangerment:     f.ChildEndangerment,
		NDO:                   f.NDO,
		NDOUntil:              f.NDOUntil,
		NoToSAction:           f.NoToSAction,
		ContentRequested:      f.ContentRequested,
		SenderDomain:          f.SenderDomain,
		SenderOfficial:        f.SenderOfficial,
		Agent:                 agentOrNil(f.Agent),
		Identifiers:           nonNil(f.Identifiers),
		Period:                f.Period,
		Deadline:              f.Deadline,
		Missing:               res.Missing,
	},
		LetterDate:    f.LetterDate,
		LegalProcess:  f.LegalProcess,
		RecordsSought: nonNil(f.RecordsSought),
		Records:       f.Records,
		Evidence:      f.Evidence,
		NotRequest:    f.NotRequest,
		ManualReview:  nonNil(f.ManualReview),
		Callback:      res.Verification.Callback,
		Flags:         nonNil(res.Verification.Flags),
		Checklist:     res.Checklist,
	}
	if o.Missing == nil {
		o.Missing = []legal.ItemID{}
	}
	if o.Records == nil {
		o.Records = []legal.Record{}
	}
	if o.Evidence == nil {
		o.Evidence = map[string]legal.Evidence{}
	}
	if m := res.Message; m != nil {
		o.MessageID, o.Subject, o.From = m.MessageID, m.Subject, m.From.Email
		o.Warnings = nonNil(m.Warnings)
	} else {
		o.Warnings = []string{}
	}
	v := res.Verification
	o.DKIM = DKIMOutput{Result: v.DKIM, Aligned: v.Aligned, Temporary: v.DKIMTemporary}
	if o.DKIM.Result == "" {
		o.DKIM.Result = "none"
	}
	if v.DKIMDomain != "" {
		d := v.DKIMDomain
		o.DKIM.Domain = &d
	}
	if !res.Due.IsZero() {
		due := res.Due
		o.Due = &due
	}
	return o
}

// JSON encodes res as one indented JSON object.
func JSON(res *Result) ([]byte, error) {
	return json.MarshalIndent(NewOutput(res), "", "  ")
}

func agentOrNil(a legal.Agent) *legal.Agent {
	if a == (legal.Agent{}) {
		return nil
	}
	return &a
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
