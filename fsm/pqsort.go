package fsm

// Redis sorts SORT's elements with the C library's qsort, a stable merge
// sort on glibc, except when BY and LIMIT are both given: then it uses a
// partial quicksort (Bentley and McIlroy's "Engineering a Sort Function",
// 1993, restricted to the parts that overlap the positions LIMIT keeps).
// That sort is not stable, so elements whose weights compare equal (ALPHA
// with equal or missing weights) come out in an order the algorithm
// decides. partialSort is that algorithm, step for step (the same pivots,
// the same swaps), so raftis returns what Redis returns.

// partialSort sorts items enough that positions lo..hi hold what a full
// sort would put there.
func partialSort(items []sortItem, cmp func(a, b sortItem) int, lo, hi int) {
	s := partialSorter{items: items, cmp: cmp, lo: lo, hi: hi}
	s.sort(0, len(items))
}

type partialSorter struct {
	items  []sortItem
	cmp    func(a, b sortItem) int
	lo, hi int // the positions that must end up sorted
}

func (s *partialSorter) less(i, j int) int { return s.cmp(s.items[i], s.items[j]) }
func (s *partialSorter) swap(i, j int)     { s.items[i], s.items[j] = s.items[j], s.items[i] }

// swapRuns exchanges the n items from i with the n items from j.
func (s *partialSorter) swapRuns(i, j, n int) {
	for k := range n {
		s.swap(i+k, j+k)
	}
}

// median3 returns the index of the median of three items.
func (s *partialSorter) median3(a, b, c int) int {
	if s.less(a, b) < 0 {
		switch {
		case s.less(b, c) < 0:
			return b
		case s.less(a, c) < 0:
			return c
		}
		return a
	}
	switch {
	case s.less(b, c) > 0:
		return b
	case s.less(a, c) < 0:
		return a
	}
	return c
}

// overlaps reports whether the n items from base hold any position of
// lo..hi, or span it: otherwise they need no sorting.
func (s *partialSorter) overlaps(base, n int) bool {
	end := base + n
	return !(s.lo < base && s.hi < base) && !(s.lo >= end && s.hi >= end)
}

// sort sorts the n items from base.
func (s *partialSorter) sort(base, n int) {
	for {
		if n < 7 {
			s.insertionSort(base, n)
			return
		}
		pivot := s.choosePivot(base, n)
		s.swap(base, pivot)
		// Three-way partition around items[base]: equal items gather at
		// both ends, then move to the middle.
		pa, pb := base+1, base+1
		pc, pd := base+n-1, base+n-1
		for {
			for pb <= pc {
				r := s.less(pb, base)
				if r > 0 {
					break
				}
				if r == 0 {
					s.swap(pa, pb)
					pa++
				}
				pb++
			}
			for pb <= pc {
				r := s.less(pc, base)
				if r < 0 {
					break
				}
				if r == 0 {
					s.swap(pc, pd)
					pd--
				}
				pc--
			}
			if pb > pc {
				break
			}
			s.swap(pb, pc)
			pb++
			pc--
		}
		end := base + n
		r := min(pa-base, pb-pa)
		s.swapRuns(base, pb-r, r)
		r = min(pd-pc, end-pd-1)
		s.swapRuns(pb, end-r, r)
		if r := pb - pa; r > 1 && s.overlaps(base, r) {
			s.sort(base, r)
		}
		r = pd - pc
		if r <= 1 || !s.overlaps(end-r, r) {
			return
		}
		base, n = end-r, r
	}
}

func (s *partialSorter) insertionSort(base, n int) {
	for m := base + 1; m < base+n; m++ {
		for l := m; l > base && s.less(l-1, l) > 0; l-- {
			s.swap(l, l-1)
		}
	}
}

// choosePivot picks the middle item, the median of the first, middle and
// last past 7 items, and a median of three such medians past 40.
func (s *partialSorter) choosePivot(base, n int) int {
	m := base + n/2
	if n == 7 {
		return m
	}
	l, h := base, base+n-1
	if n > 40 {
		d := n / 8
		l = s.median3(l, l+d, l+2*d)
		m = s.median3(m-d, m, m+d)
		h = s.median3(h-2*d, h-d, h)
	}
	return s.median3(l, m, h)
}
