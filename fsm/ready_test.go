package fsm

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// TestReadyHook checks which keys the ready hook reports after each entry:
// every key a command leaves holding a list (a push, a move into it, a
// pop that leaves elements), the destination of RENAME, MOVE and COPY
// when it holds a list, both databases of SWAPDB and every database after
// a snapshot restore; nothing for other types or emptied lists.
func TestReadyHook(t *testing.T) {
	tf := newTestFSM(t)
	var got []ReadyKey
	tf.f.SetReadyHook(func(keys []ReadyKey) { got = append(got, keys...) })
	ready := func(keys ...string) string { return strings.Join(keys, " ") }
	for _, tc := range []struct {
		cmd  string
		want string // "db:key" ..., db:* for a whole database
	}{
		{"rpush a 1 2", ready("0:a")},
		{"lpush a 0", ready("0:a")},
		{"set s v", ready()},
		{"hset h f v", ready()},
		{"lpushx nokey x", ready()},
		{"lpop a", ready("0:a")},
		{"rpop a 5", ready()}, // emptied and deleted
		{"rpush a 1 2", ready("0:a")},
		{"lmove a b LEFT RIGHT", ready("0:a 0:b")},
		{"lmove a b LEFT RIGHT", ready("0:b")}, // a emptied
		{"rpoplpush nokey b", ready()},
		{"linsert b before 1 x", ready("0:b")},
		{"lset b 0 y", ready("0:b")},
		{"blpop nokey 0", ready()},
		{"blmove nokey c LEFT LEFT 0", ready()},
		{"blmove b c LEFT LEFT 0", ready("0:b 0:c")},
		{"lmpop 1 b LEFT COUNT 5", ready()}, // emptied
		{"rename c d", ready("0:d")},
		{"rename s s2", ready()},
		{"copy d e", ready("0:e")},
		{"copy d e db 1", ready("1:e")},
		{"copy h h2", ready()},
		{"move d 2", ready("2:d")},
		{"move h 2", ready()},
		{"swapdb 0 1", ready("0:* 1:*")},
		{"swapdb 3 3", ready()},
		{"del e", ready()},
		{"flushall", ready()},
	} {
		got = nil
		tf.write(strings.Fields(tc.cmd)...)
		var names []string
		for _, k := range got {
			name := k.Key
			if name == "" {
				name = "*"
			}
			names = append(names, fmt.Sprintf("%d:%s", k.DB, name))
		}
		if s := strings.Join(names, " "); s != tc.want {
			t.Errorf("%s: ready %q, want %q", tc.cmd, s, tc.want)
		}
	}

	// A snapshot restore may bring lists to any database.
	var snap bytes.Buffer
	tf.write("rpush", "x", "1")
	if err := tf.f.WriteRDB(&snap); err != nil {
		t.Fatal(err)
	}
	got = nil
	if err := tf.f.Restore(io.NopCloser(&snap)); err != nil {
		t.Fatal(err)
	}
	if len(got) != NumDatabases {
		t.Fatalf("restore: %d ready keys, want one per database: %v", len(got), got)
	}
	for i, k := range got {
		if k != (ReadyKey{DB: i}) {
			t.Errorf("restore: ready key %d is %+v", i, k)
		}
	}
}
