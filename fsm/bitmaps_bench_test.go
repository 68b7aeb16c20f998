package fsm

import (
	"strconv"
	"testing"

	"github.com/hashicorp/raft"
)

// benchFSM applies one-command entries, as a client's lone writes arrive.
type benchFSM struct {
	f     *FSM
	index uint64
	cmd   [1]Cmd
	buf   []byte
}

func newBenchFSM() *benchFSM { return &benchFSM{f: New()} }

func (bf *benchFSM) write(args ...[]byte) {
	bf.index++
	bf.cmd[0] = Cmd{Args: args}
	e := Entry{Type: EntryCommands, Time: 1, Cmds: bf.cmd[:]}
	bf.buf = e.Encode(bf.buf[:0])
	bf.f.Apply(&raft.Log{Index: bf.index, Type: raft.LogCommand, Data: bf.buf})
}

func (bf *benchFSM) read(args ...[]byte) []byte {
	bf.buf = bf.f.Read(bf.buf[:0], 0, 1, 1, args)
	return bf.buf
}

func args(s ...string) [][]byte { return toArgs(s) }

// bitmapBits is the size of the benchmark bitmap: 16 MiB.
const bitmapBits = 16 << 20 * 8

// BenchmarkSetBit16MB is SETBIT at spread offsets of a 16 MiB bitmap: it
// must cost the same as on a small one (the bitmap is changed in place).
func BenchmarkSetBit16MB(b *testing.B) {
	bf := newBenchFSM()
	bf.write(args("setbit", "bm", strconv.Itoa(bitmapBits-1), "1")...)
	cmd := args("setbit", "bm", "", "1")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd[2] = strconv.AppendInt(cmd[2][:0], int64(i)*7919%bitmapBits, 10)
		cmd[3][0] = '0' + byte(i&1)
		bf.write(cmd...)
	}
}

// BenchmarkGetBit16MB is GETBIT on the read path.
func BenchmarkGetBit16MB(b *testing.B) {
	bf := newBenchFSM()
	bf.write(args("setbit", "bm", strconv.Itoa(bitmapBits-1), "1")...)
	cmd := args("getbit", "bm", "")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd[2] = strconv.AppendInt(cmd[2][:0], int64(i)*7919%bitmapBits, 10)
		bf.read(cmd...)
	}
}

// BenchmarkBitCount1MB counts the bits of a 1 MiB string.
func BenchmarkBitCount1MB(b *testing.B) {
	bf := newBenchFSM()
	val := make([]byte, 1<<20)
	for i := range val {
		val[i] = byte(i * 131)
	}
	bf.write([]byte("set"), []byte("bm"), val)
	cmd := args("bitcount", "bm")
	b.SetBytes(1 << 20)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bf.read(cmd...)
	}
}
