package triage

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestLoadDNSFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "dns.json")
	if err := os.WriteFile(good, []byte(`{"s1._domainkey.Example.GOV.": "v=DKIM1; k=rsa; p=AAAA"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	lookup, err := LoadDNSFile(good)
	if err != nil {
		t.Fatalf("LoadDNSFile: %v", err)
	}
	tests := []struct {
		name    string
		want    []string
		wantErr bool
	}{
		{name: "s1._domainkey.example.gov", want: []string{"v=DKIM1; k=rsa; p=AAAA"}},
		{name: "S1._DOMAINKEY.EXAMPLE.GOV.", want: []string{"v=DKIM1; k=rsa; p=AAAA"}},
		{name: "s2._domainkey.example.gov", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := lookup(tt.name)
			if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
				t.Errorf("got %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`["not", "a", "map"]`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{bad, filepath.Join(dir, "missing.json")} {
		if _, err := LoadDNSFile(p); err == nil {
			t.Errorf("LoadDNSFile(%s): got nil error, want one", filepath.Base(p))
		}
	}
}
