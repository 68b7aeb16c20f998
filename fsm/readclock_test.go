package fsm

import "testing"

// A read hides keys expired by the data set's clock (the latest entry
// time applied) even when the reader's clock is behind it: a node with a
// slow clock does not show again a key that entries from a faster leader
// have outlived.
func TestReadHidesKeysExpiredByTheEntryClock(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "k", "v", "PX", "100")
	tf.write("SET", "ttl", "v", "PX", "10000")
	tf.now += 500 // the leader's clock moves on and stamps a later entry
	tf.write("SET", "other", "x")

	tf.now -= 10_000 // a reader whose clock is 10 s behind
	if got := tf.read("GET", "k"); got != "$-1\r\n" {
		t.Fatalf("GET of a key expired at the entry clock, read with a slow clock: %q, want $-1", got)
	}
	// TTLs count from the later of the two clocks too.
	if got := tf.read("PTTL", "ttl"); got != ":9500\r\n" {
		t.Fatalf("PTTL read with a slow clock: %q, want :9500", got)
	}
	tf.now += 20_000 // a reader ahead of the entries hides by its own clock
	if got := tf.read("GET", "ttl"); got != "$-1\r\n" {
		t.Fatalf("GET with a clock past the deadline: %q, want $-1", got)
	}
}
