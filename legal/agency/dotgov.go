package agency

import (
	_ "embed"
	"strings"
	"sync"
)

// dotgovData is CISA's registry of .gov domains with their level; see
// gen_dotgov.go for how to regenerate it.
//
//go:generate go run gen_dotgov.go current-full.csv DATA-DATE > dotgov.txt
//go:embed dotgov.txt
var dotgovData string

var (
	dotgovOnce sync.Once
	dotgov     map[string]Level
)

func dotgovTable() map[string]Level {
	dotgovOnce.Do(func() {
		dotgov = make(map[string]Level, 17000)
		for _, line := range strings.Split(dotgovData, "\n") {
			domain, code, ok := strings.Cut(line, " ")
			if !ok || strings.HasPrefix(line, "#") {
				continue
			}
			switch code {
			case "F":
				dotgov[domain] = LevelFederal
			case "S", "I":
				dotgov[domain] = LevelState
			case "L":
				dotgov[domain] = LevelLocal
			case "T":
				dotgov[domain] = LevelTribal
			}
		}
	})
	return dotgov
}

// dotgovLevel looks up a .gov name and, for a subdomain (ic.fbi.gov),
// the registered domain it is under.
func dotgovLevel(labels []string) Level {
	t := dotgovTable()
	for i := 0; i < len(labels)-1; i++ {
		if l, ok := t[strings.Join(labels[i:], ".")]; ok {
			return l
		}
	}
	return LevelUnknown
}
