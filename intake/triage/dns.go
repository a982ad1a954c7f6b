package triage

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// LoadDNSFile reads a JSON map of DNS name to TXT record (the corpus
// dns.json format) and returns a LookupTXT function answering from it.
func LoadDNSFile(path string) (func(string) ([]string, error), error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read dns file %s: %w", path, err)
	}
	var recs map[string]string
	if err := json.Unmarshal(b, &recs); err != nil {
		return nil, fmt.Errorf("parse dns file %s: %w", path, err)
	}
	norm := make(map[string]string, len(recs))
	for k, v := range recs {
		norm[strings.TrimSuffix(strings.ToLower(k), ".")] = v
	}
	return func(name string) ([]string, error) {
		if v, ok := norm[strings.TrimSuffix(strings.ToLower(name), ".")]; ok {
			return []string{v}, nil
		}
		return nil, fmt.Errorf("lookup %s: no such TXT record", name)
	}, nil
}
