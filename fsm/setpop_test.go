package fsm

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestCanonNth checks the quickselect against a full sort, on packed sets
// and intsets of every small size.
func TestCanonNth(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := 1; n <= 128; n++ {
		for _, ints := range []bool{true, false} {
			s := newSet()
			for s.n < n {
				m := strconv.Itoa(r.IntN(100000))
				if !ints {
					m = "m" + m
				}
				s.add(&DefaultLimits, []byte(m))
			}
			sorted := s.canonEntries()
			sorted.sort()
			for range 5 {
				i := r.IntN(n)
				o := s.canonEntries()
				if got, want := string(o.member(o.nth(i))), string(sorted.member(sorted.entries[i])); got != want {
					t.Fatalf("n=%d ints=%v: nth(%d) = %q, want %q", n, ints, i, got, want)
				}
			}
		}
	}
}
