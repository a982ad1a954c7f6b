// Package e2e holds lebot's end-to-end fault-injection tests: real SMTP
// sessions into the real intake, a real Redis or bbolt store, Slack faked
// by internal/fakeslack, and faults injected from outside (Redis killed
// and restarted, Slack answering 500 and 429, the process killed with
// SIGKILL). Each ends by checking that every message the intake accepted
// with 250 is stored exactly once and has exactly one card in the legal
// channel. It has no code outside its tests.
package e2e
