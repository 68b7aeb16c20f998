package fsm

import (
	"context"
	"io"
	"math/rand/v2"
	"runtime/trace"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

// BenchmarkApplyDuringPersist measures what persisting a snapshot of 1M
// keys of every type costs Apply: entries of 50 writes to random keys of
// every type (each write to a key the snapshot shares makes a private
// copy first) are applied while the snapshot is written out, and the
// longest and the 99th-percentile Apply are reported, next to the same
// figures with no snapshot being written:
//
//	go test ./fsm -run NONE -bench ApplyDuringPersist -benchtime=1x
//
// The keys: 500k strings, 100k each of small hashes, lists, sets and
// sorted sets (8 elements, packed encodings), and 100 large ones of each
// collection type (1,000 elements, tree and quicklist encodings).
//
// Each Apply is a trace region ("apply", and "persist" for the writer), so
// that an execution trace (-trace) shows what a long Apply waited for.
func BenchmarkApplyDuringPersist(b *testing.B) {
	for range b.N {
		f := New()
		loadMixed(f)
		idle := applyWhile(f, nil)
		s, err := f.Snapshot()
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			trace.WithRegion(context.Background(), "persist", func() { done <- s.Persist(&discardSink{}) })
		}()
		busy := applyWhile(f, done)
		b.ReportMetric(float64(idle.max.Microseconds()), "idle-max-µs")
		b.ReportMetric(float64(idle.p99.Microseconds()), "idle-p99-µs")
		b.ReportMetric(float64(busy.max.Microseconds()), "persisting-max-µs")
		b.ReportMetric(float64(busy.p99.Microseconds()), "persisting-p99-µs")
		b.ReportMetric(float64(busy.entries), "entries-during-persist")
	}
}

type applyStats struct {
	max, p99 time.Duration
	entries  int
}

var mixedIndex uint64 = 1

// applyWhile applies write entries until done delivers (then it checks
// the error) or, with a nil done, for 2,000 entries.
func applyWhile(f *FSM, done <-chan error) applyStats {
	r := rand.New(rand.NewPCG(1, 2))
	var times []time.Duration
	for {
		if done == nil && len(times) == 2000 {
			break
		}
		if done != nil {
			select {
			case err := <-done:
				if err != nil {
					panic(err)
				}
				done = nil
			default:
			}
			if done == nil {
				break
			}
		}
		cmds := make([]Cmd, 50)
		for i := range cmds {
			cmds[i] = Cmd{Args: mixedWrite(r)}
		}
		e := Entry{Type: EntryCommands, Time: 1, Cmds: cmds}
		data := e.Encode(nil)
		mixedIndex++
		start := time.Now()
		trace.WithRegion(context.Background(), "apply", func() { f.Apply(&raft.Log{Index: mixedIndex, Type: raft.LogCommand, Data: data}) })
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	st := applyStats{entries: len(times)}
	if len(times) > 0 {
		st.max = times[len(times)-1]
		st.p99 = times[len(times)*99/100]
	}
	return st
}

// mixedWrite is a write to a random key of loadMixed's.
func mixedWrite(r *rand.Rand) [][]byte {
	n := strconv.Itoa(r.IntN(100_000))
	big := strconv.Itoa(r.IntN(100))
	m := []byte("m" + strconv.Itoa(r.IntN(2000)))
	switch r.IntN(9) {
	case 0:
		return [][]byte{[]byte("SET"), []byte("s:" + strconv.Itoa(r.IntN(500_000))), []byte("value")}
	case 1:
		return [][]byte{[]byte("HSET"), []byte("h:" + n), m, []byte("v")}
	case 2:
		return [][]byte{[]byte("RPUSH"), []byte("l:" + n), m}
	case 3:
		return [][]byte{[]byte("SADD"), []byte("t:" + n), m}
	case 4:
		return [][]byte{[]byte("ZADD"), []byte("z:" + n), []byte("1.5"), m}
	case 5:
		return [][]byte{[]byte("HSET"), []byte("H:" + big), m, []byte("v")}
	case 6:
		return [][]byte{[]byte("LPUSH"), []byte("L:" + big), m}
	case 7:
		return [][]byte{[]byte("SADD"), []byte("T:" + big), m}
	}
	return [][]byte{[]byte("ZADD"), []byte("Z:" + big), []byte("2.5"), m}
}

// loadMixed fills db 0 through the apply path (see BenchmarkApplyDuringPersist).
func loadMixed(f *FSM) {
	var cmds []Cmd
	flush := func() {
		e := Entry{Type: EntryCommands, Time: 1, Cmds: cmds}
		mixedIndex++
		f.Apply(&raft.Log{Index: mixedIndex, Type: raft.LogCommand, Data: e.Encode(nil)})
		cmds = cmds[:0]
	}
	add := func(args ...string) {
		cmds = append(cmds, Cmd{Args: toArgs(args)})
		if len(cmds) == 1000 {
			flush()
		}
	}
	for i := range 500_000 {
		add("SET", "s:"+strconv.Itoa(i), "value")
	}
	collections := func(prefix string, count, size int) {
		for i := range count {
			k := prefix + strconv.Itoa(i)
			h, l, s, z := []string{"HSET", "h" + k}, []string{"RPUSH", "l" + k}, []string{"SADD", "t" + k}, []string{"ZADD", "z" + k}
			if prefix == "big:" {
				h[1], l[1], s[1], z[1] = "H:"+strconv.Itoa(i), "L:"+strconv.Itoa(i), "T:"+strconv.Itoa(i), "Z:"+strconv.Itoa(i)
			} else {
				h[1], l[1], s[1], z[1] = "h:"+strconv.Itoa(i), "l:"+strconv.Itoa(i), "t:"+strconv.Itoa(i), "z:"+strconv.Itoa(i)
			}
			for j := range size {
				m := "member" + strconv.Itoa(j)
				h = append(h, m, "v")
				l = append(l, m)
				s = append(s, m)
				z = append(z, strconv.Itoa(j), m)
			}
			add(h...)
			add(l...)
			add(s...)
			add(z...)
		}
	}
	collections("small:", 100_000, 8)
	collections("big:", 100, 1000)
	if len(cmds) > 0 {
		flush()
	}
}

// discardSink is a raft.SnapshotSink that drops what it is given.
type discardSink struct{}

func (*discardSink) Write(p []byte) (int, error) { return io.Discard.Write(p) }
func (*discardSink) Close() error                { return nil }
func (*discardSink) ID() string                  { return "discard" }
func (*discardSink) Cancel() error               { return nil }
