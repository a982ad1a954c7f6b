package store

import (
	"fmt"
	"strings"
)

// AmbiguousIDError is ResolveID's answer to a number without a year that
// matches requests of several years. It wraps ErrNotFound.
type AmbiguousIDError struct {
	Input string
	IDs   []string // the matching ids, oldest year first
}

func (e *AmbiguousIDError) Error() string {
	return fmt.Sprintf("%q is ambiguous (%s); give the year", e.Input, strings.Join(e.IDs, ", "))
}

func (e *AmbiguousIDError) Unwrap() error { return ErrNotFound }
