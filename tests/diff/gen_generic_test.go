package diff

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/raftis/raftis/fsm/rdb"
	"github.com/raftis/raftis/internal/resp"
)

// The commands that work on every type: OBJECT, SORT and SORT_RO, DUMP and
// RESTORE, and the key commands (TYPE, RENAME, COPY, MOVE, SWAPDB, ...)
// over keys that "build" fills with values of every type and encoding.
//
// DUMP payloads differ in bytes (Redis writes compact encodings, raftis
// the plain ones), so dumpCompare restores each side's payload into the
// other server and compares the values. See sortCompare for what SORT
// leaves unspecified, and objectCompare for OBJECT IDLETIME.
func init() {
	register("generic",
		cmdGen{name: "build", weight: 10, gen: genBuild},
		cmdGen{name: "object", queries: true, weight: 6, cmp: objectCompare, gen: genObject},
		cmdGen{name: "sort", queries: true, weight: 6, cmp: sortCompare, gen: func(r *rand.Rand, keys []string) []string { return genSort(r, keys, "SORT") }},
		cmdGen{name: "sort_ro", queries: true, weight: 3, cmp: sortCompare, gen: func(r *rand.Rand, keys []string) []string { return genSort(r, keys, "SORT_RO") }},
		cmdGen{name: "dump", queries: true, weight: 4, cmp: dumpCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"DUMP", randKey(r, keys)}
		}},
		cmdGen{name: "restore", weight: 5, gen: genRestore},
		cmdGen{name: "type", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"TYPE", randKey(r, keys)}
		}},
		cmdGen{name: "rename", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return []string{pickOne(r, "RENAME", "RENAMENX"), randKey(r, keys), randKey(r, keys)}
		}},
		cmdGen{name: "copy", weight: 2, gen: genCopy},
		cmdGen{name: "move", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"MOVE", randKey(r, keys), randDB(r)}
		}},
		cmdGen{name: "swapdb", weight: 1, gen: func(r *rand.Rand, _ []string) []string {
			return []string{"SWAPDB", strconv.Itoa(r.IntN(numDBs)), strconv.Itoa(r.IntN(numDBs))}
		}},
		cmdGen{name: "select", weight: 1, gen: func(r *rand.Rand, _ []string) []string {
			return []string{"SELECT", strconv.Itoa(r.IntN(numDBs))}
		}},
		cmdGen{name: "del", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"DEL"}, randKeys(r, keys, 1, 2)...)
		}},
		cmdGen{name: "scan", queries: true, weight: 1, cmp: scanCompare, gen: func(r *rand.Rand, _ []string) []string {
			return []string{"SCAN", "0", "TYPE", pickOne(r, "string", "list", "hash", "set", "zset", "none")}
		}},
		cmdGen{name: "view", queries: true, weight: 4, cmp: valueCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"TYPE", randKey(r, keys)}
		}},
		// Expiry on values of every type.
		cmdGen{name: "expire", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			switch r.IntN(4) {
			case 0:
				return genExpire("PEXPIRE", relMillis(r), r, keys)
			case 1:
				return genExpire("EXPIREAT", absSeconds(r, true), r, keys)
			case 2:
				return []string{"PERSIST", randKey(r, keys)}
			}
			return genExpire("EXPIRE", relSeconds(r), r, keys)
		}},
		cmdGen{name: "ttl", weight: 1, cmp: toleranceCompare(1), timing: true, gen: func(r *rand.Rand, keys []string) []string {
			return []string{pickOne(r, "TTL", "EXPIRETIME"), randKey(r, keys)}
		}},
		// A command of each type against whatever the key holds (not a
		// one-key PFCOUNT, which writes Redis's cache: see the HLL
		// family).
		cmdGen{name: "wrongtype", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			key := randKey(r, keys)
			return strings.Fields(pickOne(r, "GET", "STRLEN", "APPEND", "LLEN", "LINDEX", "HLEN", "HGET", "SCARD", "SISMEMBER",
				"ZCARD", "ZSCORE", "GETBIT", "LPUSH", "HSET", "SADD", "ZADD", "INCR") + " " + key + " " +
				pickOne(r, "", "1", "1 1", "1 x"))
		}},
	)
}

// genBuild stores a value of some type and encoding at a random key:
// small and large collections, strings of each encoding.
func genBuild(r *rand.Rand, keys []string) []string {
	key := randKey(r, keys)
	collection := func() {
		if chance(r, 2, 3) {
			key = randKey(r, sortKeys)
		}
	}
	many := func(cmd string, n int, elem func(i int) []string) []string {
		out := []string{cmd, key}
		for i := range n {
			out = append(out, elem(i)...)
		}
		return out
	}
	switch r.IntN(26) {
	case 0:
		return []string{"SET", key, randValue(r)}
	case 1:
		return []string{"SET", key, strconv.Itoa(r.IntN(12000) - 1000)}
	case 2:
		if chance(r, 1, 2) {
			return []string{"APPEND", key, randSortElem(r)}
		}
		return []string{"SETRANGE", key, strconv.Itoa(r.IntN(50)), randSortElem(r)}
	case 3:
		return []string{"SETBIT", key, strconv.Itoa(r.IntN(500)), "1"}
	case 4:
		return []string{"INCRBYFLOAT", key, pickOne(r, "1", "1.5", "-3")}
	case 5:
		return many("PFADD", 1+r.IntN(4), func(int) []string { return []string{randSortElem(r)} })
	case 6, 7, 8, 9:
		collection()
		return many(pickOne(r, "RPUSH", "LPUSH"), 1+r.IntN(8), func(int) []string { return []string{randSortElem(r)} })
	case 10:
		collection()
		return many("RPUSH", 200+r.IntN(600), func(i int) []string { return []string{strconv.Itoa(i % 97)} })
	case 11, 12:
		collection()
		return many("HSET", 1+r.IntN(6), func(int) []string { return []string{pickOne(r, "f", "g", "n", "0", "1"), randSortElem(r)} })
	case 13:
		return many("HSET", 520+r.IntN(100), func(i int) []string { return []string{"f" + strconv.Itoa(i), strconv.Itoa(i)} })
	case 14:
		return []string{"HSET", key, "long", strings.Repeat("v", 65+r.IntN(10))}
	case 15, 16:
		// Integers: an intset, until 512 of them.
		collection()
		return many("SADD", 1+r.IntN(8), func(int) []string { return []string{strconv.Itoa(r.IntN(200) - 100)} })
	case 17:
		collection()
		return many("SADD", 1+r.IntN(6), func(int) []string { return []string{randSortElem(r)} })
	case 18:
		// Around set-max-intset-entries (512).
		collection()
		return many("SADD", 500+r.IntN(30), func(i int) []string { return []string{strconv.Itoa(i * 3)} })
	case 19, 20:
		collection()
		return many("ZADD", 1+r.IntN(6), func(int) []string { return []string{randScore(r), randSortElem(r)} })
	case 21:
		// Around zset-max-listpack-entries (128).
		collection()
		return many("ZADD", 120+r.IntN(20), func(i int) []string { return []string{strconv.Itoa(i % 13), "m" + strconv.Itoa(i)} })
	case 22:
		// Around zset-max-listpack-value and set's 64 bytes.
		member := strings.Repeat("m", 62+r.IntN(5))
		if chance(r, 1, 2) {
			return []string{"SADD", key, member, "x"}
		}
		return []string{"ZADD", key, "1", member, "2", "x"}
	case 23:
		// Strings around the embstr limit (44 bytes).
		return []string{"SET", key, strings.Repeat("s", 42+r.IntN(5))}
	}
	// Room for a collection to be built next.
	collection()
	return []string{"DEL", key}
}

// randScore is a ZADD score: small integers (ties), fractions, infinities.
// Never -0, which raftis stores as 0 in every encoding (see the zsets
// generators).
func randScore(r *rand.Rand) string {
	switch r.IntN(6) {
	case 0:
		return strconv.FormatFloat(float64(r.IntN(200)-100)/8, 'g', -1, 64)
	case 1:
		return pickOne(r, "inf", "-inf", "+inf", "0", "1e10")
	}
	return strconv.Itoa(r.IntN(5))
}

// sortKeys are the keys build mostly makes collections of, and SORT mostly
// sorts: the other keys mostly hold strings, SORT's weights.
var sortKeys = []string{"k0", "k1", "k2"}

// randSortElem is an element or weight that SORT may meet: small numbers
// (which are also the suffixes of the key space's k0..k3), floats, words,
// binary.
func randSortElem(r *rand.Rand) string {
	switch r.IntN(12) {
	case 0, 1, 2, 9, 10, 11:
		return strconv.Itoa(r.IntN(5))
	case 3:
		return strconv.Itoa(r.IntN(200) - 100)
	case 4:
		return strconv.FormatFloat(float64(r.IntN(20000)-10000)/64, 'g', -1, 64)
	case 5:
		return pickOne(r, "a", "b", "B", "ab", "foo", "bar", ":bar", "\x00", "a\x00b", "\xff", "", "k3", "foo:bar", "a*b")
	case 6:
		return pickOne(r, "inf", "-inf", " 5", "0x10", "1e3", "nan", "5 ")
	}
	return pickOne(r, "0", "1", "2", "3", "x", "y")
}

// OBJECT subcommand key, with unknown subcommands and wrong arities.
func genObject(r *rand.Rand, keys []string) []string {
	sub := pickOne(r, "ENCODING", "ENCODING", "ENCODING", "REFCOUNT", "REFCOUNT", "IDLETIME", "IDLETIME", "FREQ", "HELP")
	if chance(r, 1, 20) {
		sub = pickOne(r, "NOPE", "")
	}
	cmd := []string{"OBJECT", kw(r, sub)}
	if sub != "HELP" {
		cmd = append(cmd, randKey(r, keys))
	}
	return cmd
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC]
// [ALPHA] [STORE destination]: options in random order, patterns that
// reach the key space (k* reads k0..k3 for elements 0..3, foo:* reads
// foo:bar), hash fields, and now and then bad options. The destination of
// STORE is never the sorted key, so that sortCompare can still see the
// sorted key's type.
func genSort(r *rand.Rand, keys []string, name string) []string {
	key := randKey(r, keys)
	if chance(r, 2, 3) {
		key = randKey(r, sortKeys)
	}
	cmd := []string{name, key}
	var opts [][]string
	patterns := []string{"k*", "k*->f", "k*->n", "foo*", "*", "*->f", "k*->", "nosort", "#", "\x00*", "k\x00*"}
	if chance(r, 1, 2) {
		opts = append(opts, []string{kw(r, "BY"), pickOne(r, patterns...)})
	}
	if chance(r, 1, 3) {
		opts = append(opts, []string{kw(r, "LIMIT"), strconv.Itoa(r.IntN(8) - 2), strconv.Itoa(r.IntN(8) - 2)})
	}
	for range r.IntN(3) {
		opts = append(opts, []string{kw(r, "GET"), pickOne(r, patterns...)})
	}
	if chance(r, 1, 3) {
		opts = append(opts, []string{kw(r, pickOne(r, "ASC", "DESC"))})
	}
	if chance(r, 1, 2) {
		opts = append(opts, []string{kw(r, "ALPHA")})
	}
	if chance(r, 1, 4) {
		dst := randKey(r, keys)
		for dst == key {
			dst = randKey(r, keys)
		}
		opts = append(opts, []string{kw(r, "STORE"), dst})
	}
	if chance(r, 1, 20) {
		opts = append(opts, []string{pickOne(r, "LIMIT", "BY", "GET", "STORE", "FOO", "LIMIT 1")})
	}
	if chance(r, 1, 20) {
		opts = append(opts, []string{"LIMIT", pickOne(r, "x", "1.5", "9223372036854775808"), "1"})
	}
	r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	for _, o := range opts {
		cmd = append(cmd, o...)
	}
	return cmd
}

// sortOpts are the options of a SORT command line that matter to
// sortCompare.
type sortOpts struct {
	dontSort, alpha, byPattern, limit bool
	store                             string
}

func parseSortOpts(cmd []string) sortOpts {
	var o sortOpts
	for i := 2; i < len(cmd); i++ {
		switch strings.ToUpper(cmd[i]) {
		case "ALPHA":
			o.alpha = true
		case "LIMIT":
			o.limit = true
			i += 2
		case "BY":
			if i+1 < len(cmd) {
				pattern, _, _ := strings.Cut(cmd[i+1], "\x00")
				if strings.Contains(pattern, "*") {
					o.byPattern = true
				} else {
					o.dontSort = true
				}
			}
			i++
		case "GET":
			i++
		case "STORE":
			if i+1 < len(cmd) {
				o.store = cmd[i+1]
			}
			i++
		}
	}
	return o
}

// errSortScores is SORT's reply to weights that are not doubles.
const errSortScores = "-ERR One or more scores can't be converted into double\r\n"

// sortCompare is for SORT and SORT_RO.
//
//   - Redis's SORT_RO, like its SORT, leaves a sorted set in its skiplist
//     encoding; raftis's SORT_RO is a read and changes nothing, so after
//     one the comparer runs a SORT that changes nothing else on raftis.
//   - Redis reads strtod's errno without clearing it, so after a command
//     that left it at ERANGE (a ZADD of a subnormal score, a SORT of an
//     out-of-range weight) its next numeric SORT fails whatever the
//     weights. When only Redis failed so, its errno is cleared (ZADD ... XX
//     on a missing key parses a score with errno reset, and changes
//     nothing) and the SORT is run there again.
//   - The order of a set's members, and of a sorted set's members read for
//     sorting, is Redis's hash table order: where the result keeps it
//     (BY nosort on a set without STORE; ALPHA, which may find elements
//     equal as C strings or weights equal or missing), the replies (or the
//     stored lists) are compared as multisets, or, cut by LIMIT, by size.
func sortCompare(p *pair, cmd []string, want, got []byte) string {
	if string(want) == errSortScores && !bytes.Equal(want, got) {
		if _, err := p.redis.do("ZADD", "__errno_reset__", "XX", "0", "m"); err != nil {
			return err.Error()
		}
		again, err := p.redis.do(cmd...)
		if err != nil {
			return err.Error()
		}
		want = again
	}
	o := parseSortOpts(cmd)
	unspecified := false
	// Redis reached the key (its options parsed).
	sorted := want[0] != '-' || string(want) == errSortScores
	if sorted && len(cmd) > 1 {
		typ, err := p.redis.do("TYPE", cmd[1])
		if err != nil {
			return err.Error()
		}
		if string(typ) == "+zset\r\n" && strings.EqualFold(cmd[0], "sort_ro") {
			// Redis's SORT_RO moves a sorted set to the skiplist
			// encoding; raftis's, a read, leaves it: a SORT that
			// returns nothing does it there too.
			if _, err := p.raftis.do("SORT", cmd[1], "BY", "nosort", "LIMIT", "0", "0"); err != nil {
				return err.Error()
			}
		}
		switch string(typ) {
		case "+set\r\n":
			unspecified = (o.dontSort && o.store == "") || (!o.dontSort && o.alpha)
		case "+zset\r\n":
			unspecified = !o.dontSort && o.alpha
		}
	}
	if o.store == "" || want[0] == '-' {
		return sortedListCompare(want, got, unspecified, o.limit)
	}
	if why := exactCompare(want, got); why != "" {
		return why
	}
	w, err := p.redis.do("LRANGE", o.store, "0", "-1")
	if err != nil {
		return err.Error()
	}
	g, err := p.raftis.do("LRANGE", o.store, "0", "-1")
	if err != nil {
		return err.Error()
	}
	if why := sortedListCompare(w, g, unspecified, o.limit); why != "" {
		return "stored list: " + why
	}
	if unspecified {
		// The lists agree as multisets only: drop them, so that later
		// commands see the same data on both servers.
		for _, s := range []*side{p.redis, p.raftis} {
			if _, err := s.do("DEL", o.store); err != nil {
				return err.Error()
			}
		}
	}
	return ""
}

// sortedListCompare compares two sorted results: exactly, or when their
// order is unspecified as multisets (by size when LIMIT chose a part).
func sortedListCompare(want, got []byte, unspecified, limit bool) string {
	if !unspecified {
		return exactCompare(want, got)
	}
	w, okw := bulkArray(want)
	g, okg := bulkArray(got)
	switch {
	case !okw || !okg:
		return exactCompare(want, got)
	case limit:
		if len(w) != len(g) {
			return fmt.Sprintf("%d elements, Redis %d", len(g), len(w))
		}
		return ""
	}
	return compareSets(w, g, false)
}

// objectCompare is for OBJECT. raftis's idle time counts from the last
// write (its reads change nothing), Redis's from the last access: after
// reads, Redis's is smaller. So IDLETIME replies agree when raftis's is
// not smaller than Redis's (a second of clock skew allowed). Redis's
// shared integers (0..9999) are one object for every key that holds them,
// touched by any of them and not by SET: their idle time says nothing
// about the key. Everything else compares exactly.
func objectCompare(p *pair, cmd []string, want, got []byte) string {
	if len(cmd) < 2 || !strings.EqualFold(cmd[1], "idletime") {
		return exactCompare(want, got)
	}
	w, okw := intReply(want)
	g, okg := intReply(got)
	if !okw || !okg {
		return exactCompare(want, got)
	}
	if g >= w-1 || len(cmd) != 3 {
		return ""
	}
	if refs, err := p.redis.do("OBJECT", "REFCOUNT", cmd[2]); err == nil && string(refs) == ":2147483647\r\n" {
		return ""
	}
	return fmt.Sprintf("raftis idle %d s, less than Redis's %d", g, w)
}

// dumpScratch is the key dumpCompare restores into; generators never use
// it and dumpCompare deletes it.
const dumpScratch = "__dump_check__"

// dumpCompare is for DUMP: each side's payload must RESTORE on the other
// server into the value both sides hold (the same replies to reads), with
// the same OBJECT ENCODING on both.
func dumpCompare(p *pair, cmd []string, want, got []byte) string {
	w, errw := resp.Parse(want)
	g, errg := resp.Parse(got)
	if errw != nil || errg != nil || w.Kind != resp.BulkString || g.Kind != resp.BulkString || w.Null || g.Null || len(cmd) != 2 {
		return exactCompare(want, got)
	}
	for _, restore := range []struct {
		s       *side
		payload string
	}{{p.raftis, w.Str}, {p.redis, g.Str}} {
		reply, err := restore.s.do("RESTORE", dumpScratch, "0", restore.payload, "REPLACE")
		if err != nil {
			return err.Error()
		}
		if string(reply) != "+OK\r\n" {
			return fmt.Sprintf("%s could not RESTORE the other's payload: %s", restore.s.name, quoteReply(reply, 100))
		}
	}
	defer func() {
		_, _ = p.redis.do("DEL", dumpScratch)
		_, _ = p.raftis.do("DEL", dumpScratch)
	}()
	key := cmd[1]
	views := map[string]string{}
	for _, v := range []struct {
		name string
		s    *side
		key  string
	}{{"Redis's value", p.redis, key}, {"raftis's value", p.raftis, key},
		{"Redis's restore of raftis's payload", p.redis, dumpScratch}, {"raftis's restore of Redis's payload", p.raftis, dumpScratch}} {
		view, err := valueView(v.s, v.key)
		if err != nil {
			return err.Error()
		}
		views[v.name] = view
	}
	base := views["Redis's value"]
	for name, view := range views {
		if view != base {
			return fmt.Sprintf("%s: %s, Redis's value %s", name, quoteReply([]byte(view), 200), quoteReply([]byte(base), 200))
		}
	}
	we, err := p.redis.do("OBJECT", "ENCODING", dumpScratch)
	if err != nil {
		return err.Error()
	}
	ge, err := p.raftis.do("OBJECT", "ENCODING", dumpScratch)
	if err != nil {
		return err.Error()
	}
	if !bytes.Equal(we, ge) {
		return fmt.Sprintf("restored encodings: raftis %s, Redis %s", quoteReply(ge, 40), quoteReply(we, 40))
	}
	return ""
}

// valueCompare is for a "view" command (TYPE key): beyond the type, the
// whole value must be the same, read in an order the encodings do not
// change.
func valueCompare(p *pair, cmd []string, want, got []byte) string {
	if why := exactCompare(want, got); why != "" || len(cmd) != 2 {
		return why
	}
	w, err := valueView(p.redis, cmd[1])
	if err != nil {
		return err.Error()
	}
	g, err := valueView(p.raftis, cmd[1])
	if err != nil {
		return err.Error()
	}
	if w != g {
		return fmt.Sprintf("values differ: raftis %s, Redis %s", quoteReply([]byte(g), 200), quoteReply([]byte(w), 200))
	}
	return ""
}

// valueView reads key's whole value: its type and its contents, with the
// elements of hashes and sets sorted.
func valueView(s *side, key string) (string, error) {
	typ, err := s.do("TYPE", key)
	if err != nil {
		return "", err
	}
	var read []string
	sorted, pairs := false, false
	switch string(typ) {
	case "+string\r\n":
		read = []string{"GET", key}
	case "+list\r\n":
		read = []string{"LRANGE", key, "0", "-1"}
	case "+hash\r\n":
		read, sorted, pairs = []string{"HGETALL", key}, true, true
	case "+set\r\n":
		read, sorted = []string{"SMEMBERS", key}, true
	case "+zset\r\n":
		read = []string{"ZRANGE", key, "0", "-1", "WITHSCORES"}
	default:
		return string(typ), nil
	}
	reply, err := s.do(read...)
	if err != nil {
		return "", err
	}
	if !sorted {
		return string(typ) + string(reply), nil
	}
	items, ok := bulkArray(reply)
	if !ok {
		return string(typ) + string(reply), nil
	}
	step := 1
	if pairs {
		step = 2
	}
	var groups []string
	for i := 0; i+step <= len(items); i += step {
		groups = append(groups, strconv.Quote(strings.Join(items[i:i+step], "\x00")))
	}
	slices.Sort(groups)
	return string(typ) + strings.Join(groups, ","), nil
}

// RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ n]:
// payloads of every type, in raftis's encodings and in Redis's compact
// ones, and broken ones whose handling both servers agree on.
func genRestore(r *rand.Rand, keys []string) []string {
	payload := pickOne(r, restorePayloads...)
	if chance(r, 2, 3) {
		payload = pickOne(r, validPayloads...)
	}
	cmd := []string{"RESTORE", randKey(r, keys), pickOne(r, "0", "0", "0", "0", "3600000", "-1", "abc", "9223372036854775807"), payload}
	var opts [][]string
	if chance(r, 3, 4) {
		opts = append(opts, []string{kw(r, "REPLACE")})
	}
	if chance(r, 1, 8) {
		opts = append(opts, []string{kw(r, "ABSTTL")})
		if chance(r, 1, 2) {
			cmd[2] = pickOne(r, "1", strconv.FormatInt(far*1000, 10))
		}
	}
	if chance(r, 1, 6) {
		opts = append(opts, []string{kw(r, "IDLETIME"), pickOne(r, "0", "100", "1000000", "-1", "x")})
	}
	if chance(r, 1, 8) {
		opts = append(opts, []string{kw(r, "FREQ"), pickOne(r, "0", "255", "256", "-1", "x")})
	}
	if chance(r, 1, 20) {
		opts = append(opts, []string{pickOne(r, "IDLETIME", "FREQ", "FOO")})
	}
	r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	for _, o := range opts {
		cmd = append(cmd, o...)
	}
	return cmd
}

// restorePayloads are RESTORE's payloads, validPayloads those that
// restore: see genRestore.
var validPayloads []string

var restorePayloads = func() []string {
	var out []string
	seal := func(body []byte, version uint16) string {
		b := binary.LittleEndian.AppendUint16(bytes.Clone(body), version)
		return string(binary.LittleEndian.AppendUint64(b, rdb.Checksum(b)))
	}
	add := func(rec *rdb.Record) {
		p, err := rdb.EncodeDump(rec)
		if err != nil {
			panic(err)
		}
		out = append(out, string(p))
		validPayloads = append(validPayloads, string(p))
		body := p[:len(p)-10]
		// Cut short: what is cut is read from the footer, as Redis does.
		out = append(out, seal(body[:len(body)-1], 10), seal(body[:len(body)/2], 10))
		wrong := bytes.Clone(p)
		wrong[len(wrong)-1] ^= 0x40
		out = append(out, string(wrong), seal(body, 11), seal(body, 9))
	}
	bs := func(items ...string) [][]byte {
		out := make([][]byte, len(items))
		for i, s := range items {
			out[i] = []byte(s)
		}
		return out
	}
	add(&rdb.Record{Type: rdb.TypeString, String: []byte("restored")})
	add(&rdb.Record{Type: rdb.TypeString, String: []byte("7")})
	add(&rdb.Record{Type: rdb.TypeString, String: []byte("-2147483649")})
	add(&rdb.Record{Type: rdb.TypeString, String: []byte(strings.Repeat("long!", 20))})
	add(&rdb.Record{Type: rdb.TypeString, String: []byte("\x00\xff\r\n")})
	add(&rdb.Record{Type: rdb.TypeList, List: bs("3", "1", "2", "a", "", "\x00")})
	add(&rdb.Record{Type: rdb.TypeHash, Hash: []rdb.HashField{{Field: []byte("f"), Value: []byte("1")}, {Field: []byte("n"), Value: []byte("x")}}})
	var big []rdb.HashField
	for i := range 600 {
		big = append(big, rdb.HashField{Field: []byte("f" + strconv.Itoa(i)), Value: []byte(strconv.Itoa(i))})
	}
	add(&rdb.Record{Type: rdb.TypeHash, Hash: big})
	add(&rdb.Record{Type: rdb.TypeSet, Set: bs("3", "-1", "20")})
	add(&rdb.Record{Type: rdb.TypeSet, Set: bs("a", "1", "", "\x00")})
	var bigSet [][]byte
	for i := range 600 {
		bigSet = append(bigSet, []byte(strconv.Itoa(i)))
	}
	add(&rdb.Record{Type: rdb.TypeSet, Set: bigSet})
	add(&rdb.Record{Type: rdb.TypeZSet, ZSet: []rdb.ZMember{{Member: []byte("a"), Score: 1}, {Member: []byte("b"), Score: -2.5}, {Member: []byte("1"), Score: math.Inf(1)}}})
	var bigZSet []rdb.ZMember
	for i := range 200 {
		bigZSet = append(bigZSet, rdb.ZMember{Member: []byte("m" + strconv.Itoa(i)), Score: float64(i % 7)})
	}
	add(&rdb.Record{Type: rdb.TypeZSet, ZSet: bigZSet})
	// Bodies of redis-server 7.0.15 DUMPs, in its compact encodings.
	for _, h := range []string{
		"101c1c00000006008166020101816702f290eefe048168028373747204ff",                                             // hash, listpack
		"120102c32d4048174800000007008161020101dffb02f270110104f4ffffff7f200301ff0940094000037f099e78e01400011fff", // list, quicklist of an LZF listpack
		"00c13930",   // int16 string
		"00c1393000", // the same with a byte after the value
		"00c0fb",     // int8 string
		"00c31040a008616263646566676861e08c07016768",                         // LZF string
		"0b0e0200000003000000fbff01002c01",                                   // set, intset
		"02030161c0010162",                                                   // set, hash table
		"111d1d0000000600816302842d696e6605816102010181620283322e3504ff",     // sorted set, listpack
		"0502c3094046016d6de03900016d6d00000000000000400161000000000000f03f", // sorted set, skiplist (ZSET_2)
	} {
		body, err := hex.DecodeString(h)
		if err != nil {
			panic(err)
		}
		out = append(out, seal(body, 10))
		validPayloads = append(validPayloads, seal(body, 10))
	}
	out = append(out, "", "short", seal([]byte{1, 0}, 10), seal([]byte{2, 0}, 10), seal([]byte{8, 1, 'x'}, 10),
		seal([]byte{2, 2, 1, 'a', 1, 'a'}, 10), seal(nil, 10))
	return out
}()
