package fsm

import (
	"io"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/hashicorp/raft"
)

// loadKeys fills db 0 with n string keys through the apply path.
func loadKeys(b testing.TB, f *FSM, n int) {
	b.Helper()
	const perEntry = 1000
	for i := 0; i < n; i += perEntry {
		cmds := make([]Cmd, 0, perEntry)
		for j := i; j < min(i+perEntry, n); j++ {
			cmds = append(cmds, Cmd{Args: [][]byte{[]byte("SET"), []byte("key:" + strconv.Itoa(j)), []byte("value")}})
		}
		e := Entry{Type: EntryCommands, Time: 1, Cmds: cmds}
		f.Apply(&raft.Log{Index: uint64(i/perEntry + 1), Type: raft.LogCommand, Data: e.Encode(nil)})
	}
}

// BenchmarkApplySet is the per-command cost of applying SETs that arrive 50
// to an entry, as group commit delivers them under load.
func BenchmarkApplySet(b *testing.B) {
	f := New()
	cmds := make([]Cmd, 50)
	b.ReportAllocs()
	for i := 0; i < b.N; i += len(cmds) {
		for j := range cmds {
			cmds[j] = Cmd{Args: [][]byte{[]byte("SET"), []byte("key:" + strconv.Itoa((i+j)%100000)), []byte("value")}}
		}
		e := Entry{Type: EntryCommands, Time: 1, Cmds: cmds}
		f.Apply(&raft.Log{Index: uint64(i + 1), Type: raft.LogCommand, Data: e.Encode(nil)})
	}
}

// BenchmarkReadMGet is the per-key cost of MGETs of 16 random keys of a
// million, one command per Read.
func BenchmarkReadMGet(b *testing.B) {
	const n = 1_000_000
	f := New()
	loadKeys(b, f, n)
	r := rand.New(rand.NewPCG(1, 2))
	cmds := make([][][]byte, 1024)
	for i := range cmds {
		cmds[i] = [][]byte{[]byte("MGET")}
		for range 16 {
			cmds[i] = append(cmds[i], []byte("key:"+strconv.Itoa(r.IntN(n))))
		}
	}
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += 16 {
		buf = f.Read(buf[:0], 0, 1, 1, cmds[i/16%len(cmds)])
	}
}

// BenchmarkApplySetRandom is the per-command cost of applying entries of
// 50 SETs to random existing keys of a large keyspace, where each
// command's lookup misses the CPU's caches.
func BenchmarkApplySetRandom(b *testing.B) {
	const n = 1_000_000
	f := New()
	loadKeys(b, f, n)
	r := rand.New(rand.NewPCG(1, 2))
	entries := make([][]byte, 256)
	for i := range entries {
		cmds := make([]Cmd, 50)
		for j := range cmds {
			cmds[j] = Cmd{Args: [][]byte{[]byte("SET"), []byte("key:" + strconv.Itoa(r.IntN(n))), []byte("value")}}
		}
		e := Entry{Type: EntryCommands, Time: 1, Cmds: cmds}
		entries[i] = e.Encode(nil)
	}
	index := uint64(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += 50 {
		index++
		f.Apply(&raft.Log{Index: index, Type: raft.LogCommand, Data: entries[i/50%len(entries)]})
	}
}

// BenchmarkReadGet is the cost of one GET on the read path.
func BenchmarkReadGet(b *testing.B) {
	f := New()
	loadKeys(b, f, 100000)
	args := [][]byte{[]byte("GET"), nil}
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		args[1] = []byte("key:" + strconv.Itoa(i%100000))
		buf = f.Read(buf[:0], 0, 1, 1, args)
	}
}

// BenchmarkSnapshot is what Snapshot costs Apply: it must not grow with the
// data set (copy-on-write trees), unlike BenchmarkPersist.
func BenchmarkSnapshot(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(strconv.Itoa(n)+"-keys", func(b *testing.B) {
			f := New()
			loadKeys(b, f, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s, _ := f.Snapshot()
				s.Release()
			}
		})
	}
}

// BenchmarkPersist is the cost of writing a 100,000-key snapshot as RDB.
func BenchmarkPersist(b *testing.B) {
	f := New()
	loadKeys(b, f, 100000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := f.WriteRDB(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadPipelinedGets is the per-command cost of 16 GETs of random
// keys in one Read, as a pipelining client sends them: the keyspace is
// far larger than the CPU's caches, so each lookup's cache misses count.
func BenchmarkReadPipelinedGets(b *testing.B) {
	for _, n := range []int{1000, 10_000, 30_000, 100_000, 1_000_000} {
		b.Run(strconv.Itoa(n)+"-keys", func(b *testing.B) {
			f := New()
			loadKeys(b, f, n)
			r := rand.New(rand.NewPCG(1, 2))
			cmds := make([][][]byte, 1<<14)
			for i := range cmds {
				cmds[i] = [][]byte{[]byte("GET"), []byte("key:" + strconv.Itoa(r.IntN(n)))}
			}
			buf := make([]byte, 0, 1024)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += 16 {
				at := i % len(cmds)
				buf = f.Read(buf[:0], 0, 1, 1, cmds[at:at+16]...)
			}
		})
	}
}
