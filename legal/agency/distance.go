package agency

// damerauLevenshtein is the Damerau–Levenshtein distance between a and b
// (insertions, deletions, substitutions and transpositions of adjacent
// characters, in the unrestricted form of Lowrance and Wagner), by rune.
// It gives up early, returning limit+1, once the lengths alone differ by
// more than limit; inputs are DNS labels, at most 63 octets.
func damerauLevenshtein(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	la, lb := len(ra), len(rb)
	if d := la - lb; d > limit || -d > limit || (histogramBound(a, b)+1)/2 > limit {
		return limit + 1
	}
	inf := la + lb
	// d has a border row and column of inf around the usual table.
	d := make([][]int, la+2)
	for i := range d {
		d[i] = make([]int, lb+2)
	}
	d[0][0] = inf
	for i := 0; i <= la; i++ {
		d[i+1][0], d[i+1][1] = inf, i
	}
	for j := 0; j <= lb; j++ {
		d[0][j+1], d[1][j+1] = inf, j
	}
	last := map[rune]int{} // last row where each rune of a was seen
	for i := 1; i <= la; i++ {
		db := 0
		for j := 1; j <= lb; j++ {
			i1, j1 := last[rb[j-1]], db
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost, db = 0, j
			}
			d[i+1][j+1] = min(
				d[i][j]+cost,
				d[i+1][j]+1,
				d[i][j+1]+1,
				d[i1][j1]+(i-i1-1)+1+(j-j1-1),
			)
		}
		last[ra[i-1]] = i
	}
	return d[la+1][lb+1]
}

// histogramBound is the number of characters a and b do not have in
// common, counted with multiplicity (ASCII only; 0 when either is not
// ASCII). Each edit changes it by at most 2, so half of it, rounded up,
// is a lower bound of the distance: most pairs are ruled out without
// filling the table.
func histogramBound(a, b string) int {
	var h [128]int
	for i := 0; i < len(a); i++ {
		if a[i] >= 128 {
			return 0
		}
		h[a[i]]++
	}
	for i := 0; i < len(b); i++ {
		if b[i] >= 128 {
			return 0
		}
		h[b[i]]--
	}
	n := 0
	for _, v := range h {
		n += max(v, -v)
	}
	return n
}
