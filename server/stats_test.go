package server

import (
	"math"
	"testing"

	"github.com/raftis/raftis/fsm"
)

func TestParseMemory(t *testing.T) {
	cases := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true}, {"", 0, true}, {"gb", 0, true}, {"100", 100, true}, {"100b", 100, true},
		{"1k", 1000, true}, {"1KB", 1024, true}, {"2m", 2000000, true}, {"2mb", 2 << 20, true},
		{"3g", 3000000000, true}, {"3Gb", 3 << 30, true},
		{"18446744073709551615", math.MaxUint64, true},
		{"18446744073709551616", math.MaxUint64, true}, // strtoull saturates
		{"17179869184gb", 0, true},                     // 2^34 GiB wraps to 0, as in C
		{"-1", 0, false}, {"1.5gb", 0, false}, {"1 gb", 0, false}, {"+1", 0, false}, {"1tb", 0, false},
	}
	for _, c := range cases {
		got, ok := parseMemory([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("parseMemory(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseParamValues(t *testing.T) {
	if n, errText := parseSigned([]byte("-2147483648"), false, math.MinInt32, math.MaxInt32); n != math.MinInt32 || errText != "" {
		t.Errorf("INT_MIN: %d %q", n, errText)
	}
	if _, errText := parseSigned([]byte("18446744073709551615"), true, 1<<20, math.MaxInt64); errText != "argument must be between 1048576 and 9223372036854775807 inclusive" {
		t.Errorf("a memory value past 2^63 for a signed parameter: %q", errText)
	}
	if _, errText := parseUnsigned([]byte("-1"), false, 0, math.MaxInt64); errText != "argument must be between 0 and 9223372036854775807 inclusive" {
		t.Errorf("-1 for an unsigned parameter: %q", errText)
	}
	if _, errText := parseUnsigned([]byte("1k"), false, 0, math.MaxInt64); errText != errNotInteger {
		t.Errorf("units for an integer parameter: %q", errText)
	}
	if _, errText := parseUnsigned([]byte("x"), true, 0, math.MaxUint64); errText != errNotMemory {
		t.Errorf("a bad memory value: %q", errText)
	}
}

func TestReplyLen(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{"+OK\r\n", 5}, {"+\r\n", 3}, {"-ERR x\r\n:1\r\n", 8}, {":-5\r\n", 5}, {"$-1\r\n", 5}, {"$0\r\n\r\n", 6},
		{"$3\r\nabc\r\n+OK\r\n", 9}, {"*-1\r\n", 5}, {"*0\r\n", 4}, {"*2\r\n$1\r\na\r\n*1\r\n:1\r\n", 19},
		{"$3\r\nab", 0}, {"*2\r\n:1\r\n", 0}, {"+OK", 0}, {"?x\r\n", 0}, {"$99999999999999999999\r\n", 0}, {"", 0},
	}
	for _, c := range cases {
		if got := replyLen([]byte(c.in)); got != c.want {
			t.Errorf("replyLen(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestErrorPrefix(t *testing.T) {
	cases := map[string]string{
		"ERR syntax error": "ERR", "WRONGTYPE Operation against a key": "WRONGTYPE",
		"READONLY You can't write": "READONLY", "nospace": "ERR", " leading space": "",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZABCD x":  "ABCDEFGHIJKLMNOPQRSTUVWXYZABCD", // 30 letters: the space is the 32nd byte with the '-'
		"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDE x": "ERR",
	}
	for msg, want := range cases {
		if got := errorPrefix(msg); got != want {
			t.Errorf("errorPrefix(%q) = %q, want %q", msg, got, want)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	cases := map[uint64]string{0: "0B", 1023: "1023B", 1024: "1.00K", 1536: "1.50K", 1 << 20: "1.00M", 3 << 30: "3.00G", 1 << 40: "1.00T", 1 << 50: "1.00P", 1 << 60: "1152921504606846976B"}
	for n, want := range cases {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// The replies the write path writes through a session's tap count on the
// rows of the queued writes, oldest first; a refusal before proposing is
// a rejected call.
func TestReplyTapCountsQueuedWrites(t *testing.T) {
	tb := newTable(fsm.Commands())
	set, incr, get := tb.byName["set"], tb.byName["incr"], tb.byName["get"]
	var st serverStats
	sess := &session{}
	conn := &fakeConn{}
	sess.tap = replyTap{Conn: conn, sess: sess, stats: &st}
	for _, c := range []*command{set, get, incr, set} {
		sess.begin(c)
	}
	if rows := sess.takeReads(1); len(rows) != 1 || rows[0] != get {
		t.Fatalf("queued reads %v, want [get]", rows)
	}
	sess.tap.WriteRaw([]byte("+OK\r\n-ERR value is not an integer or out of range\r\n+OK\r\n"))
	if got := [4]int64{set.stats.calls.Load(), incr.stats.calls.Load(), incr.stats.failed.Load(), set.stats.failed.Load()}; got != [4]int64{2, 1, 1, 0} {
		t.Errorf("set calls, incr calls, incr failed, set failed = %v, want [2 1 1 0]", got)
	}
	sess.begin(set)
	sess.tap.WriteError("CLUSTERDOWN The cluster is down: no Raft leader")
	sess.tap.WriteError("ERR not a write's reply") // nothing queued: errorstats only
	if got := set.stats.rejected.Load(); got != 1 || set.stats.calls.Load() != 2 {
		t.Errorf("set rejected %d, calls %d; want 1, 2", got, set.stats.calls.Load())
	}
	if got := st.errorstatLines(); len(got) != 2 || got[0] != "errorstat_CLUSTERDOWN:count=1" || got[1] != "errorstat_ERR:count=2" {
		t.Errorf("errorstats %q", got)
	}
	if want := "+OK\r\n-ERR value is not an integer or out of range\r\n+OK\r\n-CLUSTERDOWN The cluster is down: no Raft leader\r\n-ERR not a write's reply\r\n"; string(conn.out) != want {
		t.Errorf("the client got %q, want %q", conn.out, want)
	}
}

func TestMayHoldErrorReply(t *testing.T) {
	cases := map[string]bool{
		"": false, "+OK\r\n": false, "$-1\r\n:-5\r\n*-1\r\n": false, "$3\r\na-b\r\n": false,
		"-ERR x\r\n": true, "+OK\r\n-ERR x\r\n": true, "$3\r\n\n-a\r\n": true, // data that looks like an error: the replies are walked
	}
	for in, want := range cases {
		if got := mayHoldErrorReply([]byte(in)); got != want {
			t.Errorf("mayHoldErrorReply(%q) = %v, want %v", in, got, want)
		}
	}
	var s Server
	if got := s.countErrorReplies([]byte("$3\r\n\n-a\r\n-ERR x\r\n$-1\r\n-WRONGTYPE y\r\n")); got != 2 {
		t.Errorf("countErrorReplies = %d, want 2", got)
	}
	if got := s.stats.errorstatLines(); len(got) != 2 || got[0] != "errorstat_ERR:count=1" || got[1] != "errorstat_WRONGTYPE:count=1" {
		t.Errorf("errorstats %q", got)
	}
}
