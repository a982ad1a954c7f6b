package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"slices"
	"strings"
)

// checkBoltFile reads the structure of a bbolt file without bbolt, so a
// damaged file is refused with a reason instead of making bbolt panic
// (or fault on its memory map) later. It follows the format bbolt
// writes (two checksummed meta pages, then branch, leaf and freelist
// pages) from the meta bbolt would use, visits each page at most once,
// and checks that every page it is pointed to exists, has the right id
// and type, that elements, keys and values lie inside their page, that
// keys in a page are in order, and that no page is both in use and free.
// The work is bounded by the file: page headers, element tables and keys
// are read; values (raw messages) are not. It returns "" when the file
// is sound, else one line saying what is wrong.
func checkBoltFile(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "cannot read it: " + err.Error()
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "cannot read it: " + err.Error()
	}
	c := &boltChecker{f: f, size: fi.Size()}
	if err := c.check(); err != nil {
		return err.Error()
	}
	return ""
}

// Layout constants of bbolt's file format (go.etcd.io/bbolt/internal/common).
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	boltPageHeader   = 16 // id u64, flags u16, count u16, overflow u32
	boltElemSize     = 16 // branch: pos, ksize u32, pgid u64; leaf: flags, pos, ksize, vsize u32
	boltBranchPage   = 0x01
	boltLeafPage     = 0x02
	boltMetaPage     = 0x04
	boltFreelistPage = 0x10
	boltBucketLeaf   = 0x01
	boltNoFreelist   = ^uint64(0)
	boltMetaChecksum = 56 // offset of the checksum in the meta
	boltMaxNesting   = 64 // buckets within buckets (lebot uses two levels)
)

// bbolt writes integers in the machine's byte order.
var ne = binary.NativeEndian

type boltMeta struct {
	pageSize, root, freelist, hwm, txid uint64
}

type boltChecker struct {
	f        io.ReaderAt
	size     int64
	meta     boltMeta
	used     []bool // by page id: reached from the root or the freelist
	free     []bool // by page id: listed in the freelist
	pageSize int64
}

func (c *boltChecker) check() error {
	if c.size < 1024 {
		return fmt.Errorf("it is %d bytes long, too short to be a database (truncated?)", c.size)
	}
	m, err := c.readMetas()
	if err != nil {
		return err
	}
	c.meta, c.pageSize = m, int64(m.pageSize)
	if need := int64(m.hwm) * c.pageSize; need > c.size || m.hwm < 3 {
		return fmt.Errorf("it is %d bytes long but its header says %d (truncated?)", c.size, need)
	}
	if m.root < 2 || m.root >= m.hwm {
		return fmt.Errorf("its header points at page %d, outside the file", m.root)
	}
	c.used = make([]bool, m.hwm)
	c.free = make([]bool, m.hwm)
	c.used[0], c.used[1] = true, true
	if m.freelist != boltNoFreelist {
		if err := c.readFreelist(m.freelist); err != nil {
			return err
		}
	}
	return c.walkBucket(m.root, 0)
}

// readMetas returns the valid meta with the highest transaction id, as
// bbolt picks it; the page size comes from the first valid meta found.
func (c *boltChecker) readMetas() (boltMeta, error) {
	var metas []boltMeta
	if m, ok := c.metaAt(0); ok {
		metas = append(metas, m)
		if m2, ok := c.metaAt(int64(m.pageSize)); ok {
			metas = append(metas, m2)
		}
	} else {
		for i := range 15 { // bbolt's own search for the second meta
			if m2, ok := c.metaAt(1024 << i); ok {
				metas = append(metas, m2)
				break
			}
		}
	}
	if len(metas) == 0 {
		return boltMeta{}, errors.New("it has no valid database header (not a bbolt file, or both header pages are overwritten)")
	}
	best := metas[0]
	for _, m := range metas[1:] {
		if m.txid > best.txid && m.pageSize == best.pageSize {
			best = m
		}
	}
	return best, nil
}

func (c *boltChecker) metaAt(off int64) (boltMeta, bool) {
	var b [boltPageHeader + 64]byte
	if off+int64(len(b)) > c.size {
		return boltMeta{}, false
	}
	if _, err := c.f.ReadAt(b[:], off); err != nil {
		return boltMeta{}, false
	}
	if ne.Uint16(b[8:]) != boltMetaPage {
		return boltMeta{}, false
	}
	m := b[boltPageHeader:]
	h := fnv.New64a()
	h.Write(m[:boltMetaChecksum])
	if ne.Uint32(m[0:]) != boltMagic || ne.Uint32(m[4:]) != boltVersion || ne.Uint64(m[boltMetaChecksum:]) != h.Sum64() {
		return boltMeta{}, false
	}
	ps := uint64(ne.Uint32(m[8:]))
	if ps < 512 || ps > 1<<24 || ps&(ps-1) != 0 {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: ps, root: ne.Uint64(m[16:]), freelist: ne.Uint64(m[32:]),
		hwm: ne.Uint64(m[40:]), txid: ne.Uint64(m[48:])}, true
}

// page reads page id's header and its first page (at most), checking
// the id, that its type is one of types and that its span is in the
// file; with markUsed it marks the span used. It returns the bytes read,
// the type and the span's length.
func (c *boltChecker) page(id uint64, markUsed bool, types ...uint16) (buf []byte, flags uint16, span int64, err error) {
	if id < 2 || id >= c.meta.hwm {
		return nil, 0, 0, fmt.Errorf("a reference to page %d, outside the file", id)
	}
	buf = make([]byte, min(c.pageSize, c.size-int64(id)*c.pageSize))
	if _, err := c.f.ReadAt(buf, int64(id)*c.pageSize); err != nil && !errors.Is(err, io.EOF) {
		return nil, 0, 0, fmt.Errorf("page %d cannot be read: %v", id, err)
	}
	if got := ne.Uint64(buf[0:]); got != id {
		return nil, 0, 0, fmt.Errorf("page %d's header is overwritten (it names page %d)", id, got)
	}
	flags = ne.Uint16(buf[8:])
	if !slices.Contains(types, flags) {
		return nil, 0, 0, fmt.Errorf("page %d has type %#x where a %s page belongs", id, flags, pageTypeNames(types))
	}
	overflow := uint64(ne.Uint32(buf[12:]))
	if id+overflow >= c.meta.hwm {
		return nil, 0, 0, fmt.Errorf("page %d runs past the end of the file", id)
	}
	if markUsed {
		for p := id; p <= id+overflow; p++ {
			if c.used[p] {
				return nil, 0, 0, fmt.Errorf("page %d is used twice", p)
			}
			if c.free[p] {
				return nil, 0, 0, fmt.Errorf("page %d is both in use and free", p)
			}
			c.used[p] = true
		}
	}
	return buf, flags, int64(overflow+1) * c.pageSize, nil
}

// extend reads more of page id's span when buf is shorter than n; an
// inline bucket's page (id 0) is all in buf already.
func (c *boltChecker) extend(id uint64, buf []byte, n int64) ([]byte, error) {
	if int64(len(buf)) >= n {
		return buf, nil
	}
	if id == 0 {
		return nil, errors.New("an inline bucket is cut short")
	}
	out := make([]byte, n)
	if _, err := c.f.ReadAt(out, int64(id)*c.pageSize); err != nil {
		return nil, fmt.Errorf("page %d cannot be read: %v", id, err)
	}
	return out, nil
}

func (c *boltChecker) readFreelist(id uint64) error {
	buf, _, span, err := c.page(id, false, boltFreelistPage)
	if err != nil {
		return fmt.Errorf("free list: %v", err)
	}
	count, start := uint64(ne.Uint16(buf[10:])), int64(boltPageHeader)
	if count == 0xFFFF { // the real count is the first element
		count, start = ne.Uint64(buf[boltPageHeader:]), boltPageHeader+8
	}
	if count > uint64(span) || start+int64(count)*8 > span {
		return fmt.Errorf("the free list on page %d claims %d entries, more than it holds", id, count)
	}
	if buf, err = c.extend(id, buf, start+int64(count)*8); err != nil {
		return err
	}
	for i := range int64(count) {
		p := ne.Uint64(buf[start+i*8:])
		if p < 2 || p >= c.meta.hwm {
			return fmt.Errorf("the free list names page %d, outside the file", p)
		}
		c.free[p] = true
	}
	for p := id; p < id+uint64(span/c.pageSize); p++ {
		if c.free[p] {
			return fmt.Errorf("page %d is both the free list and free", p)
		}
		c.used[p] = true
	}
	return nil
}

// walkBucket checks the tree of pages of a bucket rooted at page root.
func (c *boltChecker) walkBucket(root uint64, depth int) error {
	if depth > boltMaxNesting {
		return errors.New("buckets nested too deep")
	}
	stack := []uint64{root}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		buf, flags, span, err := c.page(id, true, boltBranchPage, boltLeafPage)
		if err != nil {
			return err
		}
		children, err := c.node(id, buf, span, flags == boltBranchPage, depth)
		if err != nil {
			return err
		}
		stack = append(stack, children...)
	}
	return nil
}

// boltElem is one element of a branch or leaf page; offsets are from
// the start of the page.
type boltElem struct {
	key, val [2]int64 // [start, end)
	bucket   bool
	child    uint64
}

// node checks one branch or leaf page (or an inline bucket's page, id 0,
// whose bytes are all of buf) and returns its child pages; it walks the
// buckets its leaf entries hold.
func (c *boltChecker) node(id uint64, buf []byte, span int64, branch bool, depth int) ([]uint64, error) {
	count := int64(ne.Uint16(buf[10:]))
	table := boltPageHeader + count*boltElemSize
	if table > span {
		return nil, fmt.Errorf("page %d claims %d elements, more than it holds", id, count)
	}
	buf, err := c.extend(id, buf, table)
	if err != nil {
		return nil, err
	}
	elems := make([]boltElem, count)
	need := table // what the keys and bucket headers need read
	for i := range elems {
		e := boltPageHeader + int64(i)*boltElemSize
		el := &elems[i]
		var pos, ksize, vsize int64
		if branch {
			pos, ksize, el.child = int64(ne.Uint32(buf[e:])), int64(ne.Uint32(buf[e+4:])), ne.Uint64(buf[e+8:])
		} else {
			el.bucket = ne.Uint32(buf[e:])&boltBucketLeaf != 0
			pos, ksize, vsize = int64(ne.Uint32(buf[e+4:])), int64(ne.Uint32(buf[e+8:])), int64(ne.Uint32(buf[e+12:]))
		}
		el.key = [2]int64{e + pos, e + pos + ksize}
		el.val = [2]int64{el.key[1], el.key[1] + vsize}
		if el.val[1] > span {
			return nil, fmt.Errorf("page %d: element %d lies outside the page", id, i)
		}
		need = max(need, el.key[1])
		if el.bucket {
			need = max(need, el.val[1])
		}
	}
	if buf, err = c.extend(id, buf, need); err != nil {
		return nil, err
	}
	var children []uint64
	for i, el := range elems {
		if i > 0 && bytes.Compare(buf[elems[i-1].key[0]:elems[i-1].key[1]], buf[el.key[0]:el.key[1]]) >= 0 {
			return nil, fmt.Errorf("page %d: keys out of order", id)
		}
		if branch {
			children = append(children, el.child)
			continue
		}
		if !el.bucket {
			continue
		}
		if err := c.bucketValue(id, buf[el.val[0]:el.val[1]], depth); err != nil {
			return nil, err
		}
	}
	return children, nil
}

// bucketValue checks a bucket entry's value: a header naming the
// bucket's root page, or, for an inline bucket, its leaf page.
func (c *boltChecker) bucketValue(id uint64, v []byte, depth int) error {
	if len(v) < 16 {
		return fmt.Errorf("page %d: a bucket entry too short to be one", id)
	}
	if root := ne.Uint64(v); root != 0 {
		return c.walkBucket(root, depth+1)
	}
	in := v[16:]
	if len(in) < boltPageHeader || ne.Uint16(in[8:]) != boltLeafPage {
		return fmt.Errorf("page %d: an inline bucket without its page", id)
	}
	if depth+1 > boltMaxNesting {
		return errors.New("buckets nested too deep")
	}
	sub, err := c.node(0, in, int64(len(in)), false, depth+1)
	if err == nil && len(sub) > 0 {
		err = fmt.Errorf("page %d: an inline bucket with child pages", id)
	}
	return err
}

func pageTypeNames(types []uint16) string {
	names := map[uint16]string{boltBranchPage: "branch", boltLeafPage: "leaf", boltFreelistPage: "free-list"}
	var out []string
	for _, t := range types {
		out = append(out, names[t])
	}
	return strings.Join(out, " or ")
}
