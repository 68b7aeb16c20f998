package fsm

import (
	"bytes"
	"encoding/binary"
	"runtime"
	"testing"
	"unsafe"
)

// allocatedBy returns the bytes and allocations one call of DecodeEntry on
// data makes, and its error.
func allocatedBy(t *testing.T, data []byte) (bytes uint64, allocs float64, err error) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = DecodeEntry(data)
	runtime.ReadMemStats(&after)
	allocs = testing.AllocsPerRun(1, func() { _, _ = DecodeEntry(data) })
	return after.TotalAlloc - before.TotalAlloc, allocs, err
}

// hostileHeader is a commands entry's header followed by a command count.
func hostileHeader(ncmds uint64) []byte {
	h := (&Entry{Type: EntryCommands}).Encode(nil)
	h = h[:len(h)-1] // drop the encoded zero command count
	return binary.AppendUvarint(h, ncmds)
}

func TestDecodeHostileEntryAllocatesLittle(t *testing.T) {
	big := 32 << 20
	if raceEnabled {
		big = 4 << 20
	}
	// 2^24-1 empty commands fit in 32 MiB (the claim fits in 4 MiB too:
	// the count is checked only against its limit); the last byte makes the entry
	// invalid, after all of it has been read.
	emptyCmds := append(hostileHeader(1<<24-1), bytes.Repeat([]byte{0, 0}, big/2)...)
	emptyCmds[len(emptyCmds)-2] = NumDatabases
	// One command claiming 2^24 arguments, with fewer present.
	manyArgs := binary.AppendUvarint(append(hostileHeader(1), 0), 1<<24)
	manyArgs = append(manyArgs, make([]byte, big)...)
	cases := map[string][]byte{
		"2^24 commands in a few bytes":   hostileHeader(1 << 24),
		"MiBs of commands, last corrupt": emptyCmds,
		"2^24 arguments, MiBs short":     manyArgs,
	}
	for name, data := range cases {
		got, allocs, err := allocatedBy(t, data)
		if err == nil {
			t.Errorf("%s: decoded", name)
		}
		// An error and its wrapping: a few small allocations (MemStats
		// also counts what other goroutines allocate meanwhile).
		if got > 64<<10 || allocs > 16 {
			t.Errorf("%s (%d bytes): decoding allocated %d bytes in %.0f allocations, want at most 64 KiB in 16",
				name, len(data), got, allocs)
		}
	}
}

func TestDecodeEntryAllocatesItsDecodedForm(t *testing.T) {
	const n = 1 << 20
	cmds := make([]Cmd, n/4)
	for i := range cmds {
		cmds[i] = Cmd{DB: i % NumDatabases, Args: [][]byte{[]byte("SET"), []byte("k"), {}}}
	}
	data := (&Entry{Type: EntryCommands, Cmds: cmds}).Encode(nil)
	got, allocs, err := allocatedBy(t, data)
	if err != nil {
		t.Fatal(err)
	}
	// The Entry, one array of commands, one of arguments.
	if allocs != 3 {
		t.Errorf("decoding %d commands took %.0f allocations, want 3", len(cmds), allocs)
	}
	want := uint64(len(cmds))*uint64(unsafe.Sizeof(Cmd{})) + uint64(len(cmds))*3*24
	if got > want+64<<10 {
		t.Errorf("decoding allocated %d bytes, want the decoded form's %d", got, want)
	}
}

// BenchmarkDecodeEntry decodes an entry of 50 SETs, as group commit
// proposes them under load; every node decodes every entry it applies.
func BenchmarkDecodeEntry(b *testing.B) {
	cmds := make([]Cmd, 50)
	for i := range cmds {
		cmds[i] = Cmd{Args: [][]byte{[]byte("SET"), []byte("key:" + string(rune('a'+i%26))), []byte("value")}}
	}
	data := (&Entry{Type: EntryCommands, Cmds: cmds}).Encode(nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeEntry(data); err != nil {
			b.Fatal(err)
		}
	}
}
