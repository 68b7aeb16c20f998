package integration

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	tc "github.com/raftis/raftis/internal/testcluster"
)

// TestMaxmemoryNoEviction fills the data set past the leader's maxmemory
// through a follower, and checks that denyoom writes are refused with
// Redis's error on every node while DEL and reads work, and that writes
// work again once DEL brought the data set under the limit.
func TestMaxmemoryNoEviction(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	leader := dialRaw(t, c.Leader().RedisAddr)
	follower := dialRaw(t, c.Followers()[0].RedisAddr)
	const limit = 64 << 10
	if got := leader.do("CONFIG", "SET", "maxmemory", strconv.Itoa(limit)); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET maxmemory: %q", got)
	}
	if got := leader.do("CONFIG", "GET", "maxmemory"); got != "*2\r\n$9\r\nmaxmemory\r\n$5\r\n65536\r\n" {
		t.Fatalf("CONFIG GET maxmemory: %q", got)
	}
	value := strings.Repeat("v", 1000)
	oom := "-OOM command not allowed when used memory > 'maxmemory'.\r\n"
	keys := 0
	for ; ; keys++ {
		if keys > 1000 {
			t.Fatalf("%d SETs of 1000 bytes and no OOM under a 64 KiB maxmemory", keys)
		}
		got := follower.do("SET", fmt.Sprint("key", keys), value)
		if got == oom {
			break
		}
		if got != "+OK\r\n" {
			t.Fatalf("SET %d: %q", keys, got)
		}
	}
	if used := infoField(t, leader, "memory", "used_memory"); used <= limit {
		t.Errorf("OOM with used_memory %d under maxmemory %d", used, limit)
	}
	for _, r := range []rawConn{leader, follower} {
		if got := r.do("LPUSH", "list", "x"); got != oom {
			t.Errorf("LPUSH over maxmemory: %q, want %q", got, oom)
		}
		if got := r.do("GET", "key0"); got != "$1000\r\n"+value+"\r\n" {
			t.Errorf("GET over maxmemory: %.40q", got)
		}
	}
	// Transactions, as Redis 7.0 treats them over maxmemory: the leader
	// (over its own limit) refuses every queued command, so EXEC aborts;
	// the follower (no limit of its own) queues them, and the leader
	// refuses the EXEC of a transaction holding a denyoom command, but
	// not of one without.
	for _, step := range [][2]string{{"MULTI", "+OK\r\n"}, {"SET", oom}, {"EXEC", "-EXECABORT Transaction discarded because of previous errors.\r\n"}} {
		args := []string{step[0]}
		if step[0] == "SET" {
			args = []string{"SET", "t", "1"}
		}
		if got := leader.do(args...); got != step[1] {
			t.Errorf("leader %s in a transaction over maxmemory: %q, want %q", step[0], got, step[1])
		}
	}
	for _, step := range [][2]string{{"MULTI", "+OK\r\n"}, {"SET", "+QUEUED\r\n"}, {"GET", "+QUEUED\r\n"},
		{"EXEC", "-EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.\r\n"},
		{"MULTI", "+OK\r\n"}, {"DEL", "+QUEUED\r\n"}, {"EXEC", "*1\r\n:0\r\n"}} {
		args := map[string][]string{"SET": {"SET", "t", "1"}, "GET": {"GET", "t"}, "DEL": {"DEL", "t"}}[step[0]]
		if args == nil {
			args = []string{step[0]}
		}
		if got := follower.do(args...); got != step[1] {
			t.Errorf("follower %s in a transaction over maxmemory: %q, want %q", step[0], got, step[1])
		}
	}
	// Redis counts an OOM refusal as a rejected call, not a failed one.
	stats := leader.do("INFO", "commandstats")
	_, line, _ := strings.Cut(stats, "cmdstat_set:")
	line, _, _ = strings.Cut(line, "\r\n")
	if !strings.Contains(line, ",failed_calls=0") || strings.Contains(line, "rejected_calls=0,") || !strings.Contains(line, "rejected_calls=") {
		t.Errorf("INFO commandstats: the SETs refused over maxmemory are not all rejected calls: %q", line)
	}

	// A pipeline mixing refused and allowed writes gets each its reply.
	follower.Send("SET", "x", "1")
	follower.Send("DEL", "key0")
	follower.Send("INCR", "n")
	if err := follower.Flush(); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{oom, ":1\r\n", oom} {
		if got := follower.read(); got != want {
			t.Errorf("pipelined reply %d: %q, want %q", i, got, want)
		}
	}
	for i := 1; i < keys; i++ {
		if got := follower.do("DEL", fmt.Sprint("key", i)); got != ":1\r\n" {
			t.Fatalf("DEL over maxmemory: %q", got)
		}
	}
	for _, r := range []rawConn{leader, follower} {
		if got := r.do("SET", "again", "1"); got != "+OK\r\n" {
			t.Errorf("SET after DEL: %q", got)
		}
	}
}
