package commands

import (
	"regexp"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// The records requested, as `/legal set ID records …` reads them.

// recordAliases are other names people give the categories of records
// (besides their ids and labels), normalized as recordKey makes them.
var recordAliases = map[string]legal.Record{
	"subscriber_info": legal.RecordSubscriber, "basic_subscriber_information": legal.RecordSubscriber,
	"subscriber_records": legal.RecordSubscriber,
	"payment":            legal.RecordBilling, "payments": legal.RecordBilling, "billing_records": legal.RecordBilling,
	"e_911": legal.RecordE911, "e911_address": legal.RecordE911,
	"cdr": legal.RecordCallDetail, "cdrs": legal.RecordCallDetail, "call_records": legal.RecordCallDetail,
	"call_logs": legal.RecordCallDetail, "toll_records": legal.RecordCallDetail,
	"sms_logs": legal.RecordMessageLogs, "mms_logs": legal.RecordMessageLogs, "message_log": legal.RecordMessageLogs,
	"ip": legal.RecordIPLogs, "ip_addresses": legal.RecordIPLogs, "logins": legal.RecordIPLogs, "login_logs": legal.RecordIPLogs,
	"cell_site": legal.RecordLocation, "cell_site_records": legal.RecordLocation, "csli": legal.RecordLocation,
	"location_records": legal.RecordLocation,
	"devices":          legal.RecordAccountChanges, "audit_logs": legal.RecordAccountChanges, "porting": legal.RecordAccountChanges,
	"support_tickets": legal.RecordCorrespondence, "account_notes": legal.RecordCorrespondence,
	"pen_register": legal.RecordDialing, "dialing_information": legal.RecordDialing,
	"sms_content": legal.RecordMessageContent, "mms_content": legal.RecordMessageContent,
	"message_contents": legal.RecordMessageContent, "text_messages": legal.RecordMessageContent,
	"voicemails": legal.RecordVoicemail, "voicemail_messages": legal.RecordVoicemail,
	"recording": legal.RecordRecordings, "call_recordings": legal.RecordRecordings,
	"intercept": legal.RecordInterception, "wiretap": legal.RecordInterception,
}

// recordKey normalizes a typed category: lower case, words joined by _.
func recordKey(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '/' || r == '\t'
	})
	return strings.Join(f, "_")
}

// parseRecord reads one category: its id, its label or another name.
func parseRecord(s string) (legal.Record, bool) {
	k := recordKey(s)
	for _, r := range legal.Records {
		if k == string(r) || k == recordKey(r.Label()) {
			return r, true
		}
	}
	r, ok := recordAliases[k]
	return r, ok
}

// reCommaLabels matches the labels that hold commas themselves
// ("dialing, routing, addressing and signaling information"), so a list
// copied from the card reads back whole.
var reCommaLabels = func() map[legal.Record]*regexp.Regexp {
	m := map[legal.Record]*regexp.Regexp{}
	for _, r := range legal.Records {
		if l := r.Label(); strings.Contains(l, ",") {
			words := strings.Fields(l)
			for i, w := range words {
				words[i] = regexp.QuoteMeta(w)
			}
			m[r] = regexp.MustCompile(`(?i)` + strings.Join(words, `\s+`))
		}
	}
	return m
}()

// parseRecords reads categories separated by commas, semicolons or new
// lines ("subscriber, call_detail", or the card's labels); "none" is no
// records.
func parseRecords(s string) ([]legal.Record, error) {
	if isNone(s) {
		return nil, nil
	}
	for r, re := range reCommaLabels {
		s = re.ReplaceAllLiteralString(s, string(r))
	}
	var out []legal.Record
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if strings.TrimSpace(item) == "" {
			continue
		}
		r, ok := parseRecord(item)
		if !ok {
			return nil, userErrorf("%s is not a kind of records I know: say %s.", escape(truncate(strings.TrimSpace(item), 60)), recordNames())
		}
		out = append(out, r)
	}
	return out, nil
}

func recordNames() string {
	ns := make([]string, len(legal.Records))
	for i, r := range legal.Records {
		ns[i] = string(r)
	}
	return strings.Join(ns, ", ")
}
