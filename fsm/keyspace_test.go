package fsm

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
)

// TestKeyspaceAgreesWithAMap runs random puts, updates and deletes on a
// keyspace whose hashes collide often (a forged 2-bit hash), with
// snapshots taken between them, and checks after each step that lookups,
// the ordered tree and the count agree with a plain map, and that no
// record a frozen copy holds has changed since it was frozen.
func TestKeyspaceAgreesWithAMap(t *testing.T) {
	var gen uint32
	k := newKeyspace(&gen)
	k.forged = map[string]uint64{}
	for i := range 40 {
		key := fmt.Sprintf("k%d", i)
		k.forged[key] = keyHash(key) & 3
	}
	want := map[string]int64{}
	type frozenCopy struct {
		keys map[string]int64
		tree func(fn func(*item) bool)
	}
	var frozen []frozenCopy
	rng := rand.New(rand.NewPCG(1, 2))
	for step := range 20000 {
		key := fmt.Sprintf("k%d", rng.IntN(40))
		switch op := rng.IntN(10); {
		case op < 5:
			v := rng.Int64()
			_, replaced := k.put(item{key: key, expireAt: v})
			_, had := want[key]
			if replaced != had {
				t.Fatalf("step %d: put %s replaced=%v, map had it: %v", step, key, replaced, had)
			}
			want[key] = v
		case op < 7:
			// update, as settle uses it: the record just found
			if p := k.get(key); p != nil {
				v := rng.Int64()
				it := *p
				it.expireAt = v
				k.update(p, it)
				want[key] = v
			}
		case op < 9:
			_, ok := k.delete(key)
			_, had := want[key]
			if ok != had {
				t.Fatalf("step %d: delete %s = %v, map had it: %v", step, key, ok, had)
			}
			delete(want, key)
		default:
			t2 := k.frozen()
			gen++
			frozen = append(frozen, frozenCopy{maps.Clone(want), func(fn func(*item) bool) { scanSlots(t2, fn) }})
		}
		if k.len() != len(want) {
			t.Fatalf("step %d: len %d, want %d", step, k.len(), len(want))
		}
		for key, v := range want {
			if p := k.get(key); p == nil || p.expireAt != v {
				t.Fatalf("step %d: get %s = %v, want %d", step, key, p, v)
			}
		}
		seen := 0
		var last slot
		k.order.Scan(func(s slot) bool {
			if seen > 0 && !slotLess(last, s) {
				t.Fatalf("step %d: tree out of order at %q", step, s.it.key)
			}
			if k.get(s.it.key) != s.it || s.hash != k.hash(s.it.key) {
				t.Fatalf("step %d: tree holds a stale record of %q", step, s.it.key)
			}
			last = s
			seen++
			return true
		})
		if seen != len(want) {
			t.Fatalf("step %d: tree holds %d keys, want %d", step, seen, len(want))
		}
	}
	for i, f := range frozen {
		n := 0
		f.tree(func(it *item) bool {
			if v, ok := f.keys[it.key]; !ok || v != it.expireAt {
				t.Fatalf("frozen copy %d: %s = %d, was %d (present: %v)", i, it.key, it.expireAt, v, ok)
			}
			n++
			return true
		})
		if n != len(f.keys) {
			t.Fatalf("frozen copy %d holds %d keys, want %d", i, n, len(f.keys))
		}
	}
}
