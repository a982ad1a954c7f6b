package store

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

// fill sets every field v reaches (through pointers, slices and maps) to
// a value derived from seed, writing into existing memory where there is
// some: run on a copy that shared memory with an original, it would
// change the original too.
func fill(v reflect.Value, seed int) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), seed)
	case reflect.Slice:
		if v.IsNil() || v.Len() == 0 {
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		}
		for i := range v.Len() {
			fill(v.Index(i), seed+i)
		}
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		k := reflect.New(v.Type().Key()).Elem()
		fill(k, 1) // the same key for every seed: a shared map would be overwritten
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, seed)
		v.SetMapIndex(k, e)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Unix(int64(seed)*1000, 0).UTC()))
			return
		}
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				fill(v.Field(i), seed+i)
			}
		}
	case reflect.String:
		v.SetString("s" + string(rune('a'+seed%26)))
	case reflect.Bool:
		v.SetBool(seed%2 == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(seed%100 + 1))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(seed%100 + 1))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(seed) + 0.5)
	}
}

// TestDeepCopyRequest: a copy of a request with every field set is equal
// to it and shares nothing with it — writing every field of the copy
// leaves the original as it was. Fields added to legal.Request later are
// covered without changing this test.
func TestDeepCopyRequest(t *testing.T) {
	var orig, want legal.Request
	fill(reflect.ValueOf(&orig).Elem(), 3)
	fill(reflect.ValueOf(&want).Elem(), 3)
	c := deepCopy(&orig)
	if !reflect.DeepEqual(c, &orig) {
		t.Fatalf("copy differs from the original")
	}
	fill(reflect.ValueOf(c).Elem(), 11)
	if reflect.DeepEqual(c, &orig) {
		t.Fatal("writing the copy changed nothing: the test's filler is broken")
	}
	if !reflect.DeepEqual(&orig, &want) {
		t.Error("writing the copy changed the original: they share memory")
	}
}

// TestReqCache: the same stored bytes give an equal request that the
// caller may change freely; other bytes (a write elsewhere) decode
// afresh; the cache holds no more than its bound.
func TestReqCache(t *testing.T) {
	rc := newReqCache(2)
	enc := func(r *legal.Request) []byte {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	r1 := &legal.Request{ID: "LE-2026-0001", Subject: "first", Facts: legal.Facts{Identifiers: []string{"+12025550100"}}}
	b1 := enc(r1)
	got, err := rc.decode(nil, r1.ID, b1, false)
	if err != nil {
		t.Fatal(err)
	}
	got.Facts.Identifiers[0] = "changed by a caller"
	got.Subject = "changed"
	again, err := rc.decode(nil, r1.ID, b1, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.Subject != "first" || again.Facts.Identifiers[0] != "+12025550100" {
		t.Errorf("a caller's change reached the cache: %q %v", again.Subject, again.Facts.Identifiers)
	}
	r1.Subject = "rewritten by another replica"
	fresh, err := rc.decode(nil, r1.ID, enc(r1), false)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Subject != r1.Subject {
		t.Errorf("new bytes gave %q, want %q", fresh.Subject, r1.Subject)
	}
	if _, err := rc.decode(nil, "LE-2026-0002", []byte("{not json"), false); err == nil {
		t.Error("undecodable bytes: no error")
	}
	for _, id := range []string{"LE-2026-0003", "LE-2026-0004", "LE-2026-0005"} {
		if _, err := rc.decode(nil, id, enc(&legal.Request{ID: id}), false); err != nil {
			t.Fatal(err)
		}
	}
	if n := rc.ll.Len(); n != 2 || len(rc.m) != 2 {
		t.Errorf("cache holds %d entries (%d in the map), want its bound 2", n, len(rc.m))
	}
}

// TestReqCacheShared: reads that promise not to change what they get
// (Shared) get the cached value itself, not a copy; a plain read still
// gets a copy, so its caller's changes reach neither; new bytes decode
// afresh for shared reads too.
func TestReqCacheShared(t *testing.T) {
	rc := newReqCache(4)
	r1 := &legal.Request{ID: "LE-2026-0001", Subject: "first", Facts: legal.Facts{Identifiers: []string{"+12025550100"}}}
	b1, err := json.Marshal(r1)
	if err != nil {
		t.Fatal(err)
	}
	first, err := rc.decode(nil, r1.ID, b1, true) // a miss: decoded, kept and returned as is
	if err != nil {
		t.Fatal(err)
	}
	second, err := rc.decode(nil, r1.ID, b1, true)
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Error("two shared reads of the same bytes got two copies, want the cached value")
	}
	plain, err := rc.decode(nil, r1.ID, b1, false)
	if err != nil {
		t.Fatal(err)
	}
	if plain == first || !reflect.DeepEqual(plain, first) {
		t.Fatalf("a plain read got %p %+v, want a copy equal to the shared %p", plain, plain, first)
	}
	plain.Subject, plain.Facts.Identifiers[0] = "changed", "changed by a caller"
	if first.Subject != "first" || first.Facts.Identifiers[0] != "+12025550100" {
		t.Errorf("a plain caller's change reached the shared value: %q %v", first.Subject, first.Facts.Identifiers)
	}
	r1.Subject = "rewritten"
	b2, _ := json.Marshal(r1)
	fresh, err := rc.decode(nil, r1.ID, b2, true)
	if err != nil || fresh.Subject != "rewritten" || first.Subject != "first" {
		t.Errorf("new bytes: got %+v (%v), and the earlier shared value %q, want a fresh decode that leaves it", fresh, err, first.Subject)
	}
}
