package diff

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/raftis/raftis/internal/resp"
)

// The set family.
//
// What can be compared, and how:
//
//   - Member order: Redis replies intsets in ascending order and hash
//     tables in its dict's order; raftis replies packed sets in insertion
//     order and large ones in hash order. So SMEMBERS, SINTER, SUNION and
//     SDIFF are compared as multisets (unorderedCompare), and SSCAN over a
//     full iteration, as a set (sscanCompare).
//   - SRANDMEMBER is a read and random on both: srandmemberCompare checks
//     it by property. Same shape and length; each server's picks are
//     members of its own set (SMISMEMBER on that server); distinct for a
//     positive count.
//   - SPOP is a random write: the two servers pop different members and
//     their data would part ways. spopCompare checks the replies by
//     property (same shape and length, distinct picks) and then brings
//     Redis in line with raftis: it adds back what Redis popped and raftis
//     did not, then removes from Redis what raftis popped and Redis did
//     not, which must all be members there (so raftis popped members that
//     existed). In that order the set never empties on the way, which
//     would delete the key and its deadline. After that both hold the
//     same data again, and every later command compares as before. This
//     comparer writes to Redis, unlike the others; it writes only the key
//     the SPOP named, and replays stay deterministic since it depends on
//     the replies alone. (Generating only SPOPs whose result is certain,
//     on single-member sets or with a count past the size, would leave
//     the common case untested.)
//
// Counts are bounded: SRANDMEMBER with a huge negative count makes both
// servers build a reply of that many members (Redis until it runs out of
// memory), so negative counts stay small but for -2^63, an error.
func init() {
	register("sets",
		cmdGen{name: "sadd", weight: 10, gen: genSAdd},
		cmdGen{name: "srem", weight: 5, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"SREM", randKey(r, keys)}, setMembers(r, 1, 6)...)
		}},
		cmdGen{name: "scard", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"SCARD", randKey(r, keys)}
		}},
		cmdGen{name: "sismember", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"SISMEMBER", randKey(r, keys), setMember(r)}
		}},
		cmdGen{name: "smismember", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"SMISMEMBER", randKey(r, keys)}, setMembers(r, 1, 5)...)
		}},
		cmdGen{name: "smembers", weight: 3, cmp: unorderedCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"SMEMBERS", randKey(r, keys)}
		}},
		cmdGen{name: "spop", queries: true, weight: 4, cmp: spopCompare, gen: genSPop},
		cmdGen{name: "srandmember", queries: true, weight: 3, cmp: srandmemberCompare, gen: genSRandMember},
		cmdGen{name: "smove", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"SMOVE", randKey(r, keys), randKey(r, keys), setMember(r)}
		}},
		cmdGen{name: "sinter", weight: 2, cmp: unorderedCompare, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"SINTER"}, randKeys(r, keys, 1, 4)...)
		}},
		cmdGen{name: "sunion", weight: 2, cmp: unorderedCompare, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"SUNION"}, randKeys(r, keys, 1, 4)...)
		}},
		cmdGen{name: "sdiff", weight: 2, cmp: unorderedCompare, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"SDIFF"}, randKeys(r, keys, 1, 4)...)
		}},
		cmdGen{name: "sintercard", weight: 2, gen: genSInterCard},
		cmdGen{name: "sinterstore", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"SINTERSTORE", randKey(r, keys)}, randKeys(r, keys, 1, 3)...)
		}},
		cmdGen{name: "sunionstore", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"SUNIONSTORE", randKey(r, keys)}, randKeys(r, keys, 1, 3)...)
		}},
		cmdGen{name: "sdiffstore", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"SDIFFSTORE", randKey(r, keys)}, randKeys(r, keys, 1, 3)...)
		}},
		cmdGen{name: "sscan", queries: true, weight: 2, cmp: sscanCompare, gen: genSScan},
	)
	// SPOP of one of two members keeps the key's deadline, whichever member
	// each server pops (four times: the servers' picks differ about half
	// of the time, which is when spopCompare has work to do).
	var spopDeadline []string
	for range 4 {
		spopDeadline = append(spopDeadline, "SADD s a b", "EXPIREAT s 4107834443", "SPOP s", "EXPIRETIME s", "SCARD s", "DEL s")
	}
	knownCases = append(knownCases,
		knownCase{name: "spop keeps the deadline", cmds: cmds(spopDeadline...)},
		knownCase{name: "set intsets in order", cmds: cmds(
			"SADD s 3 1 2 -7 9223372036854775807 -9223372036854775808", "SMEMBERS s", "SCARD s",
			"SADD t 2 3 4 01 +1", "SISMEMBER t 01", "SISMEMBER t 1", "SMISMEMBER t 2 02 01",
			"SADD u 5 3 4", "SINTER s u", "SDIFF s t", "SUNION u t", "SSCAN s 0 MATCH -*",
			"SPOP u 3", "EXISTS u", "SADD u 5 3 4", "SRANDMEMBER u 10", "SPOP u 9223372036854775807", "EXISTS u",
		)},
		knownCase{name: "set errors and edge cases", cmds: cmds(
			"SADD s a", "SET str v", "EXPIRE str 100000",
			"SPOP s 0", "SPOP s -1", "SPOP s abc", "SPOP nokey 3", "SPOP nokey", "SPOP s 1 2", "SPOP str -1", "SPOP str 0",
			"SRANDMEMBER nokey -5", "SRANDMEMBER s -3", "SRANDMEMBER s -9223372036854775808", "SRANDMEMBER str x", "SRANDMEMBER str 1",
			"SINTERCARD 0 s", "SINTERCARD abc s", "SINTERCARD 2 s", "SINTERCARD 1 s LIMIT -1", "SINTERCARD 1 s LIMIT",
			"SINTERCARD 1 s FOO 1", "SINTERCARD 1 s LIMIT 1 LIMIT 0", "SINTERCARD 2 nokey str", "SINTERCARD 2 nokey str LIMIT x",
			"SINTER nokey str", "SINTER str nokey", "SUNION nokey str", "SDIFF nokey str", "SDIFF s s", "SINTER s nokey",
			"SMOVE nokey str a", "SMOVE str s a", "SMOVE s str a", "SMOVE s s a", "SMOVE s s zz", "SMOVE s d a", "EXISTS s", "SMEMBERS d",
			"SSCAN d 0 TYPE set", "SSCAN d 0 COUNT 0", "SSCAN d abc", "SSCAN nokey abc", "SSCAN nokey 0", "SSCAN str 0",
			"SINTERSTORE str d", "TTL str", "TYPE str", "SDIFFSTORE str d d", "EXISTS str", "SUNIONSTORE str nokey", "EXISTS str",
			"SADD e 1", "SINTERSTORE e e nokey", "EXISTS e",
		)},
	)
}

// setMember is a member: small integers (intsets, and overlaps between
// sets), integers Redis does not take as such, strings, binary, empty,
// and long strings that push a set past the packed limits.
func setMember(r *rand.Rand) string {
	switch r.IntN(10) {
	case 0, 1, 2, 3:
		return strconv.Itoa(r.IntN(40) - 5)
	case 4, 5:
		return pickOne(r, "a", "b", "c", "foo", "bar", "x y", "ünï")
	case 6:
		return pickOne(r, "01", "-0", "+1", " 1", "1.5", "0x10", "1e3", "",
			"9223372036854775807", "-9223372036854775808", "9223372036854775808", "32768", "-2147483649")
	case 7:
		return randBinary(r, 1+r.IntN(8))
	case 8:
		return randText(r, 60+r.IntN(20))
	}
	return strconv.Itoa(r.IntN(100000))
}

func setMembers(r *rand.Rand, lo, hi int) []string {
	out := make([]string, lo+r.IntN(hi-lo+1))
	for i := range out {
		out[i] = setMember(r)
	}
	return out
}

// SADD key member [member ...]; now and then a batch of integers large
// enough to pass set-max-intset-entries (512) or the packed limit.
func genSAdd(r *rand.Rand, keys []string) []string {
	cmd := []string{"SADD", randKey(r, keys)}
	if chance(r, 1, 25) {
		for range 100 + r.IntN(600) {
			cmd = append(cmd, strconv.Itoa(r.IntN(3000)))
		}
		return cmd
	}
	return append(cmd, setMembers(r, 1, 8)...)
}

// SPOP key [count]: counts around the sizes the sets have, and invalid ones.
func genSPop(r *rand.Rand, keys []string) []string {
	cmd := []string{"SPOP", randKey(r, keys)}
	switch r.IntN(6) {
	case 0, 1:
		return cmd
	case 2, 3:
		return append(cmd, strconv.Itoa(r.IntN(12)))
	case 4:
		return append(cmd, strconv.Itoa(r.IntN(800)))
	}
	cmd = append(cmd, pickOne(r, "0", "-1", "abc", "", "1.5", "9223372036854775807", "9223372036854775808", "-9223372036854775808"))
	if chance(r, 1, 4) {
		cmd = append(cmd, "1") // one argument too many
	}
	return cmd
}

// SRANDMEMBER key [count]: small counts of either sign, large positive
// ones, and invalid ones (never a huge negative one: see init).
func genSRandMember(r *rand.Rand, keys []string) []string {
	cmd := []string{"SRANDMEMBER", randKey(r, keys)}
	switch r.IntN(6) {
	case 0:
		return cmd
	case 1, 2:
		return append(cmd, strconv.Itoa(r.IntN(41)-20))
	case 3:
		return append(cmd, strconv.Itoa(r.IntN(1600)-800))
	case 4:
		return append(cmd, pickOne(r, "9223372036854775807", "-9223372036854775808", "9223372036854775808", "abc", "", "1.5", "0"))
	}
	return append(cmd, "1", "2")
}

// SINTERCARD numkeys key [key ...] [LIMIT limit], with numkeys and LIMIT
// mistakes.
func genSInterCard(r *rand.Rand, keys []string) []string {
	ks := randKeys(r, keys, 1, 3)
	numKeys := strconv.Itoa(len(ks))
	if chance(r, 1, 8) {
		numKeys = pickOne(r, "0", "-1", "abc", "", strconv.Itoa(len(ks)+1), "9223372036854775807", "9223372036854775808")
	}
	cmd := append([]string{"SINTERCARD", numKeys}, ks...)
	switch r.IntN(6) {
	case 0, 1:
		cmd = append(cmd, kw(r, "LIMIT"), strconv.Itoa(r.IntN(6)))
	case 2:
		cmd = append(cmd, kw(r, "LIMIT"), pickOne(r, "-1", "abc", "", "9223372036854775807", "9223372036854775808"))
	case 3:
		cmd = append(cmd, pickOne(r, "LIMIT", "FOO"))
	}
	return cmd
}

// SSCAN key cursor [MATCH pattern] [COUNT count]: iterations start at 0,
// or with an invalid cursor; options as for SCAN, and a TYPE, which only
// SCAN takes.
func genSScan(r *rand.Rand, keys []string) []string {
	cursor := "0"
	if chance(r, 1, 10) {
		cursor = pickOne(r, "abc", "1.5", "", " 0", "-abc", "18446744073709551616", "0x0")
	}
	cmd := []string{"SSCAN", randKey(r, keys), cursor}
	var opts [][]string
	if chance(r, 1, 2) {
		opts = append(opts, []string{kw(r, "MATCH"), pickOne(r, "*", "1*", "*5", "[0-9]", "?", "f*", "\x00*", "[", "")})
	}
	if chance(r, 1, 2) {
		count := strconv.Itoa(1 + r.IntN(20))
		if chance(r, 1, 5) {
			count = pickOne(r, "0", "-1", "abc", "", "9223372036854775807", "9223372036854775808")
		}
		opts = append(opts, []string{kw(r, "COUNT"), count})
	}
	if chance(r, 1, 15) {
		opts = append(opts, []string{kw(r, "TYPE"), "set"})
	}
	if chance(r, 1, 15) {
		opts = append(opts, []string{pickOne(r, "MATCH", "COUNT", "FOO")})
	}
	r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	for _, o := range opts {
		cmd = append(cmd, o...)
	}
	return cmd
}

// sscanCompare is scanCompare for SSCAN: a full iteration on each server,
// with its own cursors, compared as sets.
func sscanCompare(p *pair, cmd []string, want, got []byte) string {
	wm, wErr := scanAllAt(p.redis, cmd, want, 2)
	gm, gErr := scanAllAt(p.raftis, cmd, got, 2)
	if wErr != nil || gErr != nil {
		if why := exactCompare(want, got); why != "" || wErr == nil || gErr == nil {
			return firstOf(why, errText("Redis", wErr), errText("raftis", gErr))
		}
		return ""
	}
	if why := compareSets(wm, gm, true); why != "" {
		return "full SSCAN iteration: " + why
	}
	return ""
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func errText(side string, err error) string {
	if err == nil {
		return ""
	}
	return side + ": " + err.Error()
}

// picks returns the members a SPOP or SRANDMEMBER reply holds: one for a
// bulk string, the items of an array. ok is false for other replies (nil,
// errors), which are compared exactly.
func picks(raw []byte) (members []string, kind resp.Kind, ok bool) {
	v, err := resp.Parse(raw)
	if err != nil || v.Null {
		return nil, 0, false
	}
	switch v.Kind {
	case resp.BulkString:
		return []string{v.Str}, v.Kind, true
	case resp.Array:
		members, ok = bulkStrings(v)
		return members, v.Kind, ok
	}
	return nil, 0, false
}

// pickShape checks what SPOP and SRANDMEMBER replies share: the same kind
// and number of members, distinct ones when distinct is set.
func pickShape(want, got []byte, distinct bool) (w, g []string, why string, ok bool) {
	w, wKind, okw := picks(want)
	g, gKind, okg := picks(got)
	if !okw || !okg || wKind != gKind {
		return nil, nil, exactCompare(want, got), false
	}
	if len(w) != len(g) {
		return nil, nil, fmt.Sprintf("Redis picked %d members, raftis %d", len(w), len(g)), false
	}
	if distinct && len(slices.Compact(slices.Sorted(slices.Values(g)))) != len(g) {
		return nil, nil, "raftis picked a member twice", false
	}
	return w, g, "", true
}

// srandmemberCompare: see init.
func srandmemberCompare(p *pair, cmd []string, want, got []byte) string {
	distinct := len(cmd) == 3 && !(len(cmd[2]) > 0 && cmd[2][0] == '-')
	w, g, why, ok := pickShape(want, got, distinct)
	if !ok {
		return why
	}
	for _, sm := range []struct {
		s       *side
		members []string
	}{{p.redis, w}, {p.raftis, g}} {
		if why := allMembers(sm.s, cmd[1], sm.members); why != "" {
			return why
		}
	}
	return ""
}

// allMembers checks with SMISMEMBER that each of members is in key's set.
func allMembers(s *side, key string, members []string) string {
	if len(members) == 0 {
		return ""
	}
	reply, err := s.do(append([]string{"SMISMEMBER", key}, members...)...)
	if err != nil {
		return err.Error()
	}
	v, err := resp.Parse(reply)
	if err != nil || v.Kind != resp.Array || len(v.Elems) != len(members) {
		return fmt.Sprintf("%s: SMISMEMBER replied %s", s.name, quoteReply(reply, 80))
	}
	for i, e := range v.Elems {
		if e.Kind != resp.Integer || e.Int != 1 {
			return fmt.Sprintf("%s picked %q, which SMISMEMBER says is not a member", s.name, members[i])
		}
	}
	return ""
}

// spopCompare: see init.
func spopCompare(p *pair, cmd []string, want, got []byte) string {
	w, g, why, ok := pickShape(want, got, true)
	if !ok {
		return why
	}
	onlyRaftis, onlyRedis := setMinus(g, w), setMinus(w, g)
	// Add back first: removing first could empty the set, and Redis
	// would delete the key with its deadline, which SADD cannot restore.
	if len(onlyRedis) > 0 {
		if _, err := p.redis.do(append([]string{"SADD", cmd[1]}, onlyRedis...)...); err != nil {
			return err.Error()
		}
	}
	if len(onlyRaftis) > 0 {
		reply, err := p.redis.do(append([]string{"SREM", cmd[1]}, onlyRaftis...)...)
		if err != nil {
			return err.Error()
		}
		if n, _ := intReply(reply); n != int64(len(onlyRaftis)) {
			return fmt.Sprintf("raftis popped %s, of which Redis held only %s", quoteCmd(onlyRaftis, 40), quoteReply(reply, 40))
		}
	}
	return ""
}

// setMinus is the members of a not in b.
func setMinus(a, b []string) []string {
	var out []string
	for _, m := range a {
		if !slices.Contains(b, m) {
			out = append(out, m)
		}
	}
	return out
}

// TestSetComparersShape checks the shape rules the SPOP and SRANDMEMBER
// comparers apply before they ask either server anything.
func TestSetComparersShape(t *testing.T) {
	arr := func(items ...string) []byte {
		b := []byte("*" + strconv.Itoa(len(items)) + "\r\n")
		for _, it := range items {
			b = append(b, "$"+strconv.Itoa(len(it))+"\r\n"+it+"\r\n"...)
		}
		return b
	}
	for _, tc := range []struct {
		name      string
		want, got []byte
		distinct  bool
		ok        bool // the shapes agree (the comparer goes on to check members)
		same      bool // or: the comparer accepts without asking
	}{
		{"same length", arr("a", "b"), arr("c", "d"), true, true, false},
		{"other length", arr("a", "b"), arr("a"), true, false, false},
		{"repeat allowed", arr("a", "a"), arr("b", "b"), false, true, false},
		{"repeat refused", arr("a", "b"), arr("b", "b"), true, false, false},
		{"bulk vs array", []byte("$1\r\na\r\n"), arr("a"), true, false, false},
		{"two bulks", []byte("$1\r\na\r\n"), []byte("$1\r\nb\r\n"), true, true, false},
		{"both nil", []byte("$-1\r\n"), []byte("$-1\r\n"), true, false, true},
		{"nil vs bulk", []byte("$-1\r\n"), []byte("$1\r\nb\r\n"), true, false, false},
		{"same error", []byte("-ERR x\r\n"), []byte("-ERR x\r\n"), true, false, true},
		{"other error", []byte("-ERR x\r\n"), []byte("-ERR y\r\n"), true, false, false},
	} {
		_, _, why, ok := pickShape(tc.want, tc.got, tc.distinct)
		if ok != tc.ok || (!ok && (why == "") != tc.same) {
			t.Errorf("%s: pickShape = %v, %q", tc.name, ok, why)
		}
	}
}
