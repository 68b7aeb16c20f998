package fsm

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIntset compares an intset with a sorted slice under random inserts
// and removes, around the width boundaries.
func TestIntset(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	edges := []int64{0, 1, -1, math.MaxInt16, math.MaxInt16 + 1, math.MinInt16, math.MinInt16 - 1,
		math.MaxInt32, math.MaxInt32 + 1, math.MinInt32, math.MinInt32 - 1, math.MaxInt64, math.MinInt64}
	value := func() int64 {
		switch r.IntN(4) {
		case 0:
			return edges[r.IntN(len(edges))]
		case 1:
			return int64(r.IntN(200) - 100)
		case 2:
			return int64(r.Uint64())
		}
		return int64(r.IntN(1<<20) - 1<<19)
	}
	for round := range 200 {
		var s intset
		var want []int64
		for range r.IntN(300) {
			v := value()
			i, found := slices.BinarySearch(want, v)
			var changed, removing bool
			if removing = r.IntN(3) == 0; removing {
				s, changed = s.remove(v)
				if found {
					want = slices.Delete(want, i, i+1)
				}
			} else {
				s, changed = s.insert(v)
				if !found {
					want = slices.Insert(want, i, v)
				}
			}
			if changed != (found == removing) {
				t.Fatalf("round %d: removing=%v %d: changed=%v, was there=%v", round, removing, v, changed, found)
			}
			if s.len() != len(want) || s.has(v) == removing {
				t.Fatalf("round %d: after removing=%v %d: %d values (want %d), has=%v", round, removing, v, s.len(), len(want), s.has(v))
			}
		}
		for i, v := range want {
			if s.at(i) != v {
				t.Fatalf("round %d: at(%d) = %d, want %d", round, i, s.at(i), v)
			}
			if !s.has(v) {
				t.Fatalf("round %d: has(%d) is false", round, v)
			}
		}
		wantWidth := 0
		for _, v := range want {
			wantWidth = max(wantWidth, intsetWidth(v))
		}
		if len(want) > 0 && s.width() < wantWidth {
			t.Fatalf("round %d: width %d cannot hold the values", round, s.width())
		}
	}
}

// TestIntsetWidth checks that values are packed at the smallest width
// that holds them all, and stay at the widest once seen.
func TestIntsetWidth(t *testing.T) {
	var s intset
	for v := int64(-100); v < 100; v++ {
		s, _ = s.insert(v)
	}
	if s.width() != 2 || len(s) != 1+200*2 {
		t.Fatalf("200 small values: width %d, %d bytes", s.width(), len(s))
	}
	s, _ = s.insert(1 << 40)
	if s.width() != 8 || s.at(200) != 1<<40 || s.at(0) != -100 {
		t.Fatalf("after a 64-bit value: width %d, last %d, first %d", s.width(), s.at(200), s.at(0))
	}
	s, _ = s.remove(1 << 40)
	if s.width() != 8 || s.len() != 200 {
		t.Fatalf("after removing it: width %d, %d values", s.width(), s.len())
	}
	s, _ = s.insert(math.MinInt64)
	if i, found := s.search(math.MinInt64); !found || i != 0 {
		t.Fatalf("MinInt64 at %d, found %v", i, found)
	}
}
