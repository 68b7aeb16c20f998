package integration

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/resp"
	tc "github.com/raftis/raftis/internal/testcluster"
	"github.com/raftis/raftis/internal/testredis"
)

// sameAsRedis are commands whose replies raftis gives byte for byte as
// redis-server 7.0.15 does, in this order on one connection (the CONFIG
// SETs change both servers alike). Where raftis differs on purpose
// (parameters it cannot change at runtime, subcommands it lacks, the
// order Redis leaves to its hash tables) the tests below say so.
var sameAsRedis = [][]string{
	{"CONFIG", "HELP"},
	{"CONFIG"},
	{"config", "nope"},
	{"Config", "NOPE"},
	{"CONFIG", "GET"},
	{"CONFIG", "SET"},
	{"CONFIG", "SET", "foo"},
	{"CONFIG", "SET", "foo", "bar"},
	{"CONFIG", "SET", "save"},
	{"CONFIG", "SET", "maxmemory", "1gb", "x"},
	{"CONFIG", "SET", "databases", "4"},
	{"CONFIG", "SET", "DATABASES", "4"},
	{"CONFIG", "SET", "maxmemory", "abc"},
	{"CONFIG", "SET", "maxmemory", "1gb", "maxmemory", "2gb"},
	{"CONFIG", "SET", "maxmemory", "1gb", "MAXMEMORY", "2gb"},
	{"CONFIG", "SET", "maxmemory", "1gb", "foo", "bar"},
	{"CONFIG", "SET", "foo", "bar", "databases", "3"},
	{"CONFIG", "SET", "databases", "3", "foo", "bar"},
	{"CONFIG", "SET", "maxmemory", "x", "databases", "3"},
	{"CONFIG", "SET", "maxmemory", "10", "hash-max-listpack-entries", "x"},
	{"CONFIG", "GET", "maxmemory"}, // still 0: nothing of a failed SET applies
	{"CONFIG", "SET", "proto-max-bulk-len", "100"},
	{"CONFIG", "SET", "proto-max-bulk-len", "-5"},
	{"CONFIG", "SET", "proto-max-bulk-len", "1mb"},
	{"CONFIG", "GET", "proto-max-bulk-len"},
	{"CONFIG", "SET", "proto-max-bulk-len", "512mb"},
	{"CONFIG", "SET", "hash-max-listpack-entries", "-1"},
	{"CONFIG", "SET", "hash-max-listpack-entries", "abc"},
	{"CONFIG", "SET", "hash-max-ziplist-entries", "abc"},
	{"CONFIG", "SET", "hash-max-listpack-entries", "1k"},
	{"CONFIG", "SET", "hash-max-listpack-entries", "01"},
	{"CONFIG", "SET", "hash-max-listpack-value", "1kb"},
	{"CONFIG", "GET", "hash-max-ziplist-value"},
	{"CONFIG", "SET", "hash-max-listpack-entries", "1", "hash-max-ziplist-entries", "2"},
	{"CONFIG", "GET", "hash-max-listpack-entries"},
	{"CONFIG", "SET", "list-max-listpack-size", "99999999999"},
	{"CONFIG", "SET", "list-max-listpack-size", "-6"},
	{"CONFIG", "GET", "list-max-ziplist-size"},
	{"CONFIG", "SET", "set-max-intset-entries", "1k"},
	{"CONFIG", "SET", "set-max-intset-entries", "100"},
	{"CONFIG", "GET", "set-max-intset-entries"},
	{"CONFIG", "SET", "zset-max-listpack-value", "1mb", "zset-max-ziplist-value", "2"},
	{"CONFIG", "GET", "zset-max-listpack-value"},
	{"CONFIG", "GET", "zset-max-ziplist-entries"},
	{"CONFIG", "SET", "zset-max-listpack-entries", "-5"},
	{"CONFIG", "SET", "maxmemory-policy", "foo"},
	{"CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"},
	{"CONFIG", "GET", "maxmemory-policy"},
	{"CONFIG", "SET", "maxmemory", "1.5gb"},
	{"CONFIG", "SET", "maxmemory", "-1"},
	{"CONFIG", "SET", "maxmemory", "10GB"},
	{"CONFIG", "GET", "maxmemory"},
	{"CONFIG", "SET", "maxmemory", ""},
	{"CONFIG", "GET", "maxmemory"},
	{"CONFIG", "SET", "maxmemory", "18446744073709551616"},
	{"CONFIG", "GET", "maxmemory"},
	{"CONFIG", "SET", "maxmemory", "0"},
	{"CONFIG", "SET", "maxclients", "0"},
	{"CONFIG", "SET", "maxclients", "4294967296"},
	{"CONFIG", "SET", "maxclients", "5000"},
	{"CONFIG", "GET", "maxclients"},
	{"CONFIG", "GET", "save"},
	{"CONFIG", "GET", "SAVE", "save"},
	{"CONFIG", "GET", "Hash-Max-Ziplist-Entries"},
	{"CONFIG", "GET", "nosuch"},
	{"CONFIG", "REWRITE"},
	{"CONFIG", "RESETSTAT", "x"},
	{"CONFIG", "HELP", "x"},
	{"CLIENT"},
	{"CLIENT", "nope"},
	{"CLIENT", "ID", "x"},
	{"CLIENT", "GETNAME", "x"},
	{"CLIENT", "SETNAME"},
	{"CLIENT", "SETNAME", "a b"},
	{"CLIENT", "LIST", "TYPE", "foo"},
	{"CLIENT", "LIST", "ID", "x"},
	{"CLIENT", "LIST", "x"},
	{"CLIENT", "LIST", "ID", "99999"},
	{"CLIENT", "LIST", "TYPE", "master"},
	{"MEMORY"},
	{"MEMORY", "nope"},
	{"MEMORY", "USAGE"},
	{"SET", "k", "v"},
	{"MEMORY", "USAGE", "k", "SAMPLES"},
	{"MEMORY", "USAGE", "k", "SAMPLES", "-1"},
	{"MEMORY", "USAGE", "k", "SAMPLES", "x"},
	{"MEMORY", "USAGE", "k", "FOO", "1"},
	{"MEMORY", "USAGE", "nokey", "SAMPLES", "x"},
	{"MEMORY", "USAGE", "nokey"},
	{"MEMORY", "USAGE", "nokey", "samples", "0"},
	{"MEMORY", "HELP", "x"},
	{"MEMORY", "MALLOC-STATS", "x"},
	{"MEMORY", "PURGE"},
	{"COMMAND", "nope"},
	{"COMMAND", "COUNT", "x"},
	{"COMMAND", "GETKEYS", "get"},
	{"COMMAND", "GETKEYS", "ping", "x", "y"},
	{"COMMAND", "GETKEYS", "get", "a", "b"},
	{"COMMAND", "GETKEYS", "nope", "a", "b"},
	{"COMMAND", "GETKEYS", "config", "get", "x"},
	{"COMMAND", "GETKEYS", "memory", "usage", "k"},
	{"COMMAND", "GETKEYS", "set", "k", "v"},
	{"COMMAND", "LIST", "x"},
	{"COMMAND", "LIST", "FILTERBY", "foo", "x"},
	{"COMMAND", "LIST", "FILTERBY", "MODULE", "x"},
	{"COMMAND", "INFO", "config|get"},
	{"COMMAND", "INFO", "CONFIG|GET"},
	{"COMMAND", "INFO", "config|nope"},
	{"COMMAND", "INFO", "get|x"},
	{"COMMAND", "INFO", "client|id", "client|getname", "client|info", "client|list", "client|setname", "client|help"},
	{"COMMAND", "INFO", "memory|help", "memory|malloc-stats", "memory|purge"},
	{"COMMAND", "INFO", "ping", "echo", "select", "readonly", "readwrite", "info", "role", "time", "lastsave"},
	{"COMMAND", "INFO", "command|count", "command|list", "command|info", "command|docs", "command|getkeys", "command|help"},
	{"COMMAND", "INFO", "config|get", "config|set", "config|resetstat", "config|rewrite", "config|help"},
	{"INFO", "nosuch"},
	{"COMMAND", "INFO", "wait"},
	{"WAIT"},
	{"WAIT", "x", "0"},
	{"WAIT", "99999999999999999999", "1"},
	{"WAIT", "1", "x"},
	{"WAIT", "1", "1.5"},
	{"WAIT", "1", "-1"},
	{"WAIT", "-1", "0"},
	{"WAIT", "0", "0"}, // one node: no replicas to count, as a lone redis-server
	{"WAIT", "1", "50"},
}

func TestServerCommandsAsRedis(t *testing.T) {
	redis := dialRaw(t, testredis.Start(t, ""))
	c := tc.Start(t, 1, tc.Options{})
	raftis := dialRaw(t, c.Leader().RedisAddr)
	for _, args := range sameAsRedis {
		want := redis.do(args...)
		if got := raftis.do(args...); got != want {
			t.Errorf("%q\n got %q\nwant %q", args, got, want)
		}
	}
}

// HELP lists what raftis has, with Redis's lines and in Redis's order.
func TestHelpIsRedisHelpForWhatExists(t *testing.T) {
	redis := dialRaw(t, testredis.Start(t, ""))
	c := tc.Start(t, 1, tc.Options{})
	raftis := dialRaw(t, c.Leader().RedisAddr)
	for _, container := range []string{"CLIENT", "MEMORY", "COMMAND"} {
		theirs := helpLines(t, redis.do(container, "HELP"))
		ours := helpLines(t, raftis.do(container, "HELP"))
		if container == "CLIENT" {
			ours = withoutBlock(ours, "SETINFO <option> <value>") // Redis 7.2's, which client libraries send
		}
		if !isSubsequence(ours, theirs) {
			t.Errorf("%s HELP: %q\nis not a part of Redis's\n%q", container, ours, theirs)
		}
	}
	lines := helpLines(t, raftis.do("raft", "help"))
	if len(lines) < 5 || lines[0] != "RAFT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" || lines[1] != "INFO" ||
		!slices.Equal(lines[len(lines)-2:], []string{"HELP", "    Prints this help."}) {
		t.Errorf("RAFT HELP = %q", lines)
	}
}

func helpLines(t *testing.T, raw string) []string {
	t.Helper()
	v, err := resp.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	lines, err := v.Strings()
	if err != nil {
		t.Fatalf("%v: %q", err, raw)
	}
	return lines
}

// withoutBlock drops the line head and the indented lines after it.
func withoutBlock(lines []string, head string) []string {
	var out []string
	for i := 0; i < len(lines); i++ {
		if lines[i] == head {
			for i+1 < len(lines) && strings.HasPrefix(lines[i+1], " ") {
				i++
			}
			continue
		}
		out = append(out, lines[i])
	}
	return out
}

func isSubsequence(sub, seq []string) bool {
	i := 0
	for _, s := range seq {
		if i < len(sub) && sub[i] == s {
			i++
		}
	}
	return i == len(sub)
}

// A container's COMMAND INFO entry lists its subcommands inside it, as in
// Redis 7. Redis orders them by its hash table; compare them by name.
// Key specs are left out: raftis has none.
func TestCommandInfoOfContainersAsRedis(t *testing.T) {
	redis := dialRaw(t, testredis.Start(t, ""))
	c := tc.Start(t, 1, tc.Options{})
	raftis := dialRaw(t, c.Leader().RedisAddr)
	for _, name := range []string{"config", "client", "memory", "command"} {
		theirs := containerInfo(t, redis.do("COMMAND", "INFO", name))
		ours := containerInfo(t, raftis.do("COMMAND", "INFO", name))
		if !reflect.DeepEqual(ours.head, theirs.head) {
			t.Errorf("%s: entry %+v, want %+v", name, ours.head, theirs.head)
		}
		for sub, entry := range ours.subs {
			want, ok := theirs.subs[sub]
			switch {
			case !ok && sub != "client|setinfo":
				t.Errorf("%s: raftis has %s, Redis 7.0 does not", name, sub)
			case ok && !reflect.DeepEqual(entry, want):
				t.Errorf("%s: %+v\nwant %+v", sub, entry, want)
			}
		}
		if name == "config" && len(ours.subs) != len(theirs.subs) {
			t.Errorf("config has %d subcommands, Redis %d", len(ours.subs), len(theirs.subs))
		}
	}
}

type infoEntry struct {
	head []resp.Value // the first nine fields
	subs map[string]resp.Value
}

func containerInfo(t *testing.T, raw string) infoEntry {
	t.Helper()
	v, err := resp.Parse([]byte(raw))
	if err != nil || len(v.Elems) != 1 || len(v.Elems[0].Elems) != 10 {
		t.Fatalf("COMMAND INFO reply %q: %v", raw, err)
	}
	e := v.Elems[0].Elems
	out := infoEntry{head: e[:9], subs: map[string]resp.Value{}}
	for _, sub := range e[9].Elems {
		// raftis has no key specs (the table has first key, last key and
		// step only): MEMORY USAGE's differ, compare the rest.
		sub.Elems[8] = resp.Value{}
		out.subs[sub.Elems[0].Str] = sub
	}
	return out
}

// CONFIG SET changes this node's encoding limits in fsm, under either
// name, all or nothing, and no other node's.
func TestConfigSetChangesLimits(t *testing.T) {
	c := tc.Start(t, 2, tc.Options{})
	leader, follower := c.Leader(), c.Followers()[0]
	r := dialRaw(t, leader.RedisAddr)
	before := leader.FSM.Limits()
	if got := r.do("CONFIG", "SET", "hash-max-listpack-entries", "7", "zset-max-ziplist-value", "1kb", "list-max-ziplist-size", "-5"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET = %q", got)
	}
	want := before
	want.HashMaxListpackEntries, want.ZSetMaxListpackValue, want.ListMaxListpackSize = 7, 1024, -5
	if got := leader.FSM.Limits(); got != want {
		t.Fatalf("limits after CONFIG SET: %+v, want %+v", got, want)
	}
	if got := follower.FSM.Limits(); got != before {
		t.Errorf("the follower's limits changed too (%+v): CONFIG SET is node-local", got)
	}
	if got := r.do("CONFIG", "SET", "set-max-intset-entries", "9", "zset-max-listpack-entries", "x"); !strings.HasPrefix(got, "-ERR CONFIG SET failed (possibly related to argument 'zset-max-listpack-entries')") {
		t.Fatalf("CONFIG SET with a bad value = %q", got)
	}
	if got := leader.FSM.Limits(); got != want {
		t.Errorf("a failed CONFIG SET changed the limits: %+v, want %+v", got, want)
	}
	if got := r.do("CONFIG", "GET", "hash-max-ziplist-entries"); got != "*2\r\n$24\r\nhash-max-ziplist-entries\r\n$1\r\n7\r\n" {
		t.Errorf("CONFIG GET under the old name = %q", got)
	}
}

// Both names of a parameter are listed by a pattern, as Redis lists them.
func TestConfigGetPatternListsAliases(t *testing.T) {
	c := tc.Start(t, 1, tc.Options{})
	r := dialRaw(t, c.Leader().RedisAddr)
	got, err := parseStrings(r.do("CONFIG", "GET", "HASH-*"))
	if err != nil {
		t.Fatal(err)
	}
	limits := c.Leader().FSM.Limits()
	entries, value := strconv.FormatInt(limits.HashMaxListpackEntries, 10), strconv.FormatInt(limits.HashMaxListpackValue, 10)
	want := []string{"hash-max-listpack-entries", entries, "hash-max-listpack-value", value, "hash-max-ziplist-entries", entries, "hash-max-ziplist-value", value}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CONFIG GET HASH-* = %q, want %q", got, want)
	}
	// redis-benchmark asks for these before it starts.
	if got := r.do("CONFIG", "GET", "save", "appendonly"); got != "*4\r\n$4\r\nsave\r\n$0\r\n\r\n$10\r\nappendonly\r\n$3\r\nyes\r\n" {
		t.Errorf("CONFIG GET save appendonly = %q", got)
	}
	for _, p := range []string{"save", "appendonly", "appendfsync", "port", "bind", "replica-read-only", "slave-serve-stale-data"} {
		want := "-ERR CONFIG SET failed (possibly related to argument '" + p + "') - can't set immutable config\r\n"
		if got := r.do("CONFIG", "SET", p, "x"); got != want {
			t.Errorf("CONFIG SET %s = %q, want %q", p, got, want)
		}
	}
}

// proto-max-bulk-len applies at once, to connections already open too.
func TestConfigSetProtoMaxBulkLen(t *testing.T) {
	c := tc.Start(t, 1, tc.Options{})
	nd := c.Leader()
	admin, open := dialRaw(t, nd.RedisAddr), dialRaw(t, nd.RedisAddr)
	big := strings.Repeat("x", 1<<20+1)
	if got := open.do("SET", "k", big); got != "+OK\r\n" {
		t.Fatalf("SET of 1 MiB + 1 under the default limit = %q", got)
	}
	if got := admin.do("CONFIG", "SET", "proto-max-bulk-len", "1mb"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET proto-max-bulk-len 1mb = %q", got)
	}
	if err := open.WriteRaw([]byte(fmt.Sprintf("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$%d\r\n", len(big)))); err != nil {
		t.Fatal(err)
	}
	if got := open.read(); got != "-ERR Protocol error: invalid bulk length\r\n" {
		t.Fatalf("a bulk over the new limit on an open connection = %q", got)
	}
	if got := admin.do("STRLEN", "k"); got != fmt.Sprintf(":%d\r\n", len(big)) {
		t.Errorf("STRLEN k = %q after the refused request", got)
	}
}

// maxclients applies to the next connection: over it, Redis's error and
// the connection closed, counted in rejected_connections.
func TestConfigSetMaxClients(t *testing.T) {
	c := tc.Start(t, 1, tc.Options{})
	nd := c.Leader()
	admin := dialRaw(t, nd.RedisAddr)
	connected := infoField(t, admin, "clients", "connected_clients")
	if got := admin.do("CONFIG", "SET", "maxclients", strconv.Itoa(connected+1)); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET maxclients = %q", got)
	}
	if got := dialRaw(t, nd.RedisAddr).do("PING"); got != "+PONG\r\n" {
		t.Fatalf("the connection that reaches maxclients: PING = %q", got)
	}
	refused, err := resp.Dial(nd.RedisAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer refused.Close()
	if got, err := refused.Receive(); string(got) != "-ERR max number of clients reached\r\n" {
		t.Fatalf("a connection over maxclients got %q, %v", got, err)
	}
	if got := infoField(t, admin, "stats", "rejected_connections"); got != 1 {
		t.Errorf("rejected_connections = %d, want 1", got)
	}
}

// The statistics of a scripted sequence on a follower, checked exactly:
// calls where the client sent them, rejected (refused before running) and
// failed (ran and replied an error) calls, errorstats, and the leader,
// which only ran the forwarded entries.
func TestCommandStats(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	leader, follower := c.Leader(), c.Followers()[0]
	lr, fr := dialRaw(t, leader.RedisAddr), dialRaw(t, follower.RedisAddr)
	for _, r := range []rawConn{lr, fr} {
		if got := r.do("CONFIG", "RESETSTAT"); got != "+OK\r\n" {
			t.Fatalf("CONFIG RESETSTAT = %q", got)
		}
	}
	script := []struct {
		args  []string
		reply string // prefix of the expected reply
	}{
		{[]string{"SET", "k", "v"}, "+OK"},
		{[]string{"GET", "k"}, "$1"},
		{[]string{"GET"}, "-ERR wrong number"},
		{[]string{"INCR", "k"}, "-ERR value is not an integer"},
		{[]string{"HSET", "k", "f", "v"}, "-WRONGTYPE"},
		{[]string{"NOSUCH", "a"}, "-ERR unknown command"},
		{[]string{"CONFIG", "GET", "save"}, "*2"},
		{[]string{"CONFIG"}, "-ERR wrong number"},
		{[]string{"CONFIG", "NOPE"}, "-ERR unknown subcommand"},
		{[]string{"CONFIG", "SET", "foo", "bar"}, "-ERR Unknown option"},
		{[]string{"HSET", "h", "a"}, "-ERR wrong number"},
		{[]string{"CLIENT", "ID"}, ":"},
		{[]string{"SELECT", "99"}, "-ERR DB index"},
		{[]string{"MEMORY", "USAGE", "k"}, ":"},
		{[]string{"MEMORY", "USAGE", "k", "SAMPLES", "x"}, "-ERR value is not an integer"},
	}
	for _, step := range script {
		if got := fr.do(step.args...); !strings.HasPrefix(got, step.reply) {
			t.Fatalf("%q = %q, want %s…", step.args, got, step.reply)
		}
	}
	// A pipeline of reads and writes, counted per command.
	for _, args := range [][]string{{"GET", "k"}, {"SET", "k2", "x"}, {"GET", "k2"}, {"GET", "k"}, {"INCR", "k2"}, {"INCR", "k3"}} {
		fr.Send(args...)
	}
	for range 6 {
		fr.read()
	}
	want := map[string][3]int64{ // calls, rejected_calls, failed_calls
		"set": {2, 0, 0}, "get": {4, 1, 0}, "incr": {3, 0, 2}, "hset": {1, 1, 1},
		"config": {0, 1, 0}, "config|get": {1, 0, 0}, "config|set": {1, 0, 1}, "config|resetstat": {1, 0, 0},
		"client|id": {1, 0, 0}, "select": {1, 0, 1}, "memory|usage": {2, 0, 1},
	}
	got := commandStats(t, fr.do("INFO", "commandstats"))
	for name, w := range want {
		if g, ok := got[name]; !ok || g.counts != w {
			t.Errorf("cmdstat_%s: calls, rejected, failed = %v, want %v", name, g.counts, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("cmdstat_%s listed, no such call was made", name)
		}
	}
	if got["set"].usec == 0 || got["incr"].usec == 0 {
		t.Errorf("writes through a follower took no time: set %d µs, incr %d µs", got["set"].usec, got["incr"].usec)
	}
	if got := fr.do("INFO", "errorstats"); got != bulk("# Errorstats\r\nerrorstat_ERR:count=10\r\nerrorstat_WRONGTYPE:count=1\r\n") {
		t.Errorf("INFO errorstats = %q", got)
	}
	if got := infoField(t, fr, "stats", "total_error_replies"); got != 11 {
		t.Errorf("total_error_replies = %d, want 11", got)
	}
	// The 17 calls counted above, and the three INFOs since.
	if got := infoField(t, fr, "stats", "total_commands_processed"); got != 20 {
		t.Errorf("total_commands_processed = %d, want 20", got)
	}
	// The leader ran the follower's writes as forwarded entries.
	onLeader := commandStats(t, lr.do("INFO", "commandstats"))
	if _, ok := onLeader["set"]; ok {
		t.Errorf("the leader counts the follower's SET: %v", onLeader)
	}
	if onLeader["raft|forward"].counts[0] == 0 {
		t.Errorf("the leader counts no RAFT FORWARD: %v", onLeader)
	}
	// RESETSTAT empties everything; the call itself is then counted.
	fr.do("CONFIG", "RESETSTAT")
	if got := fr.do("INFO", "commandstats", "errorstats"); !regexp.MustCompile(`^\$\d+\r\n# Commandstats\r\ncmdstat_config\|resetstat:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n\r\n# Errorstats\r\n\r\n$`).MatchString(got) {
		t.Errorf("after CONFIG RESETSTAT: %q", got)
	}
}

// A write a follower refuses before proposing it (--follower-writes
// reject) is a rejected call, as Redis counts READONLY.
func TestRefusedWriteIsRejectedCall(t *testing.T) {
	c := tc.Start(t, 2, tc.Options{FollowerWrites: "reject"})
	r := dialRaw(t, c.Followers()[0].RedisAddr)
	if got := r.do("SET", "k", "v"); !strings.HasPrefix(got, "-READONLY ") {
		t.Fatalf("SET on a rejecting follower = %q", got)
	}
	if got := commandStats(t, r.do("INFO", "commandstats"))["set"].counts; got != [3]int64{0, 1, 0} {
		t.Errorf("cmdstat_set calls, rejected, failed = %v, want [0 1 0]", got)
	}
	if got := r.do("INFO", "errorstats"); got != bulk("# Errorstats\r\nerrorstat_READONLY:count=1\r\n") {
		t.Errorf("INFO errorstats = %q", got)
	}
}

// INFO memory: used_memory is the data set's size as fsm estimates it;
// the fields Redis also prints come in Redis's order.
func TestInfoMemory(t *testing.T) {
	redis := dialRaw(t, testredis.Start(t, ""))
	c := tc.Start(t, 1, tc.Options{})
	nd := c.Leader()
	r := dialRaw(t, nd.RedisAddr)
	for i := range 100 {
		r.do("SET", fmt.Sprint("key", i), strings.Repeat("v", i))
	}
	r.do("CONFIG", "SET", "maxmemory", "1gb")
	used := nd.FSM.UsedMemory()
	fields := infoFields(t, r.do("INFO", "memory"))
	for name, want := range map[string]string{
		"used_memory": strconv.FormatInt(used, 10), "used_memory_dataset": strconv.FormatInt(used, 10),
		"used_memory_human": fmt.Sprintf("%.2fK", float64(used)/1024), "used_memory_dataset_perc": "100.00%",
		"maxmemory": "1073741824", "maxmemory_human": "1.00G", "maxmemory_policy": "noeviction",
	} {
		if got := fields.value(name); got != want {
			t.Errorf("%s:%s, want %s", name, got, want)
		}
	}
	if n, err := strconv.ParseInt(fields.value("used_memory_rss"), 10, 64); err != nil || n < 1<<20 {
		t.Errorf("used_memory_rss:%s, want the process's resident size", fields.value("used_memory_rss"))
	}
	if peak, _ := strconv.ParseInt(fields.value("used_memory_peak"), 10, 64); peak < used {
		t.Errorf("used_memory_peak %d below used_memory %d", peak, used)
	}
	theirs := infoFields(t, redis.do("INFO", "memory"))
	var common []string
	for _, name := range theirs.order {
		if fields.value(name) != "" {
			common = append(common, name)
		}
	}
	if !isSubsequence(common, fields.order) || len(common) < 15 {
		t.Errorf("fields shared with Redis %q are not in Redis's order in %q", common, fields.order)
	}
}

// MEMORY USAGE is fsm's estimate for the key, in the connection's database.
func TestMemoryUsage(t *testing.T) {
	c := tc.Start(t, 2, tc.Options{})
	follower := c.Followers()[0]
	r := dialRaw(t, follower.RedisAddr)
	r.do("SELECT", "3")
	r.do("SET", "k", strings.Repeat("x", 1000))
	size, ok := follower.FSM.MemoryUsage(3, []byte("k"), time.Now().UnixMilli())
	if !ok || size < 1000 {
		t.Fatalf("fsm MemoryUsage = %d, %v", size, ok)
	}
	if got := r.do("MEMORY", "USAGE", "k", "SAMPLES", "0"); got != fmt.Sprintf(":%d\r\n", size) {
		t.Errorf("MEMORY USAGE k = %q, want :%d", got, size)
	}
	r.do("SELECT", "0")
	if got := r.do("MEMORY", "USAGE", "k"); got != "$-1\r\n" {
		t.Errorf("MEMORY USAGE of a key in another database = %q", got)
	}
}

type cmdstat struct {
	counts [3]int64 // calls, rejected_calls, failed_calls
	usec   int64
}

var cmdstatLine = regexp.MustCompile(`^cmdstat_([^:]+):calls=(\d+),usec=(\d+),usec_per_call=\d+\.\d\d,rejected_calls=(\d+),failed_calls=(\d+)$`)

func commandStats(t *testing.T, raw string) map[string]cmdstat {
	t.Helper()
	out := map[string]cmdstat{}
	lines := strings.Split(strings.TrimSuffix(bulkText(t, raw), "\r\n"), "\r\n")
	if lines[0] != "# Commandstats" {
		t.Fatalf("INFO commandstats = %q", raw)
	}
	for _, line := range lines[1:] {
		m := cmdstatLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("malformed line %q", line)
		}
		n := func(i int) int64 { v, _ := strconv.ParseInt(m[i], 10, 64); return v }
		out[m[1]] = cmdstat{counts: [3]int64{n(2), n(4), n(5)}, usec: n(3)}
	}
	return out
}

type infoSection struct {
	order  []string
	values map[string]string
}

func (s infoSection) value(name string) string { return s.values[name] }

func infoFields(t *testing.T, raw string) infoSection {
	t.Helper()
	out := infoSection{values: map[string]string{}}
	for _, line := range strings.Split(bulkText(t, raw), "\r\n") {
		if name, value, ok := strings.Cut(line, ":"); ok {
			out.order = append(out.order, name)
			out.values[name] = value
		}
	}
	return out
}

func infoField(t *testing.T, r rawConn, section, name string) int {
	t.Helper()
	v := infoFields(t, r.do("INFO", section)).value(name)
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("INFO %s: %s:%q", section, name, v)
	}
	return n
}

func bulkText(t *testing.T, raw string) string {
	t.Helper()
	v, err := resp.Parse([]byte(raw))
	if err != nil || v.Kind != resp.BulkString {
		t.Fatalf("not a bulk string: %q (%v)", raw, err)
	}
	return v.Str
}

func bulk(s string) string { return fmt.Sprintf("$%d\r\n%s\r\n", len(s), s) }

func parseStrings(raw string) ([]string, error) {
	v, err := resp.Parse([]byte(raw))
	if err != nil {
		return nil, err
	}
	return v.Strings()
}

// A write that finds no leader to propose to is a rejected call; one
// whose outcome is unknown (proposed, then the leader was lost) a failed
// one.
func TestWriteWithoutLeaderIsRejectedCall(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	survivor := c.Followers()[0]
	for _, nd := range c.Running() {
		if nd != survivor {
			c.Kill(nd)
		}
	}
	r := dialRaw(t, survivor.RedisAddr)
	r.do("CONFIG", "RESETSTAT")
	reply := r.do("SET", "k", "v")
	want := [3]int64{0, 1, 0} // calls, rejected, failed
	switch {
	case strings.HasPrefix(reply, "-CLUSTERDOWN "):
	case strings.HasPrefix(reply, "-UNCERTAIN "):
		want = [3]int64{1, 0, 1}
	default:
		t.Fatalf("SET without a quorum = %q", reply)
	}
	if got := commandStats(t, r.do("INFO", "commandstats"))["set"].counts; got != want {
		t.Errorf("after %q: cmdstat_set calls, rejected, failed = %v, want %v", reply, got, want)
	}
}

// A read refused by --max-staleness is a rejected call, counted as
// MASTERDOWN in errorstats, for data reads and MEMORY USAGE alike.
func TestStaleReadIsRejectedCall(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{MaxStaleness: 300 * time.Millisecond})
	f := c.Followers()[0]
	for _, nd := range c.Running() {
		if nd != f {
			c.Kill(nd)
		}
	}
	r := dialRaw(t, f.RedisAddr)
	tc.Poll(t, 5*time.Second, "reads refused on a cut-off follower", func() bool {
		return strings.HasPrefix(r.do("GET", "k"), "-MASTERDOWN ")
	})
	r.do("CONFIG", "RESETSTAT")
	for _, args := range [][]string{{"GET", "k"}, {"MEMORY", "USAGE", "k"}} {
		if got := r.do(args...); !strings.HasPrefix(got, "-MASTERDOWN ") {
			t.Fatalf("%q on a cut-off follower = %q", args, got)
		}
	}
	stats := commandStats(t, r.do("INFO", "commandstats"))
	for _, name := range []string{"get", "memory|usage"} {
		if got := stats[name].counts; got != [3]int64{0, 1, 0} {
			t.Errorf("cmdstat_%s calls, rejected, failed = %v, want [0 1 0]", name, got)
		}
	}
	if got := r.do("INFO", "errorstats"); got != bulk("# Errorstats\r\nerrorstat_MASTERDOWN:count=2\r\n") {
		t.Errorf("INFO errorstats = %q", got)
	}
}
