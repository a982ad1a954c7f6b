package triage

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/lebot-dev/lebot/legal"
)

// Phrases naming each kind of process. A mention counts only when the
// sentence asserts it ("the attached order", "YOU ARE COMMANDED") rather
// than imagines it ("a court order would take 24 hours").
var (
	subpoenaRe   = regexp.MustCompile(`(?i)\bsubpoena|\badministrative\s+summons\b|\bcivil\s+investigative\s+demand\b`)
	warrantRe    = regexp.MustCompile(`(?i)\bsearch\s+(?:and\s+seizure\s+)?warrants?\b|\b(?:this|the|attached|enclosed|signed|accompanying|said|state|federal)\s+warrant\b|\bwarrant\s+(?:no\.|number|#)`)
	arrestRe     = regexp.MustCompile(`(?i)\b(?:arrest|bench|outstanding|fugitive)\s+warrants?\b|\bwarrants?\s+for\s+(?:his|her|their|the)\s+arrest`)
	penTrapRe    = regexp.MustCompile(`(?i)\bpen\s+registers?\b|\btrap[\s-]+(?:and|&)[\s-]+trace\b|\bpen[\s/-]+trap\b|\bprtt\b|\b312[23]\b`)
	wiretapRe    = regexp.MustCompile(`(?i)\bwire\s*taps?\b|\btitle\s+iii\b|\bintercept(?:ion|ing)?\s+(?:of\s+)?(?:the\s+)?(?:wire|oral|electronic)\b|\b2518\b|\breal[- ]time\s+(?:interception|intercept|content)|\binterception\s+order`)
	caleaRe      = regexp.MustCompile(`(?i)\bcalea\b`)
	order2703dRe = regexp.MustCompile(`(?i)\b2703\s*\(\s*d\s*\)`)
	orderRe      = regexp.MustCompile(`(?i)\bcourt\s+order\b|\bit\s+is\s+(?:\w+\s+){0,2}ordered\b|\border\s+(?:for\s+(?:the\s+)?production|compelling|requiring|directing)\b|\b(?:signed|sealed|attached|enclosed|accompanying|this|following)\s+(?:court\s+)?order\b`)
	preserveRe   = regexp.MustCompile(`(?i)\b2703\s*\(\s*f\s*\)|\bpreservation\s+(?:request|letter|demand)|\brequest\s+(?:for|to)\s+(?:the\s+)?preserv|\b(?:please|to|and|kindly|hereby)\s+preserve\b|\brequests?\s+that\s+[^.]{0,60}?\bpreserve\b|\bextend\s+the\s+preservation`)
	emergencyRe  = regexp.MustCompile(`(?i)\bemergency\s+(?:disclosure|data|information)?\s*requests?\b|\bemergency\s+disclosure\b|\bexigent\b|\b2702\s*\(\s*(?:b\s*\)\s*\(\s*8|c\s*\)\s*\(\s*4)\s*\)|\bimminent\s+(?:danger|threat|risk)\b|\bdanger\s+of\s+death\b|\bthreat\s+to\s+(?:human\s+)?life\b`)
	notEmergRe   = regexp.MustCompile(`(?i)\b(?:not\s+(?:an?\s+)?|non-?)(?:emergency|exigent)`)
)

// Markers that a sentence imagines process instead of serving it.
var (
	counterfactualRe = regexp.MustCompile(`(?i)\b(?:obtain|obtaining|seek|seeking|apply(?:ing)?\s+for|cannot|can't|can\s+not|could\s+not|couldn't|would\s+(?:take|require|need|be)|no\s+time|too\s+(?:slow|long)|without\s+(?:a|an|any)|rather\s+than|instead\s+of|absent|in\s+the\s+absence\s+of)\b`)
	pendingRe        = regexp.MustCompile(`(?i)\b(?:working\s+on|(?:is|are)\s+(?:being\s+)?(?:prepared|drafted|worked\s+on|processed|signed|sought|finalized)|(?:will|can|could|'ll)\s+(?:send|forward|follow|serve|be\s+(?:sent|served|forwarded|issued|signed))|to\s+follow|forthcoming|pending|once\s+(?:it|it's|it\s+is|the\s+\w+)?\s*(?:is\s+|has\s+been\s+|gets\s+|was\s+)?(?:signed|issued|approved|ready)|after\s+(?:it|the\s+\w+)\s+(?:is|has\s+been)\s+signed|won't\s+sign|not\s+yet|in\s+the\s+process\s+of|intends?\s+to|plans?\s+to|going\s+to|until\s+(?:we|it|the\s+\w+)\s+(?:is\s+|are\s+|has\s+|have\s+)?(?:sign|obtain|issue))`)
)

// attachedRe: the process itself is in or with the message.
var attachedRe = regexp.MustCompile(`(?i)\b(?:attached|enclosed|herewith|reproduced\s+below|you\s+are\s+(?:hereby\s+)?(?:commanded|required))\b`)

// mention is how a kind appears in the text.
type mention int

const (
	absent   mention = iota
	imagined         // only in sentences that imagine it ("would take 24 hours")
	pending          // only as forthcoming ("the DA is working on a subpoena")
	asserted         // served, attached or quoted
)

// mentionOf grades the matches of re in d, skipping those for which skip
// reports true.
func mentionOf(d *doc, re *regexp.Regexp, skip func(start, end int) bool) mention {
	best := absent
	prevS, prevE := -1, -1
	for _, loc := range d.all(re) {
		if skip != nil && skip(loc[0], loc[1]) {
			continue
		}
		// A sentence grades the same for every match in it: grading it
		// once keeps a long sentence full of matches linear, not quadratic.
		ss, se := d.sentenceAt(loc[0])
		if ss == prevS && se == prevE {
			continue
		}
		prevS, prevE = ss, se
		sent := d.s[ss:se]
		switch {
		case attachedRe.MatchString(sent) && !counterfactualRe.MatchString(sent):
			return asserted
		case pendingRe.MatchString(sent):
			best = max(best, pending)
		case counterfactualRe.MatchString(sent):
			best = max(best, imagined)
		default:
			return asserted
		}
	}
	return best
}

// bulkRe: the footer of bulk mail (newsletters, marketing). Legal process
// is addressed to the provider, never sent to a subscriber list.
var bulkRe = regexp.MustCompile(`(?i)\bunsubscribe\b|\bmanage\s+(?:your\s+)?(?:e-?mail\s+)?(?:subscriptions?|preferences)\b|\byou\s+(?:are\s+receiving|received)\s+this\s+(?:e-?mail|message|newsletter)\s+because\b|\bopt\s+out\s+of\s+(?:future|these|our)\s+(?:e-?mails?|messages|mailings)\b`)

// classify fills the kinds and flags of f from d. Bulk mail is
// unclassified whatever it talks about: a newsletter on subpoenas and
// emergencies is neither, and carries no NDO or instruction.
func classify(d *doc, f *legal.Facts) {
	if d.matched(bulkRe) {
		f.Kinds = []legal.Kind{legal.KindUnclassified}
		return
	}
	arrests := d.all(arrestRe)
	notArrest := func(s, e int) bool {
		for _, a := range arrests {
			if a[0] <= s && s < a[1] || s <= a[0] && a[0] < e {
				return true
			}
		}
		return false
	}
	m := map[legal.Kind]mention{
		legal.KindSubpoena:      mentionOf(d, subpoenaRe, nil),
		legal.KindSearchWarrant: mentionOf(d, warrantRe, notArrest),
		legal.KindPenTrap:       mentionOf(d, penTrapRe, nil),
		legal.KindWiretap:       mentionOf(d, wiretapRe, nil),
	}
	if m[legal.KindWiretap] < asserted && m[legal.KindPenTrap] < asserted {
		m[legal.KindWiretap] = max(m[legal.KindWiretap], mentionOf(d, caleaRe, nil))
	}
	m[legal.KindCourtOrder] = mentionOf(d, order2703dRe, nil)
	if m[legal.KindCourtOrder] < asserted && !anyAsserted(m) {
		// A generic order counts when it is not the order that a warrant,
		// pen/trap or intercept request already is (or an NDO attached to
		// a subpoena).
		m[legal.KindCourtOrder] = max(m[legal.KindCourtOrder], mentionOf(d, orderRe, nil))
	}
	var kinds []legal.Kind
	emergency := d.matched(emergencyRe) && !d.matched(notEmergRe)
	if emergency {
		kinds = append(kinds, legal.KindEmergency)
	}
	for _, k := range []legal.Kind{legal.KindSubpoena, legal.KindCourtOrder, legal.KindSearchWarrant, legal.KindPenTrap, legal.KindWiretap} {
		if m[k] == asserted {
			kinds = append(kinds, k)
			f.LegalProcess = true
		}
	}
	preservation := d.matched(preserveRe)
	if preservation {
		kinds = append(kinds, legal.KindPreservation)
	}
	if len(kinds) == 0 {
		// A request made under process still being prepared is that kind
		// of request, with the process missing.
		for _, k := range []legal.Kind{legal.KindSubpoena, legal.KindCourtOrder, legal.KindSearchWarrant, legal.KindPenTrap, legal.KindWiretap} {
			if m[k] == pending {
				kinds = append(kinds, k)
			}
		}
	}
	if len(kinds) == 0 {
		kinds = []legal.Kind{legal.KindUnclassified}
	}
	f.Kinds = kinds
	f.Exigent = emergency
	f.PreservationExtension = preservation && d.matched(extensionRe)
	f.ChildEndangerment = childEndangered(d)
	f.NDO = hasNDO(d)
	f.NoToSAction = d.matched(noActionRe)
	f.ContentRequested = f.HasKind(legal.KindWiretap) || contentRequested(d)
	if emergency {
		f.DangerDescribed = answered(d, dangerRe) || promptAnswered(d, dangerPromptRe)
		f.UrgencyJustified = answered(d, urgencyRe) || promptAnswered(d, urgencyPromptRe)
	}
}

func anyAsserted(m map[legal.Kind]mention) bool {
	for _, v := range m {
		if v == asserted {
			return true
		}
	}
	return false
}

var extensionRe = regexp.MustCompile(`(?i)\b(?:extend|extension\s+of|renew|renewal\s+of)\s+(?:the\s+|our\s+|this\s+|that\s+|my\s+)?(?:\w+\s+){0,2}?preservation\b|\bpreservation\s+(?:extension|renewal)\b|\b2703\s*\(\s*f\s*\)\s*\(\s*2\s*\)|\b(?:additional|second|further|another)\s+(?:90|ninety)[- ]day\b`)

var (
	childRe    = regexp.MustCompile(`(?i)\b(?:child|children|minor\s+(?:child|victim|female|male|girl|boy)|(?:a|the)\s+minor\b|juvenile|infant|toddler|newborn|csam|icac|ncmec|cybertip(?:line)?|sextortion|child\s+(?:exploitation|pornography|sexual\s+abuse))`)
	childNotRe = regexp.MustCompile(`(?i)\bchild\s+support\b`)
	ageRe      = regexp.MustCompile(`(?i)\b(\d{1,2})[- ]?(?:year|yr)s?[- ]old\b`)
)

// childEndangered reports whether the request concerns a child in danger
// or child exploitation: a child, minor or ICAC matter, or a person under
// 18 by stated age.
func childEndangered(d *doc) bool {
	s := d.s
	for _, loc := range d.all(childRe) {
		if !childNotRe.MatchString(s[loc[0]:min(len(s), loc[1]+10)]) {
			return true
		}
	}
	for _, g := range d.subs(ageRe) {
		if n, _ := strconv.Atoi(g[1]); n > 0 && n < 18 {
			return true
		}
	}
	return false
}

// ndoAuthorityRe: statutes and orders that bar notice to the customer.
var (
	ndoAuthorityRe = regexp.MustCompile(`(?i)\b2705\s*\(\s*b\s*\)|\b3123\s*\(\s*d\s*\)|\b2511\s*\(\s*2\s*\)\s*\(\s*a\s*\)\s*\(\s*ii\s*\)|\b2709\s*\(\s*c\s*\)|\b1546\.2\b|\bnon-?disclosure\s+order\b|\bgag\s+order\b|\bdelayed\s+notice\s+order\b`)
	notDiscloseRe  = regexp.MustCompile(`(?i)\b(?:not|n't)\s+(?:to\s+)?(?:disclose|notify|reveal|inform|alert|tell)\b|\bnon-?disclosure\b|\bdelay(?:ed)?\s+(?:of\s+)?notice\b`)
	courtOrdersRe  = regexp.MustCompile(`(?i)\b(?:ordered|order\s+(?:\w+\s+){0,2}?(?:directs|commands|requires|prohibits|bars)|court\s+(?:\w+\s+){0,2}?(?:directs|orders|has\s+ordered))\b`)
)

// hasNDO reports whether the message includes a non-disclosure order or
// cites authority barring notice. A bare "please do not disclose" does
// not count.
func hasNDO(d *doc) bool {
	for _, loc := range d.all(ndoAuthorityRe) {
		ss, se := d.sentenceAt(loc[0])
		if !counterfactualRe.MatchString(d.s[ss:se]) && !pendingRe.MatchString(d.s[ss:se]) {
			return true
		}
	}
	for _, loc := range d.all(notDiscloseRe) {
		ss, se := d.sentenceAt(loc[0])
		if courtOrdersRe.MatchString(d.s[ss:se]) {
			return true
		}
	}
	return false
}

var noActionRe = regexp.MustCompile(`(?i)\b(?:do\s+not|don't|please\s+do\s+not|not\s+to|refrain\s+from|avoid|should\s+not|must\s+not|shall\s+not|ask\s+that\s+you\s+not|request\s+that\s+you\s+not)\s+(?:\w+\s+){0,3}?(?:suspend\w*|terminat\w*|disabl\w*|deactivat\w*|disconnect\w*|clos(?:e|ing)|cancel\w*|interrupt\w*|restrict\w*|freez\w*|shut\w*\s+(?:it\s+)?down|block\w*|tak(?:e|ing)\s+(?:any\s+)?(?:other\s+|adverse\s+|further\s+|enforcement\s+)?action)\b|\bkeep\s+(?:the|this)\s+(?:account|number|service|line)\s+(?:active|open|in\s+service|running)`)

// Content of communications, and the words that tell a request to
// disclose it from a request to preserve it.
var (
	contentRe = regexp.MustCompile(`(?i)\bcontents?\s+of\s+(?:all\s+|any\s+|the\s+|such\s+|each\s+)?(?:[\w/-]+\s+){0,3}?(?:communications?|messages?|calls?|voice\s*mails?|e-?mails?|texts?|conversations?|chats?|recordings?|mailbox(?:es)?|files?)\b` +
		`|\b(?:call|voice|audio|phone|telephone)\s+recordings?\b|\brecordings?\s+of\s+(?:\w+\s+){0,3}?(?:calls?|conversations?)\b|\brecorded\s+(?:calls?|conversations?)\b` +
		`|\bvoice\s*mail\s+(?:messages?|audio|recordings?|contents?|files?|greetings?)\b|\baudio\s+(?:files?|recordings?)\b` +
		`|\btranscri(?:pts?|ptions?)\b|\b(?:message|sms|mms|text(?:\s+message)?|chat|e-?mail)\s+(?:contents?|bodies|body)\b`)
	negationRe  = regexp.MustCompile(`(?i)\b(?:not|no|without|excluding|exclude|except|other\s+than|nor)\b`)
	preserveWRe = regexp.MustCompile(`(?i)\bpreserv\w*`)
	discloseWRe = regexp.MustCompile(`(?i)\b(?:disclos\w*|produc\w*|provid\w*|seiz\w*|send|furnish\w*|deliver\w*|intercept\w*|requested|commanded|search|copies|release)\b`)
)

// contentRequested reports whether the sender asks to disclose or intercept
// the content of communications. Content named only for preservation, or
// excluded ("not including the contents"), does not count.
func contentRequested(d *doc) bool {
	for _, loc := range d.all(contentRe) {
		ss, _ := d.sentenceAt(loc[0])
		before := d.s[max(ss, loc[0]-45):loc[0]]
		if negationRe.MatchString(before) {
			continue
		}
		ctx := d.s[max(0, loc[0]-600):loc[0]]
		p := lastIndex(preserveWRe, ctx)
		q := lastIndex(discloseWRe, ctx)
		if p >= 0 && p > q {
			continue
		}
		return true
	}
	return false
}

// contentMentioned reports whether content is named other than to exclude
// it, for disclosure or for preservation alike.
func contentMentioned(d *doc) bool {
	for _, loc := range d.all(contentRe) {
		ss, _ := d.sentenceAt(loc[0])
		if !negationRe.MatchString(d.s[max(ss, loc[0]-45):loc[0]]) {
			return true
		}
	}
	return false
}

func lastIndex(re *regexp.Regexp, s string) int {
	all := re.FindAllStringIndex(s, -1)
	if len(all) == 0 {
		return -1
	}
	return all[len(all)-1][0]
}

// Emergency answers: the danger, and how the records help and why normal
// process is too slow. Form prompts ("Describe the emergency", "Explain
// how…") do not answer themselves.
var (
	dangerRe   = regexp.MustCompile(`(?i)\b(?:danger|death|die|dying|kill\w*|murder\w*|shoot\w*|shot|gun\w*|firearms?|weapons?|knife|stab\w*|kidnap\w*|abduct\w*|hostage|suicid\w*|self[- ]harm|overdose|missing|threat\w*|imminent|assault\w*|bomb\w*|explosive|serious\s+(?:physical|bodily)\s+(?:injury|harm)|endanger\w*|trafficking|lured|harm\w*|hurt\w*|injur\w*)\b`)
	urgencyRe  = regexp.MustCompile(`(?i)\bwould\s+take\b|\bcannot\s+(?:be\s+)?(?:wait|obtain\w*|draft\w*|sign\w*|serv\w*|get)|\bcan't\s+wait\b|\bcould\s+not\s+be\s+obtained\b|\bno\s+time\b|\bnot\s+enough\s+time\b|\btoo\s+(?:slow|long)\b|\bin\s+time\b|\b(?:any|every)\s+(?:delay|hour|minute)\b|\bdelay\s+(?:could|would|may|might|will)\b|\bwithin\s+hours\b|\b(?:will|would|could|should)\s+(?:help|allow|enable|let|identify|locate|lead|assist|show|reveal)\b|\bneeded\s+to\s+(?:locate|identify|find|prevent|stop|rescue)\b|\bhelp\s+(?:us\s+)?(?:locate|identify|find|rescue)\b|\btime\s+is\s+(?:critical|of\s+the\s+essence)\b|\binsufficient\b|\btoo\s+late\b|\bno\s+way\s+to\s+(?:get|obtain|have|serve)\b|\b(?:best|only|last)\s+(?:lead|leads|chance|hope|means)\b|\bwithin\s+the\s+(?:hour|next\s+(?:few\s+)?hours?)\b`)
	promptRe   = regexp.MustCompile(`(?i)\b(?:describe|description|explain|how|why|nature\s+of|state\s+the)\b`)
	segmentCut = regexp.MustCompile(`[.!?;:|\n]\s`)
)

// answered reports whether some segment of the text that is not a form
// prompt matches re. Segments are cut at sentence ends, colons, table cell
// separators and line breaks, so "WHY WE NEED THIS NOW: The records will
// identify…" answers, while "Explain how the information will help |" with
// an empty cell does not.
func answered(d *doc, re *regexp.Regexp) bool {
	s := d.s
	start := 0
	cuts := segmentCut.FindAllStringIndex(s+"\n ", -1)
	for _, c := range cuts {
		seg := s[start:min(c[0]+1, len(s))]
		start = min(c[1], len(s))
		for _, loc := range re.FindAllStringIndex(seg, -1) {
			if !promptRe.MatchString(seg[:loc[0]]) {
				return true
			}
		}
	}
	return false
}

// Form prompts for the two emergency answers.
var (
	dangerPromptRe  = regexp.MustCompile(`(?i)\b(?:nature\s+of\s+(?:the\s+)?emergency|describe\s+the\s+emergency|description\s+of\s+(?:the\s+)?(?:emergency|danger|threat))\b`)
	urgencyPromptRe = regexp.MustCompile(`(?i)\bhow\s+(?:will\s+)?(?:the\s+)?(?:requested\s+)?(?:information|records|data)\s+(?:will\s+|would\s+)?help|\bwhy\s+(?:the\s+)?(?:normal|regular|standard|usual|ordinary)\s+(?:legal\s+)?process|\bwhy\s+(?:we|you|this\s+is|it\s+is|the\s+(?:information|records)\s+(?:is|are))\s+(?:need|needed|urgent)|\bwhy\s+(?:we\s+)?(?:need|cannot\s+wait)`)
)

// promptAnswered reports whether a form prompt matching re is followed by
// an answer of a few words: on the same line after its ":" or "|", or, for
// a heading ending in ":", on the next line. "Explain how… |" followed by
// nothing is unanswered.
func promptAnswered(d *doc, re *regexp.Regexp) bool {
	for _, loc := range d.all(re) {
		rest := d.s[loc[1]:]
		line, after, _ := strings.Cut(rest, "\n")
		i := strings.IndexAny(line, ":|")
		if i < 0 {
			continue
		}
		ans := strings.TrimSpace(line[i+1:])
		if ans == "" && line[i] == ':' {
			ans, _, _ = strings.Cut(after, "\n")
			if strings.Contains(ans, "|") || strings.HasSuffix(strings.TrimSpace(ans), ":") {
				ans = "" // the next row or heading, not an answer
			}
		}
		if len(strings.Fields(ans)) >= 4 {
			return true
		}
	}
	return false
}

// recordsRe names categories of records, in the canonical words shown on
// the checklist.
var recordsRe = []struct {
	name string
	re   *regexp.Regexp
	keys []string // see scanKeys
}{
	{"subscriber information", regexp.MustCompile(`(?i)\bsubscriber\s+(?:information|info|names?|records|identity|details)|\bsubscriber\s+and\s+(?:billing|account)|\bnames?,?\s+(?:user\s+names|addresses)|\baccount\s+(?:holder|registration|opening)`), []string{"subscriber", "name", "account"}},
	{"call detail records", regexp.MustCompile(`(?i)\bcall\s+(?:detail|data|logs?|records|history)|\bcdrs?\b|\btoll\s+records|\bconnection\s+records|\b(?:incoming|inbound)\s+and\s+(?:outgoing|outbound)\s+calls`), []string{"call", "cdr", "toll", "connection", "incoming", "inbound"}},
	{"message logs", regexp.MustCompile(`(?i)\b(?:sms|mms|text\s+message)(?:/mms)?\s+(?:logs|detail|records)|\blogs\s+of\s+sms`), []string{"sms", "mms", "text"}},
	{"IP address logs", regexp.MustCompile(`(?i)\bip\s+(?:address(?:es)?|logs?|history)|\binternet\s+protocol|\blogin\s+(?:history|records)|\bsession\s+(?:times|records)`), []string{"ip", "internet", "login", "session"}},
	{"billing and payment records", regexp.MustCompile(`(?i)\bbilling\s+(?:records|information|address)|\b(?:means|method)s?\s+(?:and\s+source\s+)?of\s+payment|\bpayment\s+method`), []string{"billing", "payment"}},
	{"E911 address", regexp.MustCompile(`(?i)\be911\b`), []string{"e911"}},
	{"dialing, routing, addressing and signaling information", regexp.MustCompile(`(?i)\bdialing,?\s+routing|\bpen\s+registers?\b|\btrap[\s-]+(?:and|&)[\s-]+trace\b`), []string{"dialing", "pen", "trap"}},
	{"real-time interception", regexp.MustCompile(`(?i)\bintercept(?:ion|ing)?\s+(?:of\s+)?(?:the\s+)?(?:wire|oral|electronic)\b`), []string{"intercept"}},
	{"account records", regexp.MustCompile(`(?i)\baccount\s+(?:configuration|settings|change|audit|status)|\baudit\s+logs|\bdevice\s+registrations?`), []string{"account", "audit", "device"}},
}

// findRecords lists the categories of records the request names.
func findRecords(d *doc, content bool) []string {
	var out []string
	for _, r := range recordsRe {
		if d.matched(r.re) {
			out = append(out, r.name)
		}
	}
	if content || contentMentioned(d) {
		out = append(out, "content of communications")
	}
	return out
}

func lower(s string) string { return strings.ToLower(s) }
