package triage

import (
	"context"
	"path/filepath"
	"strings"
	"fmt"
	"os"
	"testing"
)

func TestZZDebug(t *testing.T) {
	fn := os.Getenv("ZZ")
	if fn == "" {
		t.Skip()
	}
	raw, _ := os.ReadFile(fn)
	m, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	d := newDoc(m)
	for _, p := range d.parts {
		fmt.Printf("part %s %d-%d\n", p.name, p.start, p.end)
	}
	for _, r := range d.phoneRoles() {
		fmt.Printf("%q role=%d label=%d owner=%q me=%v strong=%v ign=%v\n", d.s[r.start:r.end], r.role, r.label, r.owner, r.me, r.strong, d.ignorable(r.start))
	}
	if os.Getenv("ZZTEXT") != "" {
		fmt.Println(d.s)
	}
}

func TestZZDates(t *testing.T) {
	fn := os.Getenv("ZZ")
	if fn == "" {
		t.Skip()
	}
	raw, _ := os.ReadFile(fn)
	m, _ := Parse(raw)
	d := newDoc(m)
	for _, h := range d.dateList {
		fmt.Printf("%q %v %v\n", d.s[h.start:h.end], h.date, h.last)
	}
}

func TestZZNum(t *testing.T) {
	for _, s := range []string{"x 10.02.2026.", "x 10.02.2026 y", "is 11.30.2026.\n"} {
	fmt.Println(s)
	for _, h := range findDatesOrder(s, s, false) {
		fmt.Println(s[h.start:h.end])
	}
	}
}

func TestZZLex(t *testing.T) {
	if os.Getenv("ZZLEX") == "" {
		t.Skip()
	}
	lx := lex
	fmt.Println("pats", len(lx.pats), "byAny", len(lx.byAny), "byNum", len(lx.byNum), "byWord", len(lx.byWord), "byPair", len(lx.byPair), "byStem", len(lx.byStem), "numPair", len(lx.numPair))
	m, _ := Parse(textMessage(20 << 10))
	d := newDoc(m)
	tries := 0
	for i := range d.words {
		w := d.lc[d.words[i].start:d.words[i].end]
		tries += len(lx.firstCands(w))
	}
	fmt.Println("words", len(d.words), "first tries", tries)
}

func TestZZMixed(t *testing.T) {
	if os.Getenv("ZZMIX") == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "heldout", "*.eml"))
	var body strings.Builder
	for _, f := range files {
		m, err := Parse(mustRead(t, f))
		if err != nil {
			t.Fatal(err)
		}
		body.WriteString(strings.ReplaceAll(m.Body, "\n", "\r\n") + "\r\n\r\n")
		if body.Len() > 20<<10 {
			break
		}
	}
	raw := benchHeader + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.String()
	m, _ := Parse([]byte(raw))
	fmt.Println(len(raw), len(m.Body), m.Warnings)
	res, _ := Triage(context.Background(), []byte(raw), Options{})
	fmt.Println(res.Facts.Kinds, res.Facts.NotRequest, len(res.Facts.Identifiers))
}

func BenchmarkZZScale(b *testing.B) {
	for _, kb := range []int{5, 10, 20, 40, 80} {
		raw := textMessage(kb << 10)
		b.Run(fmt.Sprint(kb), func(b *testing.B) {
			for b.Loop() {
				Triage(context.Background(), raw, Options{})
			}
		})
	}
}
