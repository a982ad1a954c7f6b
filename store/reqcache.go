package store

import (
	"bytes"
	"container/list"
	"reflect"
	"sync"

	"github.com/lebot-dev/lebot/legal"
)

// reqCacheSize bounds the decoded requests a store keeps: the pages that
// /legal list, the App Home and the digest read again and again, not the
// whole store.
const reqCacheSize = 1024

// reqCache keeps recently decoded requests with the stored bytes they
// were decoded from. A read that fetches the same bytes again gets a deep
// copy of the decoded request instead of decoding JSON (and opening
// AES-GCM) once more; bytes that differ at all — a write by any replica,
// a purge — decode afresh and replace the entry (this replica's own
// writes replace it as they are made). Callers own what they
// get: it shares no memory with the cache.
type reqCache struct {
	mu  sync.Mutex
	max int
	m   map[string]*list.Element
	ll  *list.List // front: most recently used
}

type reqCacheEntry struct {
	id  string
	raw []byte
	req *legal.Request
}

func newReqCache(max int) *reqCache {
	return &reqCache{max: max, m: make(map[string]*list.Element), ll: list.New()}
}

// decodeString is decode for a value read as a string (MGET): a cached
// request is found without copying the string to bytes first.
func (c *reqCache) decodeString(cr *crypt, id string, v string, share bool) (*legal.Request, error) {
	if r, ok := c.hit(id, func(raw []byte) bool { return string(raw) == v }, share); ok {
		return r, nil
	}
	return c.decode(cr, id, []byte(v), share)
}

// hit returns id's cached request when same says the stored bytes are
// the cached ones: the value itself with share, else a deep copy.
func (c *reqCache) hit(id string, same func(raw []byte) bool, share bool) (*legal.Request, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	el, ok := c.m[id]
	if !ok || !same(el.Value.(*reqCacheEntry).raw) {
		c.mu.Unlock()
		return nil, false
	}
	c.ll.MoveToFront(el)
	r := el.Value.(*reqCacheEntry).req
	c.mu.Unlock()
	if !share {
		r = deepCopy(r)
	}
	return r, true
}

// decode returns the request stored as b under id. With share, the
// caller promises not to change it (Shared) and may get the cached value
// itself rather than a copy.
func (c *reqCache) decode(cr *crypt, id string, b []byte, share bool) (*legal.Request, error) {
	if c == nil {
		return cr.decodeRequest(id, b)
	}
	if r, ok := c.hit(id, func(raw []byte) bool { return bytes.Equal(raw, b) }, share); ok {
		return r, nil
	}
	r, err := cr.decodeRequest(id, b)
	if err != nil {
		return nil, err
	}
	if share {
		c.put(id, bytes.Clone(b), r)
	} else {
		c.put(id, bytes.Clone(b), deepCopy(r))
	}
	return r, nil
}

func (c *reqCache) put(id string, raw []byte, r *legal.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[id]; ok {
		el.Value = &reqCacheEntry{id, raw, r}
		c.ll.MoveToFront(el)
		return
	}
	c.m[id] = c.ll.PushFront(&reqCacheEntry{id, raw, r})
	for c.ll.Len() > c.max {
		old := c.ll.Remove(c.ll.Back()).(*reqCacheEntry)
		delete(c.m, old.id)
	}
}

// deepCopy copies v and everything it reaches through pointers, slices
// and maps, so the copy shares no mutable memory with v. It follows the
// types themselves (every field, exported or not, is copied as a value
// first), so a field added to legal.Request later is copied too.
func deepCopy[T any](v T) T {
	src := reflect.ValueOf(&v).Elem()
	dst := reflect.New(src.Type()).Elem()
	copyValue(dst, src)
	return dst.Interface().(T)
}

func copyValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyValue(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			copyValue(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			k := reflect.New(src.Type().Key()).Elem()
			copyValue(k, it.Key())
			v := reflect.New(src.Type().Elem()).Elem()
			copyValue(v, it.Value())
			m.SetMapIndex(k, v)
		}
		dst.Set(m)
	case reflect.Struct:
		dst.Set(src) // every field by value, unexported ones included
		for i := range src.NumField() {
			if dst.Field(i).CanSet() && needsDeep(src.Field(i).Kind()) {
				copyValue(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Array:
		for i := range src.Len() {
			copyValue(dst.Index(i), src.Index(i))
		}
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		e := reflect.New(src.Elem().Type()).Elem()
		copyValue(e, src.Elem())
		dst.Set(e)
	default:
		dst.Set(src)
	}
}

func needsDeep(k reflect.Kind) bool {
	switch k {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Struct, reflect.Array, reflect.Interface:
		return true
	}
	return false
}
