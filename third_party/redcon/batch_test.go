package redcon

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
)

// The commands of a batch share one copy of the bytes they were read
// from: they must keep their arguments and Raw when the next read reuses
// the buffer, inline commands among them included, and one command's Args
// must not reach into the next's.
func TestReaderBatchOwnsItsBytes(t *testing.T) {
	first := "*2\r\n$3\r\nGET\r\n$1\r\na\r\nSET \"b c\" d\r\n*3\r\n$3\r\nSET\r\n$2\r\nkk\r\n$2\r\nvv\r\n"
	second := "*2\r\n$3\r\nDEL\r\n$1\r\nz\r\n*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n"
	// A MultiReader reads from one source at a time: two reads.
	rd := NewReader(io.MultiReader(strings.NewReader(first), strings.NewReader(second)))
	cmds, err := rd.ReadCommands()
	if err != nil {
		t.Fatal(err)
	}
	next, err := rd.ReadCommands()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"GET", "a"}, {"SET", "b c", "d"}, {"SET", "kk", "vv"}}
	raws := []string{"*2\r\n$3\r\nGET\r\n$1\r\na\r\n", "*3\r\n$3\r\nSET\r\n$3\r\nb c\r\n$1\r\nd\r\n", "*3\r\n$3\r\nSET\r\n$2\r\nkk\r\n$2\r\nvv\r\n"}
	check := func(what string) {
		t.Helper()
		if len(cmds) != len(want) {
			t.Fatalf("%s: %d commands, want %d", what, len(cmds), len(want))
		}
		for i, cmd := range cmds {
			if len(cmd.Args) != len(want[i]) {
				t.Fatalf("%s: command %d has %d args, want %d", what, i, len(cmd.Args), len(want[i]))
			}
			for j, a := range cmd.Args {
				if string(a) != want[i][j] {
					t.Errorf("%s: command %d arg %d = %q, want %q", what, i, j, a, want[i][j])
				}
			}
			if string(cmd.Raw) != raws[i] {
				t.Errorf("%s: command %d Raw = %q, want %q", what, i, cmd.Raw, raws[i])
			}
		}
	}
	check("after the next read")
	if len(next) != 3 || string(next[0].Args[0]) != "DEL" || string(next[2].Args[0]) != "PING" {
		t.Fatalf("second batch = %q", next)
	}
	// Overwrite the reader's buffer outright: the batch holds its own copy.
	for i := range rd.buf {
		rd.buf[i] = 'X'
	}
	check("after the buffer is overwritten")
	// Growing one command's Args leaves the next command's alone.
	cmds[0].Args = append(cmds[0].Args, []byte("extra"))
	want[0] = append(want[0], "extra")
	check("after an append to the first command's Args")
	if !bytes.Equal(cmds[2].Args[1], []byte("kk")) {
		t.Fatalf("third command's key = %q", cmds[2].Args[1])
	}
}

// loop is a reader that returns the same bytes on every Read.
type loop []byte

func (l loop) Read(p []byte) (int, error) { return copy(p, l), nil }

// BenchmarkReadPipeline is the cost of reading a pipeline of 16 GETs as
// redis-benchmark -P 16 sends them, per command.
func BenchmarkReadPipeline(b *testing.B) {
	var pipeline []byte
	for i := 0; i < 16; i++ {
		pipeline = append(pipeline, "*2\r\n$3\r\nGET\r\n$16\r\nkey:000000012345\r\n"...)
	}
	rd := NewReader(loop(pipeline))
	b.ReportAllocs()
	b.SetBytes(int64(len(pipeline)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmds, err := rd.ReadCommands()
		if err != nil || len(cmds) != 16 {
			b.Fatal(err, len(cmds))
		}
	}
}

// A batch holding a big request gives each command its own bytes (and
// Args array), so a small command kept for long does not keep the big
// one's bytes alive. A small batch shares one copy.
func TestDetachCopiesEachCommandOfABigBatch(t *testing.T) {
	for _, size := range []int{100, sharedCopyMax} {
		big := bytes.Repeat([]byte("v"), size)
		var region []byte
		region = append(region, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$"...)
		region = append(region, strconv.Itoa(size)+"\r\n"...)
		region = append(region, big...)
		region = append(region, "\r\n*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n"...)
		rd := &Reader{buf: region, end: len(region)} // no underlying reader: commands stay in region
		cmds, err := rd.parseCommands()
		if err != nil || len(cmds) != 2 {
			t.Fatalf("size %d: %d commands, %v", size, len(cmds), err)
		}
		detach(cmds, region)
		for i := range region {
			region[i] = 'X'
		}
		set, blpop := cmds[0], cmds[1]
		if string(blpop.Args[0]) != "BLPOP" || string(blpop.Args[2]) != "0" || !bytes.Equal(set.Args[2], big) {
			t.Fatalf("size %d: commands %q, %q…", size, blpop.Args, set.Args[:2])
		}
		// In one shared copy the BLPOP's bytes follow the SET's.
		n := len(set.Raw)
		shares := n < cap(set.Raw) && &set.Raw[:n+1][n] == &blpop.Raw[0]
		if want := size < sharedCopyMax; shares != want {
			t.Errorf("size %d: BLPOP shares the SET's copy: %v, want %v", size, shares, want)
		}
	}
}
