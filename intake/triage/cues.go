package triage

import "strings"

// cue is a class of phrases the reader looks for. Each names what a
// careful reader takes the words to mean; the rules (classify.go,
// period.go, …) weigh where they stand.
type cue int

const (
	// Process named.
	cueSubpoena cue = iota
	cueSearchWarrant
	cueBareWarrant // "the warrant", "this warrant", "Warrant No."
	cueNotSearchWarrant
	cuePenTrap
	cueWiretap
	cueCALEA
	cue2703d
	cueCourtOrder
	cuePreserveReq
	cueEmergency
	cueNotEmergency
	cueNotKind // the process named as a department, a category or a power
	// How a sentence stands towards the process it names.
	cueServed
	cueImagined
	cuePending
	cuePast
	// Messages that carry no request.
	cueBulk
	cueAutoReply
	cueAsk
	cueNoNeed
	cueBounce
	// Flags.
	cueChild
	cueNotChild
	cueAge
	cueNDOAuthority
	cueNotDisclose
	cueCourtOrders
	cueNoAction
	cueExtension
	cueDanger
	cueUrgency
	cueDangerPrompt
	cueUrgencyPrompt
	cuePrompt
	// Dates.
	cuePresent
	cueOrderDate // "the date of this Order"
	cueLetterDate
	cueLookback
	cueSpanBefore
	cueWindow // "sixty (60) days commencing on", "for a period of thirty (30) days"
	cueAccountStart
	cueActivation
	cuePreserveLength
	cueNoLater
	cueBy
	cueWithin
	cueReturnDate
	cueReturnable
	cueAppear
	cueForthwith
	cueFurnish
	cueToday
	cueNotDeadline
	cueResponse
	cueSuspectDemand
	// Records and content.
	cueNegation
	cuePreserveVerb
	cueDiscloseVerb
	// Telephone numbers and people.
	cueTargetWord
	cueNotTarget
	cueNonTargetPerson
	cueContactWord
	cueMeAt
	cueOtherPerson
	cueAgencyLine
	cueDesk
	cueMobile
	cueFax
	cueTargetLabel
	numCues
)

// stopVerbs are what a sender asks the provider not to do to an account.
const stopVerbs = "suspend*|terminat*|disabl*|deactivat*|disconnect*|close|closing|cancel*|interrupt*|restrict*|freez*|block*|port|porting|change|shut"

// num is the phrase element for a count written in words or digits, with
// or without the digits repeated in parentheses: "ten (10)", "90", "sixty".
const num = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"

var cuePhrases = [numCues][]string{
	cueSubpoena: {"subpoena*", "administrative summons", "summons", "civil investigative demand", "investigative demand"},
	cueSearchWarrant: {"search warrant*", "search and seizure warrant*", "warrant to search", "e-warrant*",
		"ewarrant*"},
	cueBareWarrant: {"this|the|attached|enclosed|signed|accompanying|said|state|federal|issued|that warrant",
		"warrant no|number|num"},
	cueNotSearchWarrant: {"arrest|bench|outstanding|fugitive warrant*", "warrant* for his|her|their|the arrest", "wanted on a|an ..3 warrant*",
		"warrant* for armed|murder|robbery|assault|homicide|burglary|theft|fraud|failure",
		"eavesdropping|wiretap|interception|intercept warrant*"},
	cuePenTrap: {"pen register*", "pen registry", "trap and|& trace", "pen trap", "pen-trap", "prtt", "pr tt",
		"c|section|sections|§ 3122|3123", "3123 d", "3122 3123"},
	cueWiretap: {"wiretap*", "wire tap*", "title iii", "intercept* of? the? wire|oral|electronic|telephonic|voice",
		"interception order", "order authorizing the? interception", "authorized to intercept", "eavesdropping",
		"2518", "real time interception|intercept|content", "tiii", "t iii"},
	cueCALEA:      {"calea"},
	cue2703d:      {"2703 d"},
	cueCourtOrder: {"court order*", "a|an court? order", "it is ..3 ordered", "ordered that", "orders that", "order for the? production", "order compelling|requiring|directing|commanding", "signed|sealed|attached|enclosed|accompanying|following|entered court? order", "this|the court? order", "so ordered", "order of the court", "order of production"},
	cuePreserveReq: {"preservation request|letter|demand", "request* for|to the? preserv*", "please|kindly|hereby|to|and preserve",
		"request* that ..8 preserve", "ask* ..8 to preserve", "ask* that ..8 preserve", "extend the? preservation", "continue preserving",
		"continue to preserve", "preserve for a? period", "preserve everything|all|the|these|any", "keep everything",
		"retain records", "retain the|all records", "preserve it"},
	cueEmergency: {"emergency disclosure|data|information? request*", "emergency disclosure", "emergency request*",
		"exigent*", "2702 b 8", "2702 c 4", "imminent danger|threat|risk", "danger of death", "threat to human? life",
		"threat to the lives"},
	cueNotEmergency: {"not an? emergency|exigent", "non emergency|exigent", "no emergency", "nonemergency"},
	cueNotKind: {"subpoena compliance|unit|desk|team|processing|response", "legal process contact|address|portal|intake|team|unit",
		"issue search? warrants|subpoenas|orders", "new legal process", "process type", "subpoenas 2703", "search warrants for"},

	cueServed: {"attached", "enclosed", "herewith", "reproduced below", "text of", "you are ..2 commanded|required",
		"serves", "is|are serving", "please find|see", "below is|are", "following order|subpoena|warrant", "served on|upon",
		"service of this", "is served"},
	cueImagined: {"obtain|obtaining|seek|seeking", "to get a|an", "getting a|an", "takes|take|taking a day|days|hours|time|weeks", "apply|applying for", "cannot|can't|couldn't",
		"could|can not", "would take|require|need|be", "will|would need|require", "no time", "too slow|long", "without a|an|any", "rather than", "instead of",
		"absent", "in the absence of", "not enough time", "unable to", "before you|we|i write", "what to ask for",
		"do you need", "is a|an ..3 enough"},
	cuePending: {"working on", "is|are being ..2 prepared|drafted|worked|processed|signed|sought|finalized|obtained|served|issued",
		"is|are prepared|drafted|finalized", "while a|an|the ..3 is|are prepared|drafted|sought|obtained",
		"will|can|could|'ll send|forward|follow|serve|seek|obtain|apply|get|be", "to follow", "forthcoming", "once ..3 signed|issued|approved|ready|obtained",
		"after ..3 is|has signed", "won't sign", "not yet", "in the process of", "intend*|plan* to", "going to",
		"until we|i|it ..3 sign|obtain|issue|get|can", "waiting on|for", "wait for", "expect* to", "preparing|prepares",
		"is|are ..2 preparing", "as soon as", "later this week", "next week", "pending",
		"before i|we send|draft|serve|get|obtain|submit|apply|write"},
	cuePast: {"previously", "your ..2 subpoena|warrant|order return|response|production", "subpoena|warrant return",
		"thank you ..3 for your|the help|assistance", "thanks ..3 for your|the help|assistance", "follow up", "followup", "as promised",
		"you disclosed", "you produced", "was|were disclosed|produced", "our earlier|previous|prior|last", "in response to a|an|the|our|your", "previous|prior|earlier|original subpoena|order|warrant|request|letter",
		"our earlier|previous|original", "was|were served", "last month", "your confirmation", "you confirmed",
		// A follow-up on process already sent.
		"following up", "checking in", "check on the status", "status of|on our|my|the", "any update|updates", "an update on",
		"subpoena|warrant|order|request|letter|preservation we|i sent|submitted|served|faxed|emailed|uploaded"},

	cueBulk: {"unsubscribe*", "manage ..2 subscriptions|preferences", "you are|were receiving this", "this bulletin|newsletter|digest",
		"you received this email|message|newsletter|announcement", "you received this e-mail", "opt out of", "opt-out",
		"mailing list", "provider liaison list", "save the date", "register now|today|here", "registration closes|opens",
		"to reserve a seat", "webinar", "free trial", "ask me for a demo", "subscribed to"},
	cueAsk: {"please send|provide|produce|preserve|disclose|forward|email|fax|retain|keep|extend|renew", "request that", "we|i request",
		"we|i am|are requesting", "requesting the|that|all", "need the|these|his|her|all records", "would like the|these|all records",
		"ask that you", "ask you to", "demand that"},
	cueNoNeed: {"no records needed|requested", "not requesting anything|records", "nothing is requested|needed", "no request is being made",
		"not yet requesting", "nothing further is needed|required", "no further action", "you can close", "close it off", "close this out",
		"arrived safely", "records arrived|received", "we received the records", "thanks for the records|production",
		"thank you for the records|production", "request is complete|closed", "no longer needed|necessary"},
	cueBounce: {"undelivered mail", "delivery status notification", "mail delivery failed|failure|system|subsystem", "returned mail",
		"could not be delivered", "delivery has failed", "message not delivered", "undeliverable"},
	cueAutoReply: {"out of the|my? office", "automatic reply", "auto reply", "autoreply", "away from the|my? office",
		"limited access to email", "limited access to e-mail", "will return on", "i am currently out", "on annual? leave", "out of office"},

	cueChild: {"child|children|childs|child's", "minor child|victim|female|male|girl|boy", "a|the minor", "juvenile*",
		"infant*", "toddler*", "newborn*", "csam", "icac", "ncmec", "cybertip*", "sextortion"},
	cueNotChild: {"child support", "child care", "childcare"},
	cueAge:      {"# year|yr|years|yrs old"},
	cueNDOAuthority: {"2705 b", "3123 d", "2511 2 a ii", "2709 c", "1546 2", "non disclosure order",
		"nondisclosure order", "gag order", "delayed notice order", "order precluding notice"},
	cueNotDisclose: {"not to? disclose|notify|reveal|inform|alert|tell", "don't|won't disclose|notify|tell|inform|let", "non disclosure", "nondisclosure",
		"delay* of? notice", "precluding notice", "without notice", "not be disclosed|notified"},
	cueCourtOrders: {"ordered", "order ..2 directs|commands|requires|prohibits|bars|precluding|directing",
		"court ..2 directs|orders", "court ..2 has ordered", "court further orders", "orders that", "shall not disclose|notify"},
	cueNoAction: {"do not ..3 " + stopVerbs, "don't ..3 " + stopVerbs, "do not ..3 shut down|off", "don't ..3 shut down|off",
		"do not ..3 take ..3 action", "don't ..3 take ..3 action", "not to ..3 " + stopVerbs,
		"refrain from ..3 suspend*|terminat*|disabl*|deactivat*|disconnect*|clos*|cancel*|interrupt*|restrict*|freez*|shut*|taking",
		"avoid ..3 suspend*|terminat*|disabl*|deactivat*|disconnect*|clos*|cancel*|interrupt*|shut*",
		"you not ..3 suspend*|terminat*|disabl*|deactivat*|disconnect*|close|cancel*|interrupt*|restrict*",
		"keep the|this|his|her account|number|service|line active|open|on|running|in"},
	cueExtension: {"extend|extending|renew|renewing ..3 preservation", "extension|renewal of ..3 preservation", "preservation extension|renewal",
		"2703 f 2", "additional|second|further|another 90|ninety day*", "an additional ninety|90", "a further ninety|90", "continue preserving",
		"continue to preserve", "additional 90-day", "additional ninety-day"},
	cueDanger: {"danger*", "death", "die", "dying", "kill*", "murder*", "shoot*", "shot", "gun*", "firearm*", "weapon*", "knife",
		"stab*", "kidnap*", "abduct*", "hostage*", "suicid*", "self harm", "overdose", "threat*", "imminent", "assault*",
		"bomb*", "explosive*", "serious physical|bodily injury|harm", "endanger*", "trafficking", "lured", "harm*", "hurt*",
		"injur*", "rifle", "handgun", "gunpoint", "armed", "finish it", "survive"},
	cueUrgency: {"would take", "cannot ..2 wait|obtain*|draft*|sign*|serv*|get", "can't wait", "could not be obtained",
		"no time", "not enough time", "too slow|long", "in time", "any|every delay|hour|minute", "delay could|would|may|might|will",
		"within hours", "will|would|could|should help|allow|enable|let|identify|locate|lead|assist|show|reveal|narrow",
		"needed to locate|identify|find|prevent|stop|rescue", "help ..2 locate|identify|find|rescue", "time is critical",
		"time is of the essence", "insufficient", "too late", "no way to get|obtain|have|serve", "best|only|last|fastest lead|leads|chance|hope|means|way",
		"within the hour", "within the next ..2 hour*", "before morning", "before he|she|they", "are the fastest",
		"cannot be obtained", "can't be obtained"},
	cueDangerPrompt: {"nature of the? emergency", "describe the emergency", "description of the? emergency|danger|threat"},
	cueUrgencyPrompt: {"how ..3 information|records|data ..2 help", "why the? normal|regular|standard|usual|ordinary legal? process",
		"why we|you need|cannot", "why this|it is urgent", "why this cannot wait", "why it cannot wait", "why we can't wait"},
	cuePrompt: {"describe", "description", "explain", "how", "why", "nature of", "state the"},

	cuePresent: {"the? present", "present day", "today", "the? current date", "now"},
	cueOrderDate: {"date of this|the|said order|warrant|subpoena|application|authorization", "date hereof",
		"date of entry", "date this order", "this order is entered|signed", "entry of this order", "order is entered"},
	cueLetterDate: {"date of this|my|our letter|request|email|message", "date of this|my|our e-mail", "date of this preservation request"},
	cueLookback: {"last|past|previous|preceding|prior N day|days|week|weeks|month|months|year|years|hour|hours",
		"last|past|previous|preceding day|week|month|year"},
	cueSpanBefore: {"N day|days|week|weeks|month|months|year|years preceding|prior|before"},
	cueWindow: {"N day|days ..2 commencing|beginning|starting|from|effective",
		"N day|days period|window", "period of N day|days",
		"period not to exceed N day|days"},
	cueAccountStart: {"account creation|inception|opening|activation", "date of activation", "since the account was opened|created|activated", "creation of the account", "inception of the account",
		"opening of the account", "account was opened|created|activated", "date of account creation|activation|opening",
		"the account's creation|inception|opening", "the beginning of the account", "since the account was opened"},
	cueActivation: {"activate|activating|activation", "begin intercepting|collecting|collection", "first begin",
		"go live", "start date", "start collection", "begin interception", "commence interception", "turn up|on"},
	cuePreserveLength: {"preserve|preserving|preserved ..6 for N day|days", "preserve|preserving|preserved ..6 for a period of N day|days",
		"preservation period", "N day|days pending", "N day preservation", "preservation for N day|days"},
	cueNoLater: {"no|not later than", "on or before", "prior to", "before"},
	cueBy:      {"by"},
	cueWithin: {"within N calendar|business|working? day|days|hour|hours|week|weeks", "within the|an|one hour",
		"no|not later than N calendar|business|working? day|days|hour|hours|week|weeks", "in N calendar|business|working? day|days",
		"within the? next N day|days|hour|hours"},
	cueReturnDate: {"return date", "appearance date", "date of appearance", "response due", "due date", "deadline",
		"production due", "response date", "respond by", "response needed by", "due by", "due on", "due"},
	cueReturnable: {"returnable", "return of the subpoena"},
	cueAppear:     {"appear|appearance", "testify", "date and time"},
	cueForthwith:  {"forthwith", "immediately", "without delay", "at once"},
	cueFurnish:    {"furnish|provide ..6 information|facilities|technical|assistance", "technical assistance", "facilities and technical"},
	cueToday: {"need|needed|want|require ..4 today|tonight", "today if possible", "by end of day today",
		"by the end of today", "by close of business today", "by cob today"},
	cueNotDeadline: {"execute*", "execution", "terminat*", "expir*", "end", "ends", "ending", "cease*", "until", "dated",
		"signed", "issued", "entered", "filed", "notif*", "report*", "born", "birth", "dob", "registration", "closes",
		"lapse*", "interception", "not to exceed"},
	cueResponse: {"produc*", "provid*", "respon*", "return*", "send", "sent", "deliver*", "submit*", "comply", "complet*",
		"disclos*", "need*", "want*", "reply", "records", "information", "furnish*", "due", "get the records", "data"},
	cueSuspectDemand: {"he|she|they|suspect|offender|subject demanded|demands|demanding", "his|her|their ..2 demand",
		"threatened to", "ransom"},

	cueNegation: {"not", "no", "without", "excluding", "exclude*", "except", "other than", "nor", "n't", "neither",
		"limited to"},
	cuePreserveVerb: {"preserv*", "retain*", "retention", "keep everything|all|the|any"},
	cueDiscloseVerb: {"disclos*", "produc*", "provid*", "seiz*", "send", "furnish*", "deliver*", "intercept*",
		"requested", "request", "commanded", "search", "copies", "release", "need", "demand*", "seek*", "sought", "calls for"},

	cueTargetWord: {"number|numbers|no|nos", "account|acct|accounts", "target|targets|targeted", "facility|facilities",
		"associated with", "assigned|assigned to", "registered|registered to", "subscriber|subscribed", "user of", "using", "uses", "used",
		"for", "on", "device", "identifier|identifiers", "target telephone|phone #?", "tt|tt1|tt2", "tt #", "line",
		"telephone|phone number|numbers", "subject telephone|number", "over", "called|calling|texted|texting|calls|texts ..3 from",
		"from the|this|that number|phone|line"},
	cueNotTarget: {"not a|an _ number", "not to be searched|produced|disclosed|included|provisioned", "should not be searched|produced|included|provisioned",
		"do not search|produce|provision|include", "expressly excluded", "is|are excluded", "not a target", "not the target", "not requested",
		"is|was the victim's|victims'|complainant's|witness's|reporting party's", "not a|an _ _ number", "is not the subject", "not the subject of", "not part of",
		"not covered", "not subject to", "not a target", "not targeted", "was dropped", "were dropped", "no longer", "neither is",
		"neither of", "none of", "not a provider", "not one of", "not at issue", "is a _ number", "is an _ number",
		"not a number on", "not sought", "excluded from"},
	cueNonTargetPerson: {"victim's|victims' own? cell? phone|number|line", "victim's own", "protected party's", "her|his|their mother|father|sister|brother|family",
		"mother can be reached", "client's own", "reporting party", "complainant's", "own phone", "own cell", "own number",
		"can be reached at", "witness's", "defendant's own"},
	cueContactWord: {"tel", "telephone", "phone", "ph", "office", "desk", "direct", "callback", "call back", "contact",
		"reach me", "call me", "me at", "contact me", "work", "cell", "mobile", "fax", "direct line", "main", "number is",
		"reached", "reached at", "call him|her at", "contact him|her at", "at his|her desk"},
	cueMeAt: {"call|reach|contact|text|phone me", "me at", "me directly at", "my office|desk|direct|work line|number|phone", "my number|phone|line|desk|office",
		"my cell|mobile", "me on my", "verify me", "i can be reached"},
	cueOtherPerson: {"supervisor|supervisory|supervising", "sergeant", "lieutenant", "lt", "captain", "commander", "ausa", "ada", "asa",
		"aag", "attorney", "prosecutor", "judge", "magistrate", "clerk", "counsel", "chief", "group supervisor", "duty agent",
		"presented|prepared|requested|approved|submitted by", "issued at the request of", "copy to", "j s c", "esq", "court administrator"},
	cueAgencyLine: {"main", "main line|number|office", "switchboard", "dispatch*", "command post", "wire room", "wireroom",
		"plant", "communications", "barracks", "duty agent|officer|desk", "elsur", "technical operations", "operations center",
		"court clerk", "clerk's office", "24 hour line", "hotline", "tip line", "front desk", "watch center", "24 hour dispatch",
		"troop", "field office main", "agency main", "on scene", "operations desk", "duty desk", "dispatch center", "main desk",
		"command center|centre", "operations center|centre", "coordination center|centre", "communications center|centre",
		"operations coordination", "watch office", "duty officer", "after hours", "after-hours", "24/7 line", "tip line",
		"switchboard", "front office", "general line", "reception"},
	cueDesk: {"desk", "office", "direct", "work", "callback", "call back", "landline", "office|desk|direct|work line|phone",
		"officer|contact|callback|office phone", "direct dial", "desk line"},
	cueMobile: {"cell|cellular|mobile|bb|blackberry|iphone", "cell|mobile phone"},
	cueFax:    {"fax|facsimile"},
	cueTargetLabel: {"target|targets|targeted|facility|facilities|tt|tt1|tt2|tt3", "did|dids", "tt #", "account", "subscriber", "subscriber number", "subject telephone",
		"suspect|suspect's|suspects|offender|offender's|subject's|caller|caller's|perpetrator|perpetrator's", "used by", "user of"},
}

var lex = newLexicon(expandPhrases(allPhrases()))

// expandPhrases writes each phrase as the text is read: hyphens split
// words, and N stands for a count ("90", "ninety", "ninety (90)",
// "forty-five (45)"). Optional first and second elements are written out
// as separate phrases, so that the lexicon can index every phrase by its
// first two words.
func expandPhrases(in [][]string) [][]string {
	counts := []string{"#", num, num + " #", num + " " + num, num + " " + num + " #"}
	out := make([][]string, len(in))
	for c, list := range in {
		for _, p := range list {
			for _, el := range strings.Fields(p) {
				if strings.Contains(el, "|") && strings.Contains(el, "-") || !strings.HasPrefix(el, "..") && strings.ContainsAny(el, ",.:;") {
					panic("lexicon: punctuation or a hyphenated alternative in phrase: " + p)
				}
			}
			variants := []string{strings.ReplaceAll(p, "-", " ")}
			for strings.Contains(variants[0], " N ") || strings.HasPrefix(variants[0], "N ") || strings.HasSuffix(variants[0], " N") {
				var next []string
				for _, v := range variants {
					f := strings.Fields(v)
					for i, w := range f {
						if w != "N" {
							continue
						}
						for _, cnt := range counts {
							g := append(append(append([]string{}, f[:i]...), cnt), f[i+1:]...)
							next = append(next, strings.Join(g, " "))
						}
						break
					}
				}
				variants = next
			}
			for _, v := range variants {
				out[c] = append(out[c], optionalLead(strings.Fields(v))...)
			}
		}
	}
	return out
}

// optionalLead writes a phrase whose first or second element is optional
// ("the? present", "this|the court? order") as phrases with and without
// it.
func optionalLead(f []string) []string {
	switch {
	case len(f) > 1 && strings.HasSuffix(f[0], "?"):
		with := append([]string{strings.TrimSuffix(f[0], "?")}, f[1:]...)
		return append(optionalLead(with), optionalLead(f[1:])...)
	case len(f) > 2 && strings.HasSuffix(f[1], "?"):
		with := append([]string{f[0], strings.TrimSuffix(f[1], "?")}, f[2:]...)
		without := append([]string{f[0]}, f[2:]...)
		return append(optionalLead(with), optionalLead(without)...)
	}
	return []string{strings.Join(f, " ")}
}

// scanCues finds every cue phrase in d.
func scanCues(d *doc) [][]span {
	hits := lex.scan(d)
	// "cell" in "cell site", "cell-site location", "cell tower" names
	// records, not a cell phone: it labels no number and makes no
	// contact line.
	for _, c := range []cue{cueMobile, cueContactWord} {
		kept := hits[c][:0]
		for _, h := range hits[c] {
			if !(strings.HasPrefix(d.lc[h.start:h.end], "cell") && d.cellRecords(h.end)) {
				kept = append(kept, h)
			}
		}
		hits[c] = kept
	}
	return hits
}
