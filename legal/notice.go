package legal

// Requirement is what a checklist item asks of the agency, in the words
// of the company's guidelines (POLICY.md), for notices sent to agencies:
// "the nature of the emergency: …".
func (i ItemID) Requirement() string {
	switch i {
	case ItemOfficialDomain:
		return "the request sent by the agency from its official domain (for example a .gov address)"
	case ItemLegalProcess:
		return "valid, enforceable legal process (a subpoena, court order or search warrant) that compels production"
	case ItemAgentContact:
		return "the name of the agent or representative serving the request, with contact information"
	case ItemParticularRecords:
		return "the categories of records or information sought, stated with particularity"
	case ItemAccountIdentifier:
		return "enough to identify the account: a phone number or account identifier"
	case ItemTimePeriod:
		return "the specific time period requested"
	case ItemWarrantForContent:
		return "a search warrant (or, for real-time content, an intercept order): the contents of communications are produced only under one"
	case ItemDangerDescription:
		return "the nature of the emergency: a good-faith belief of a danger of death or serious physical injury"
	case ItemUrgencyJustification:
		return "how the information would help avert the danger, and why normal disclosure would be too slow"
	}
	return i.Label()
}
