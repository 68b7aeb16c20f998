package fsm

import (
	"strconv"
	"testing"
)

// hllWith returns a benchFSM whose key holds an HLL of n elements.
func hllWith(key string, n int) *benchFSM {
	bf := newBenchFSM()
	cmd := args("pfadd", key)
	for i := range n {
		cmd = append(cmd, []byte("seed:"+strconv.Itoa(i)))
		if len(cmd) == 1002 || i == n-1 {
			bf.write(cmd...)
			cmd = cmd[:2]
		}
	}
	return bf
}

// BenchmarkPFAddSparse adds one new element to a sparse HLL of about 500
// elements (about 1 KB), restoring that HLL every 256 additions so it
// stays sparse.
func BenchmarkPFAddSparse(b *testing.B) {
	bf := hllWith("h", 500)
	saved := append([]byte(nil), storedHLL(b, bf, "h")...)
	if saved[4] != hllSparse {
		b.Fatal("not sparse")
	}
	cmd := args("pfadd", "h", "")
	set := [][]byte{[]byte("set"), []byte("h"), saved}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%256 == 0 {
			bf.write(set...)
		}
		cmd[2] = strconv.AppendInt(append(cmd[2][:0], "new:"...), int64(i), 10)
		bf.write(cmd...)
	}
}

// BenchmarkPFAddDense adds one new element to a dense HLL of 100,000.
func BenchmarkPFAddDense(b *testing.B) {
	bf := hllWith("h", 100000)
	if storedHLL(b, bf, "h")[4] != hllDense {
		b.Fatal("not dense")
	}
	cmd := args("pfadd", "h", "")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd[2] = strconv.AppendInt(append(cmd[2][:0], "new:"...), int64(i), 10)
		bf.write(cmd...)
	}
}

// BenchmarkPFCount estimates the cardinality: every call computes it (a
// read does not store it in the cache).
func BenchmarkPFCount(b *testing.B) {
	for _, bc := range []struct {
		name string
		n    int
		keys []string
	}{
		{"sparse-500", 500, []string{"h"}},
		{"dense-100k", 100000, []string{"h"}},
		{"union-of-2-dense", 100000, []string{"h", "h2"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bf := hllWith("h", bc.n)
			bf.write(args("pfadd", "h2", "x", "y")...)
			bf.write(args("pfmerge", "h2", "h")...)
			cmd := append(args("pfcount"), toArgs(bc.keys)...)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				bf.read(cmd...)
			}
		})
	}
}

func storedHLL(b *testing.B, bf *benchFSM, key string) []byte {
	b.Helper()
	it, ok := bf.f.dbs[0].get(key)
	if !ok {
		b.Fatalf("%s: no such key", key)
	}
	return it.val.(stringValue)
}
