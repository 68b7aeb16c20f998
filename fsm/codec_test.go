package fsm

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestEntryRoundTrip(t *testing.T) {
	in := Entry{
		Type: EntryCommands, Time: 1_700_000_000_123, Seed: 0xdeadbeefcafe, Flags: FlagAtomic,
		Cmds: []Cmd{
			{DB: 0, Args: [][]byte{[]byte("SET"), []byte("k"), []byte("v\x00\r\n")}},
			{DB: 15, Args: [][]byte{[]byte("DEL"), {}}},
		},
	}
	out := roundTrip(t, &in)
	if out.Flags != in.Flags {
		t.Fatalf("flags %#x, want %#x", out.Flags, in.Flags)
	}
}

// roundTrip encodes e, checks that SizeHint covered it, decodes it and
// checks that the commands (blocks included) came back the same; Flags
// are the caller's to check. It returns the decoded entry.
func roundTrip(t testing.TB, e *Entry) *Entry {
	t.Helper()
	data := e.Encode(nil)
	if len(data) > e.SizeHint() {
		t.Fatalf("encoded %d bytes, SizeHint said at most %d", len(data), e.SizeHint())
	}
	out, err := DecodeEntry(data)
	if err != nil {
		t.Fatalf("encoded entry does not decode: %v", err)
	}
	if msg := diffEntries(e, out); msg != "" {
		t.Fatal(msg)
	}
	return out
}

// txnEntry is an entry with two transactions among other commands.
func txnEntry() *Entry {
	return &Entry{
		Type: EntryCommands, Time: 5, Seed: 6,
		Cmds: []Cmd{
			{DB: 1, Args: [][]byte{[]byte("SET"), []byte("a"), []byte("1")}},
			{DB: 2, Block: &Block{
				Cmds:   []Cmd{{DB: 2, Args: [][]byte{[]byte("INCR"), []byte("a")}}, {DB: 7, Args: [][]byte{[]byte("GET"), []byte("b")}}},
				Guards: []Guard{{DB: 2, Key: []byte("a"), Index: 1 << 40, Live: true}, {DB: 15, Key: []byte{}, Index: 0}},
			}},
			{DB: 0, Block: &Block{}},
			{DB: 3, Args: [][]byte{[]byte("DEL"), []byte("x")}},
		},
	}
}

func TestEntryWithBlocksRoundTrip(t *testing.T) {
	out := roundTrip(t, txnEntry())
	if out.Flags != FlagAtomic {
		t.Fatalf("flags %#x, want FlagAtomic", out.Flags)
	}
}

// diffEntries describes the first difference between the commands of two
// entries, blocks included; "" if there is none.
func diffEntries(a, b *Entry) string {
	if a.Type != b.Type || a.Time != b.Time || a.Seed != b.Seed || len(a.Cmds) != len(b.Cmds) {
		return fmt.Sprintf("entry %+v, want %+v", b, a)
	}
	for i := range a.Cmds {
		if msg := diffCmds(a.Cmds[i], b.Cmds[i]); msg != "" {
			return fmt.Sprintf("cmd %d: %s", i, msg)
		}
	}
	return ""
}

func diffCmds(a, b Cmd) string {
	if a.DB != b.DB || !equalArgs(a.Args, b.Args) || (a.Block == nil) != (b.Block == nil) {
		return fmt.Sprintf("got %+v, want %+v", b, a)
	}
	if a.Block == nil {
		return ""
	}
	if len(a.Block.Cmds) != len(b.Block.Cmds) || len(a.Block.Guards) != len(b.Block.Guards) {
		return fmt.Sprintf("block %+v, want %+v", b.Block, a.Block)
	}
	for i := range a.Block.Cmds {
		if msg := diffCmds(a.Block.Cmds[i], b.Block.Cmds[i]); msg != "" {
			return fmt.Sprintf("block cmd %d: %s", i, msg)
		}
	}
	for i, g := range a.Block.Guards {
		h := b.Block.Guards[i]
		if g.DB != h.DB || !bytes.Equal(g.Key, h.Key) || g.Index != h.Index || g.Live != h.Live {
			return fmt.Sprintf("guard %d: %+v, want %+v", i, h, g)
		}
	}
	return ""
}

func TestDecodeEntryRejects(t *testing.T) {
	valid := (&Entry{Type: EntryCommands, Cmds: []Cmd{{Args: [][]byte{[]byte("PING")}}}}).Encode(nil)
	cases := map[string][]byte{
		"empty":                       {},
		"unknown type":                {99},
		"truncated":                   valid[:len(valid)-1],
		"trailing byte":               append(append([]byte{}, valid...), 0),
		"unknown flag":                (&Entry{Type: EntryCommands, Flags: 1 << 40}).Encode(nil),
		"db too big":                  (&Entry{Type: EntryCommands, Cmds: []Cmd{{DB: NumDatabases}}}).Encode(nil),
		"block in a sweep":            (&Entry{Type: EntryExpire, Cmds: []Cmd{{Block: &Block{}}}}).Encode(nil),
		"a block too many":            rawEntry(FlagAtomic, 1, 0, 1, 4, 'P', 'I', 'N', 'G' /* blocks */, 1, 0, 0),
		"a placeholder without block": rawEntry(FlagAtomic, 2, 0, 0, 0, 0 /* blocks */, 1, 0, 0),
		"bad guard flag":              badGuardFlag(),
		"guard db too big":            (&Entry{Type: EntryCommands, Cmds: []Cmd{{Block: &Block{Guards: []Guard{{DB: NumDatabases}}}}}}).Encode(nil),
	}
	for name, data := range cases {
		if _, err := DecodeEntry(data); !errors.Is(err, ErrCorruptEntry) {
			t.Errorf("%s: err = %v, want ErrCorruptEntry", name, err)
		}
	}
}

// rawEntry is an EntryCommands entry at time 0 with seed 0, flags, and
// body after them.
func rawEntry(flags uint64, body ...byte) []byte {
	return append(append([]byte{byte(EntryCommands), 0, 0, 0, 0, 0, 0, 0, 0, 0}, byte(flags)), body...)
}

// badGuardFlag is an entry whose only guard's live byte is 2.
func badGuardFlag() []byte {
	data := (&Entry{Type: EntryCommands, Cmds: []Cmd{{Block: &Block{Guards: []Guard{{Key: []byte("k")}}}}}}).Encode(nil)
	data[len(data)-1] = 2
	return data
}

func TestApplyPanicsOnCorruptEntry(t *testing.T) {
	tf := newTestFSM(t)
	defer func() {
		if recover() == nil {
			t.Fatal("Apply of an undecodable entry did not panic")
		}
	}()
	tf.f.applyEntry([]byte{0xff})
}

func FuzzDecodeEntry(f *testing.F) {
	f.Add((&Entry{Type: EntryCommands, Time: 1, Seed: 2, Cmds: []Cmd{{DB: 3, Args: [][]byte{[]byte("SET"), []byte("a"), []byte("b")}}}}).Encode(nil))
	f.Add((&Entry{Type: EntryExpire, Cmds: []Cmd{{Args: [][]byte{[]byte("k")}}}}).Encode(nil))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add(txnEntry().Encode(nil))
	f.Add((&Entry{Type: EntryCommands, Cmds: []Cmd{{Block: &Block{Guards: []Guard{{Key: []byte("k"), Index: 9, Live: true}}}}}}).Encode(nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEntry(data)
		if err != nil {
			return
		}
		// Whatever decodes must survive a re-encode unchanged.
		if again := roundTrip(t, e); again.Flags != e.Flags {
			t.Fatalf("flags %#x, want %#x", again.Flags, e.Flags)
		}
	})
}

func equalArgs(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
