package fsm

import (
	"fmt"
	"strconv"
	"testing"
)

// benchCollection returns an FSM whose key "v" holds a collection of n
// elements of ~10 bytes built with cmd (RPUSH, HSET, ...; pairs: field
// and value), and a context that applies commands as Apply does.
func benchCollection(tb testing.TB, cmd string, n int, pairs bool) (*FSM, *Ctx, Value) {
	tb.Helper()
	f := New()
	c := &Ctx{fsm: f, write: true, lim: f.limits.Load()}
	c.selectDB(0)
	args := [][]byte{[]byte(cmd), []byte("v")}
	for i := 0; i < n; i += 1000 {
		args = args[:2]
		for j := i; j < min(i+1000, n); j++ {
			args = append(args, listElement(j))
			if pairs {
				args = append(args, []byte(strconv.Itoa(j)))
			}
		}
		c.exec(args)
	}
	c.out = c.out[:0]
	it, _ := f.dbs[0].get("v")
	return f, c, it.val
}

// benchTypes are the collections DUMP and RESTORE are measured on.
var benchTypes = []struct {
	name, cmd string
	pairs     bool
}{
	{"list", "RPUSH", false},
	{"hash", "HSET", true},
}

// BenchmarkDump: DUMP of a collection is O(n), one pass writing the
// payload and its CRC.
func BenchmarkDump(b *testing.B) {
	for _, tc := range benchTypes {
		for _, n := range []int{1000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/%d", tc.name, n), func(b *testing.B) {
				_, _, v := benchCollection(b, tc.cmd, n, tc.pairs)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := dumpPayload(v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRestore: RESTORE decodes the payload and builds the value in
// the encoding its size calls for, O(n).
func BenchmarkRestore(b *testing.B) {
	for _, tc := range benchTypes {
		for _, n := range []int{1000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/%d", tc.name, n), func(b *testing.B) {
				f, _, v := benchCollection(b, tc.cmd, n, tc.pairs)
				payload, err := dumpPayload(v)
				if err != nil {
					b.Fatal(err)
				}
				lim := f.limits.Load()
				b.SetBytes(int64(len(payload)))
				b.ReportAllocs()
				for b.Loop() {
					if _, errReply := restoredValue(lim, payload); errReply != "" {
						b.Fatal(errReply)
					}
				}
			})
		}
	}
}

// BenchmarkSort10k: SORT of a 10,000-element list, numerically, as
// strings, by weights in other keys, and with LIMIT (Redis's partial
// sort).
func BenchmarkSort10k(b *testing.B) {
	const n = 10_000
	_, c, _ := benchCollection(b, "RPUSH", n, false)
	// Numbers for the numeric sort, in a list of their own.
	nums := [][]byte{[]byte("RPUSH"), []byte("nums")}
	weights := [][]byte{[]byte("MSET")}
	for i := range n {
		x := (i * 7919) % n
		nums = append(nums, []byte(strconv.Itoa(x)))
		weights = append(weights, append([]byte("w_"), listElement(i)...), []byte(strconv.Itoa(x)))
	}
	c.exec(nums)
	c.exec(weights)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"numeric", []string{"SORT", "nums"}},
		{"alpha", []string{"SORT", "v", "ALPHA"}},
		{"by-weights", []string{"SORT", "v", "BY", "w_*"}},
		{"by-weights-limit", []string{"SORT", "v", "BY", "w_*", "LIMIT", "0", "10"}},
		{"store", []string{"SORT", "nums", "STORE", "dst"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			args := toArgs(tc.args)
			b.ReportAllocs()
			for b.Loop() {
				c.out = c.out[:0]
				c.exec(args)
			}
			if c.out[0] == '-' {
				b.Fatalf("%s", c.out)
			}
		})
	}
}
