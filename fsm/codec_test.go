package fsm

import (
	"bytes"
	"errors"
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
	data := in.Encode(nil)
	if len(data) > in.SizeHint() {
		t.Fatalf("encoded %d bytes, SizeHint said at most %d", len(data), in.SizeHint())
	}
	out, err := DecodeEntry(data)
	if err != nil {
		t.Fatal(err)
	}
	if out.Type != in.Type || out.Time != in.Time || out.Seed != in.Seed || out.Flags != in.Flags || len(out.Cmds) != len(in.Cmds) {
		t.Fatalf("decoded %+v, want %+v", out, in)
	}
	for i := range in.Cmds {
		if out.Cmds[i].DB != in.Cmds[i].DB || !equalArgs(out.Cmds[i].Args, in.Cmds[i].Args) {
			t.Errorf("cmd %d: got %+v, want %+v", i, out.Cmds[i], in.Cmds[i])
		}
	}
}

func TestDecodeEntryRejects(t *testing.T) {
	valid := (&Entry{Type: EntryCommands, Cmds: []Cmd{{Args: [][]byte{[]byte("PING")}}}}).Encode(nil)
	cases := map[string][]byte{
		"empty":         {},
		"unknown type":  {99},
		"truncated":     valid[:len(valid)-1],
		"trailing byte": append(append([]byte{}, valid...), 0),
		"unknown flag":  (&Entry{Type: EntryCommands, Flags: 1 << 40}).Encode(nil),
		"db too big":    (&Entry{Type: EntryCommands, Cmds: []Cmd{{DB: NumDatabases}}}).Encode(nil),
	}
	for name, data := range cases {
		if _, err := DecodeEntry(data); !errors.Is(err, ErrCorruptEntry) {
			t.Errorf("%s: err = %v, want ErrCorruptEntry", name, err)
		}
	}
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
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEntry(data)
		if err != nil {
			return
		}
		// Whatever decodes must survive a re-encode unchanged.
		again, err := DecodeEntry(e.Encode(nil))
		if err != nil {
			t.Fatalf("re-encoded entry does not decode: %v", err)
		}
		if again.Type != e.Type || again.Time != e.Time || again.Seed != e.Seed || again.Flags != e.Flags || len(again.Cmds) != len(e.Cmds) {
			t.Fatalf("re-decoded %+v, want %+v", again, e)
		}
		for i := range e.Cmds {
			if again.Cmds[i].DB != e.Cmds[i].DB || !equalArgs(again.Cmds[i].Args, e.Cmds[i].Args) {
				t.Fatalf("cmd %d: got %+v, want %+v", i, again.Cmds[i], e.Cmds[i])
			}
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
