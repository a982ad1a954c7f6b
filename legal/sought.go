package legal

import "slices"

// Record is a category of records a request seeks. The ids are part of the
// public interface (`lebot triage --json` "records", the store); Label is
// what a person reads.
type Record string

// The record categories, in the order a card lists them.
const (
	RecordSubscriber     Record = "subscriber"      // names, addresses, contact details, length and type of service
	RecordBilling        Record = "billing"         // billing records, means and source of payment
	RecordE911           Record = "e911"            // the registered emergency (E911) address
	RecordCallDetail     Record = "call_detail"     // call detail, toll and connection records
	RecordMessageLogs    Record = "message_logs"    // SMS/MMS logs without content
	RecordIPLogs         Record = "ip_logs"         // IP addresses, logins and session times
	RecordLocation       Record = "location"        // cell-site and other location records
	RecordAccountChanges Record = "account_changes" // settings, devices, users, forwarding rules, audit logs, porting
	RecordCorrespondence Record = "correspondence"  // support tickets and account notes
	RecordDialing        Record = "dialing"         // pen register / trap and trace: dialing, routing, addressing, signaling
	RecordMessageContent Record = "message_content" // the text and attachments of SMS/MMS messages
	RecordVoicemail      Record = "voicemail"       // voicemail audio, transcriptions, greetings
	RecordRecordings     Record = "recordings"      // recordings and transcripts of calls
	RecordInterception   Record = "interception"    // real-time interception of communications
)

// Records lists every category in display order.
var Records = []Record{RecordSubscriber, RecordBilling, RecordE911, RecordCallDetail, RecordMessageLogs,
	RecordIPLogs, RecordLocation, RecordAccountChanges, RecordCorrespondence, RecordDialing,
	RecordMessageContent, RecordVoicemail, RecordRecordings, RecordInterception}

// Label is the category as a person reads it.
func (r Record) Label() string {
	switch r {
	case RecordSubscriber:
		return "subscriber information"
	case RecordBilling:
		return "billing and payment records"
	case RecordE911:
		return "E911 address"
	case RecordCallDetail:
		return "call detail records"
	case RecordMessageLogs:
		return "SMS/MMS logs"
	case RecordIPLogs:
		return "IP address and login logs"
	case RecordLocation:
		return "cell-site and location records"
	case RecordAccountChanges:
		return "account changes, devices and audit logs"
	case RecordCorrespondence:
		return "correspondence with the customer"
	case RecordDialing:
		return "dialing, routing, addressing and signaling information"
	case RecordMessageContent:
		return "SMS/MMS content"
	case RecordVoicemail:
		return "voicemail messages"
	case RecordRecordings:
		return "call recordings"
	case RecordInterception:
		return "real-time interception"
	}
	return string(r)
}

// IsContent reports whether records of this category are the content of
// communications, which only a search warrant or an intercept order reaches.
func (r Record) IsContent() bool {
	switch r {
	case RecordMessageContent, RecordVoicemail, RecordRecordings, RecordInterception:
		return true
	}
	return false
}

// SortRecords orders rs as Records lists them and drops repeats and
// unknown ids.
func SortRecords(rs []Record) []Record {
	var out []Record
	for _, r := range Records {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

// RecordLabels returns the labels of rs, in order.
func RecordLabels(rs []Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Label()
	}
	return out
}

// RecordsRequested names the records the request seeks, as a person
// reads them: RecordsSought (the categories' labels, or a person's own
// words for a request entered by hand), else the labels of Records.
// Empty when the request does not say.
func (f Facts) RecordsRequested() []string {
	if len(f.RecordsSought) > 0 {
		return f.RecordsSought
	}
	return RecordLabels(f.Records)
}

// asksForContent is what content_requested is when it follows from the
// records alone: a content category sought by anything but a bare
// preservation request (content is preserved, not disclosed, until
// process follows).
func asksForContent(f Facts) bool {
	disclosure := false
	for _, k := range f.Kinds {
		disclosure = disclosure || k != KindPreservation
	}
	if !disclosure {
		return false
	}
	for _, r := range f.Records {
		if r.IsContent() {
			return true
		}
	}
	return false
}

// SetRecords sets the categories of records sought (unknown ids and
// repeats dropped) and their labels. Whether content is requested
// follows the new records when it followed the old ones; a value that
// did not (the reader or the team judged otherwise) stays.
func (f *Facts) SetRecords(rs []Record) {
	followed := f.ContentRequested == asksForContent(*f)
	f.Records = SortRecords(rs)
	f.RecordsSought = RecordLabels(f.Records)
	if len(f.Records) == 0 {
		f.Records, f.RecordsSought = nil, nil
	}
	if followed {
		f.ContentRequested = asksForContent(*f)
	}
}
