// Package triage reads legal process out of an e-mail: MIME, HTML and PDF
// text, the sender's DKIM and domain verdicts, the facts of the request
// (kinds, identifiers, period, deadline, agent, non-disclosure), their
// check against the policy, and the evaluation of all that against a
// labelled corpus.
//
// It is the reading half of intake. It does no I/O of its own beyond what
// its caller hands it (raw bytes, a DNS lookup function, a corpus
// directory), reads no clock (the time a message was received is passed
// in), and imports no mail transport, HTTP server or store: the parent
// package intake receives mail over SMTP and HTTP and stores it.
package triage
