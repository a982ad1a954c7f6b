// Package intake takes mail in: an SMTP server and an inbound-mail HTTP
// endpoint feed one Service, which reads each message with intake/triage
// and hands the draft request to a Sink that stores it durably before the
// sender is answered.
package intake
