package triage

// wordTable interns the words of one text: an open-addressing hash table
// (FNV-1a, linear probing) that is cheaper per look-up than a Go map for
// the few hundred short, distinct words of a letter, and is reused between
// readings without reallocating.
type wordTable struct {
	slots []wordSlot
	n     int
}

type wordSlot struct {
	key  string
	id   int32
	used bool
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// get returns w's id, or false.
func (t *wordTable) get(w string) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint32(len(t.slots) - 1)
	for i := fnv32(w) & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if !s.used {
			return 0, false
		}
		if s.key == w {
			return s.id, true
		}
	}
}

// put adds w with id; w must not be in t.
func (t *wordTable) put(w string, id int32) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := uint32(len(t.slots) - 1)
	i := fnv32(w) & mask
	for t.slots[i].used {
		i = (i + 1) & mask
	}
	t.slots[i] = wordSlot{key: w, id: id, used: true}
	t.n++
}

func (t *wordTable) grow() {
	old := t.slots
	t.slots = make([]wordSlot, max(512, 2*len(old)))
	t.n = 0
	for _, s := range old {
		if s.used {
			t.put(s.key, s.id)
		}
	}
}

// reset empties t, keeping its slots, so no word of the last text stays
// referenced.
func (t *wordTable) reset() {
	if t.n > 0 {
		clear(t.slots)
		t.n = 0
	}
}

// pairTable maps a pair of word ids to the phrases that may start there,
// in the same way.
type pairTable struct {
	slots []pairSlot
	n     int
}

type pairSlot struct {
	key  uint64
	cand []int
	used bool
}

func mix64(k uint64) uint32 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	return uint32(k)
}

func (t *pairTable) get(k uint64) ([]int, bool) {
	if len(t.slots) == 0 {
		return nil, false
	}
	mask := uint32(len(t.slots) - 1)
	for i := mix64(k) & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if !s.used {
			return nil, false
		}
		if s.key == k {
			return s.cand, true
		}
	}
}

func (t *pairTable) put(k uint64, cand []int) {
	if 2*(t.n+1) > len(t.slots) {
		old := t.slots
		t.slots = make([]pairSlot, max(512, 2*len(old)))
		t.n = 0
		for _, s := range old {
			if s.used {
				t.put(s.key, s.cand)
			}
		}
	}
	mask := uint32(len(t.slots) - 1)
	i := mix64(k) & mask
	for t.slots[i].used {
		i = (i + 1) & mask
	}
	t.slots[i] = pairSlot{key: k, cand: cand, used: true}
	t.n++
}

func (t *pairTable) reset() {
	if t.n > 0 {
		clear(t.slots)
		t.n = 0
	}
}
