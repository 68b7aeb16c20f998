package fsm

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The WRONGTYPE sweep: every data command, with a key of every type in
// each of its key positions, replies exactly as Redis does.
//
// sweepTemplates gives, per command, argument lists in which "@type"
// marks a key position and the type it naturally holds there. Each run
// fills every position with a key of its natural type, then puts a key
// of another type in one position. Commands without keys are listed in
// sweepKeyless; TestWrongTypeSweep fails for a command in neither, so
// every new command needs its templates.
var sweepTemplates = map[string][]string{
	"get":              {"@string"},
	"set":              {"@string v", "@string v GET"},
	"setnx":            {"@string v"},
	"setex":            {"@string 100 v"},
	"psetex":           {"@string 100000 v"},
	"getset":           {"@string v"},
	"getdel":           {"@string"},
	"getex":            {"@string", "@string PERSIST"},
	"mget":             {"@string @string"},
	"mset":             {"@string v @string w"},
	"msetnx":           {"@string v @string w"},
	"incr":             {"@int"},
	"decr":             {"@int"},
	"incrby":           {"@int 2"},
	"decrby":           {"@int 2"},
	"incrbyfloat":      {"@int 1.5"},
	"append":           {"@string x"},
	"strlen":           {"@string"},
	"getrange":         {"@string 0 -1"},
	"setrange":         {"@string 1 x"},
	"substr":           {"@string 0 -1"},
	"lcs":              {"@string @string", "@string @string LEN"},
	"del":              {"@any @any"},
	"unlink":           {"@any"},
	"exists":           {"@any @any"},
	"type":             {"@any"},
	"rename":           {"@any @any"},
	"renamenx":         {"@any @any"},
	"move":             {"@any 1"},
	"copy":             {"@any @any", "@any @any REPLACE"},
	"touch":            {"@any"},
	"expire":           {"@any 100"},
	"pexpire":          {"@any 100000"},
	"expireat":         {"@any 99999999999"},
	"pexpireat":        {"@any 99999999999999"},
	"ttl":              {"@any"},
	"pttl":             {"@any"},
	"expiretime":       {"@any"},
	"pexpiretime":      {"@any"},
	"persist":          {"@any"},
	"hset":             {"@hash f v"},
	"hsetnx":           {"@hash g v"},
	"hmset":            {"@hash f v"},
	"hget":             {"@hash f"},
	"hmget":            {"@hash f g"},
	"hdel":             {"@hash f"},
	"hlen":             {"@hash"},
	"hstrlen":          {"@hash f"},
	"hexists":          {"@hash f"},
	"hkeys":            {"@hash"},
	"hvals":            {"@hash"},
	"hgetall":          {"@hash"},
	"hincrby":          {"@hash n 1"},
	"hincrbyfloat":     {"@hash n 1.5"},
	"hrandfield":       {"@hash", "@hash 2", "@hash -3 WITHVALUES"},
	"hscan":            {"@hash 0"},
	"lpush":            {"@list x"},
	"rpush":            {"@list x"},
	"lpushx":           {"@list x"},
	"rpushx":           {"@list x"},
	"lpop":             {"@list", "@list 2"},
	"rpop":             {"@list", "@list 2"},
	"llen":             {"@list"},
	"lrange":           {"@list 0 -1"},
	"lindex":           {"@list 0"},
	"lset":             {"@list 0 x"},
	"linsert":          {"@list BEFORE a x"},
	"lrem":             {"@list 0 a"},
	"ltrim":            {"@list 0 1"},
	"lpos":             {"@list a"},
	"lmove":            {"@list @list LEFT RIGHT"},
	"rpoplpush":        {"@list @list"},
	"lmpop":            {"2 @list @list LEFT"},
	"blpop":            {"@list @list 0.01"},
	"brpop":            {"@list @list 0.01"},
	"blmove":           {"@list @list LEFT RIGHT 0.01"},
	"brpoplpush":       {"@list @list 0.01"},
	"blmpop":           {"0.01 2 @list @list RIGHT COUNT 2"},
	"setbit":           {"@string 1 1"},
	"getbit":           {"@string 1"},
	"bitcount":         {"@string", "@string 0 -1 BIT"},
	"bitpos":           {"@string 1"},
	"bitop":            {"AND @string @string @string", "NOT @string @string"},
	"bitfield":         {"@string GET u8 0", "@string SET u8 0 1"},
	"bitfield_ro":      {"@string GET u8 0"},
	"pfadd":            {"@hll x"},
	"pfcount":          {"@hll", "@hll @hll"},
	"pfmerge":          {"@hll @hll"},
	"sadd":             {"@set x"},
	"srem":             {"@set a"},
	"scard":            {"@set"},
	"sismember":        {"@set a"},
	"smismember":       {"@set a x"},
	"smembers":         {"@set"},
	"spop":             {"@set", "@set 2"},
	"srandmember":      {"@set", "@set -2"},
	"smove":            {"@set @set a"},
	"sinter":           {"@set @set"},
	"sintercard":       {"2 @set @set LIMIT 1"},
	"sunion":           {"@set @set"},
	"sdiff":            {"@set @set"},
	"sinterstore":      {"@set @set @set"},
	"sunionstore":      {"@set @set @set"},
	"sdiffstore":       {"@set @set @set"},
	"sscan":            {"@set 0"},
	"zadd":             {"@zset 1 x", "@zset INCR 1 x"},
	"zincrby":          {"@zset 1 a"},
	"zrem":             {"@zset a"},
	"zcard":            {"@zset"},
	"zcount":           {"@zset -inf +inf"},
	"zlexcount":        {"@zset - +"},
	"zscore":           {"@zset a"},
	"zmscore":          {"@zset a x"},
	"zrank":            {"@zset b"},
	"zrevrank":         {"@zset b"},
	"zrange":           {"@zset 0 -1 WITHSCORES", "@zset (1 3 BYSCORE REV"},
	"zrangestore":      {"@zset @zset 0 -1"},
	"zrangebyscore":    {"@zset -inf +inf"},
	"zrevrangebyscore": {"@zset +inf -inf"},
	"zrangebylex":      {"@zset - +"},
	"zrevrangebylex":   {"@zset + -"},
	"zrevrange":        {"@zset 0 -1"},
	"zremrangebyrank":  {"@zset 0 0"},
	"zremrangebyscore": {"@zset 1 1"},
	"zremrangebylex":   {"@zset [a [a"},
	"zpopmin":          {"@zset", "@zset 2"},
	"zpopmax":          {"@zset", "@zset 2"},
	"zmpop":            {"2 @zset @zset MIN"},
	"bzpopmin":         {"@zset @zset 0.01"},
	"bzpopmax":         {"@zset @zset 0.01"},
	"bzmpop":           {"0.01 2 @zset @zset MAX COUNT 2"},
	"zrandmember":      {"@zset", "@zset -2 WITHSCORES"},
	"zunion":           {"2 @zset @zset WITHSCORES"},
	"zinter":           {"2 @zset @zset"},
	"zdiff":            {"2 @zset @zset"},
	"zunionstore":      {"@zset 2 @zset @zset"},
	"zinterstore":      {"@zset 2 @zset @zset WEIGHTS 1 2"},
	"zdiffstore":       {"@zset 2 @zset @zset"},
	"zintercard":       {"2 @zset @zset"},
	"zscan":            {"@zset 0"},
	"object|encoding":  {"@any"},
	"object|refcount":  {"@any"},
	"object|idletime":  {"@any"},
	"object|freq":      {"@any"},
	"dump":             {"@any"},
	"restore":          {"@any 0 $payload", "@any 0 $payload REPLACE"},
	"sort":             {"@list", "@list ALPHA", "@list BY nosort", "@list ALPHA STORE @list", "@list BY @string GET @string"},
	"sort_ro":          {"@list ALPHA", "@list BY @string GET @hash"},
}

// sweepKeyless are the data commands without key arguments.
var sweepKeyless = []string{"keys", "scan", "randomkey", "dbsize", "flushdb", "flushall", "swapdb"}

// sweepTypes make a key of each kind of value ("any" is a string).
var sweepTypes = map[string][][]string{
	"string": {{"SET", "%", "hello"}},
	"int":    {{"SET", "%", "12"}},
	"hll":    {{"PFADD", "%", "a", "b"}},
	"list":   {{"RPUSH", "%", "a", "b", "c"}},
	"hash":   {{"HSET", "%", "f", "v", "n", "5"}},
	"set":    {{"SADD", "%", "a", "b", "c"}},
	"intset": {{"SADD", "%", "1", "2", "3"}},
	"zset":   {{"ZADD", "%", "1", "a", "2", "b", "3", "c"}},
	"any":    {{"SET", "%", "x"}},
}

// sweepByKind are commands whose replies are compared by kind unless they
// are errors: random picks, and DUMP's payloads, whose encodings differ
// (TestDumpRestoreWithRedis compares what they restore to).
var sweepByKind = map[string]bool{"hrandfield": true, "dump": true, "spop": true, "srandmember": true, "zrandmember": true, "sscan": true}

// sweepUnordered are commands whose array replies come in an order Redis
// leaves to its hash table; they are compared sorted.
var sweepUnordered = map[string]bool{"smembers": true, "sinter": true, "sunion": true, "sdiff": true}

func TestWrongTypeSweep(t *testing.T) {
	o := newOracle(t)
	tf := newTestFSM(t)
	var types []string
	for typ := range sweepTypes {
		if typ != "any" {
			types = append(types, typ)
		}
	}
	slices.Sort(types)
	o.do("SET", "payload-src", "restored")
	payload := payloadOf(t, o.do("DUMP", "payload-src"))
	runs := 0
	for _, cmd := range Commands() {
		templates, ok := sweepTemplates[cmd.Name]
		if !ok {
			if !slices.Contains(sweepKeyless, cmd.Name) {
				t.Errorf("%s: no templates for the WRONGTYPE sweep", cmd.Name)
			}
			continue
		}
		name := strings.Split(strings.ToUpper(cmd.Name), "|")
		for _, tmpl := range templates {
			words := strings.Fields(tmpl)
			for pos, w := range words {
				if !strings.HasPrefix(w, "@") {
					continue
				}
				for _, typ := range types {
					runs++
					args, setup := sweepCase(name, words, pos, typ, payload)
					for _, s := range setup {
						want := o.do(s...)
						if got := tf.do(s...); got != want {
							t.Fatalf("setup %q: %q, redis %q", s, got, want)
						}
					}
					want := o.do(args...)
					got := tf.do(args...)
					// SORT BY nosort reads a set in Redis's hash order.
					unordered := sweepUnordered[cmd.Name] || strings.HasPrefix(cmd.Name, "sort") && typ == "set"
					if unordered && got[0] == '*' && want[0] == '*' && !strings.Contains(got+want, "$-1") {
						got, want = sortedGroupsReply(t, got, false), sortedGroupsReply(t, want, false)
					}
					if got != want && !(sweepByKind[cmd.Name] && got[0] != '-' && got[0] == want[0]) {
						t.Errorf("%q (%s at position %d)\n got %.200q\nwant %.200q", args, typ, pos, got, want)
					}
				}
			}
		}
	}
	t.Logf("%d runs", runs)
}

// sweepCase builds one run: the setup (a fresh data set with a key per
// position, of its natural type but typ at pos) and the command.
func sweepCase(name []string, words []string, pos int, typ, payload string) (args []string, setup [][]string) {
	setup = [][]string{{"FLUSHALL"}}
	args = append(args, name...)
	for i, w := range words {
		switch {
		case w == "$payload":
			args = append(args, payload)
		case strings.HasPrefix(w, "@"):
			kind := w[1:]
			if i == pos {
				kind = typ
			}
			key := "k" + strconv.Itoa(i)
			for _, c := range sweepTypes[kind] {
				s := slices.Clone(c)
				s[1] = key
				setup = append(setup, s)
			}
			args = append(args, key)
		default:
			args = append(args, w)
		}
	}
	return args, setup
}
