package diff

import (
	"math/rand/v2"
	"strconv"
)

// The list family, blocking commands included. A blocking command on keys
// that are all empty makes Redis wait for its timeout, so generated
// timeouts are either invalid (an error, no wait) or a few milliseconds,
// and these commands are rare.
func init() {
	register("lists",
		cmdGen{name: "lpush", weight: 4, gen: func(r *rand.Rand, keys []string) []string {
			return genPush("LPUSH", r, keys)
		}},
		cmdGen{name: "rpush", weight: 4, gen: func(r *rand.Rand, keys []string) []string {
			return genPush("RPUSH", r, keys)
		}},
		cmdGen{name: "lpushx", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return genPush("LPUSHX", r, keys)
		}},
		cmdGen{name: "rpushx", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return genPush("RPUSHX", r, keys)
		}},
		cmdGen{name: "lpop", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return genPop("LPOP", r, keys)
		}},
		cmdGen{name: "rpop", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return genPop("RPOP", r, keys)
		}},
		cmdGen{name: "llen", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"LLEN", randKey(r, keys)}
		}},
		cmdGen{name: "lrange", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"LRANGE", randKey(r, keys), randListIndex(r), randListIndex(r)}
		}},
		cmdGen{name: "lindex", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"LINDEX", randKey(r, keys), randListIndex(r)}
		}},
		cmdGen{name: "lset", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"LSET", randKey(r, keys), randListIndex(r), randListElement(r)}
		}},
		cmdGen{name: "linsert", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			where := kw(r, pickOne(r, "BEFORE", "AFTER"))
			if chance(r, 1, 10) {
				where = pickOne(r, "MIDDLE", "", "BEFORE ", "AFTERS")
			}
			return []string{"LINSERT", randKey(r, keys), where, randListElement(r), randListElement(r)}
		}},
		cmdGen{name: "lrem", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"LREM", randKey(r, keys), randListCount(r, true), randListElement(r)}
		}},
		cmdGen{name: "ltrim", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"LTRIM", randKey(r, keys), randListIndex(r), randListIndex(r)}
		}},
		cmdGen{name: "lpos", weight: 2, gen: genLPos},
		cmdGen{name: "lmove", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"LMOVE", randKey(r, keys), randKey(r, keys), randDirection(r), randDirection(r)}
		}},
		cmdGen{name: "rpoplpush", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"RPOPLPUSH", randKey(r, keys), randKey(r, keys)}
		}},
		cmdGen{name: "lmpop", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"LMPOP"}, genMPopArgs(r, keys)...)
		}},
		cmdGen{name: "blpop", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return append(append([]string{"BLPOP"}, randKeys(r, keys, 1, 3)...), randTimeout(r))
		}},
		cmdGen{name: "brpop", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return append(append([]string{"BRPOP"}, randKeys(r, keys, 1, 3)...), randTimeout(r))
		}},
		cmdGen{name: "blmove", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"BLMOVE", randKey(r, keys), randKey(r, keys), randDirection(r), randDirection(r), randTimeout(r)}
		}},
		cmdGen{name: "brpoplpush", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"BRPOPLPUSH", randKey(r, keys), randKey(r, keys), randTimeout(r)}
		}},
		cmdGen{name: "blmpop", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"BLMPOP", randTimeout(r)}, genMPopArgs(r, keys)...)
		}},
	)
	knownCases = append(knownCases, listKnownCases...)
}

// randListElement is an element to push or look for: mostly a few short
// values, so that LREM, LPOS and LINSERT find them, sometimes any value.
func randListElement(r *rand.Rand) string {
	if chance(r, 4, 5) {
		return pickOne(r, "a", "b", "c", "1", "2", "-1", "", "hello")
	}
	return randValue(r)
}

// LPUSH-like key element [element ...]
func genPush(name string, r *rand.Rand, keys []string) []string {
	cmd := []string{name, randKey(r, keys)}
	n := 1 + r.IntN(4)
	if chance(r, 1, 10) {
		n = 20 + r.IntN(200)
	}
	for range n {
		cmd = append(cmd, randListElement(r))
	}
	return cmd
}

// LPOP/RPOP key [count], sometimes with one argument too many.
func genPop(name string, r *rand.Rand, keys []string) []string {
	cmd := []string{name, randKey(r, keys)}
	if chance(r, 1, 2) {
		cmd = append(cmd, randListCount(r, false))
	}
	if chance(r, 1, 30) {
		cmd = append(cmd, "1")
	}
	return cmd
}

// randListIndex is a list index: mostly near the ends of short lists,
// sometimes huge or not an integer.
func randListIndex(r *rand.Rand) string {
	if chance(r, 4, 5) {
		return strconv.Itoa(r.IntN(31) - 15)
	}
	return pickOne(r, "100", "-100", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "-9223372036854775809", "abc", "1.5", "", "+1", " 1", "0x1")
}

// randListCount is a count (LPOP, LREM): small, huge, negative (valid for
// LREM) or not an integer.
func randListCount(r *rand.Rand, signed bool) string {
	if chance(r, 3, 4) {
		n := r.IntN(6)
		if signed {
			n = r.IntN(9) - 4
		}
		return strconv.Itoa(n)
	}
	return pickOne(r, "-1", "100", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "abc", "1.5", "")
}

// randDirection is LEFT or RIGHT, in any case, or now and then a bad word.
func randDirection(r *rand.Rand) string {
	if chance(r, 1, 15) {
		return pickOne(r, "UP", "", "LEFTX", "0")
	}
	return kw(r, pickOne(r, "LEFT", "RIGHT"))
}

// randTimeout is a blocking timeout: a few milliseconds (Redis really
// waits when every key is empty) or one Redis refuses. Never one that
// rounds to 0, which would make Redis wait for ever.
func randTimeout(r *rand.Rand) string {
	if chance(r, 1, 2) {
		return pickOne(r, "0.001", "0.002", "0.005", "1e-3", ".001", "0x1p-9", "1e-400")
	}
	return pickOne(r, "-1", "-0.01", "abc", "", "nan", "inf", "-inf", "1e400", "1e16", "9223372036854775807", " 1", "1 ")
}

// LPOS key element [RANK r] [COUNT n] [MAXLEN m], options in any order,
// with bad values and missing ones.
func genLPos(r *rand.Rand, keys []string) []string {
	cmd := []string{"LPOS", randKey(r, keys), randListElement(r)}
	var opts [][]string
	if chance(r, 1, 2) {
		opts = append(opts, []string{kw(r, "RANK"), pickOne(r, "1", "2", "3", "-1", "-2", "0", "-9223372036854775808", "9223372036854775807", "abc")})
	}
	if chance(r, 1, 2) {
		opts = append(opts, []string{kw(r, "COUNT"), pickOne(r, "0", "1", "2", "5", "-1", "abc")})
	}
	if chance(r, 1, 3) {
		opts = append(opts, []string{kw(r, "MAXLEN"), pickOne(r, "0", "1", "2", "10", "-1", "abc")})
	}
	if chance(r, 1, 15) {
		opts = append(opts, []string{pickOne(r, "RANK", "COUNT", "MAXLEN", "FOO")})
	}
	r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	for _, o := range opts {
		cmd = append(cmd, o...)
	}
	return cmd
}

// The arguments of LMPOP (and of BLMPOP after its timeout): numkeys key
// [key ...] LEFT|RIGHT [COUNT count], with a wrong numkeys, a bad
// direction or a bad or repeated COUNT now and then.
func genMPopArgs(r *rand.Rand, keys []string) []string {
	ks := randKeys(r, keys, 1, 3)
	numkeys := strconv.Itoa(len(ks))
	if chance(r, 1, 8) {
		numkeys = pickOne(r, "0", "-1", "abc", strconv.Itoa(len(ks)+1), strconv.Itoa(len(ks)+5), "9223372036854775807")
	}
	args := append([]string{numkeys}, ks...)
	args = append(args, randDirection(r))
	switch r.IntN(6) {
	case 0, 1:
		args = append(args, kw(r, "COUNT"), strconv.Itoa(1+r.IntN(10)))
	case 2:
		args = append(args, kw(r, "COUNT"), pickOne(r, "0", "-1", "abc", "9223372036854775807", ""))
	case 3:
		args = append(args, pickOne(r, "COUNT", "FOO"))
		if chance(r, 1, 2) {
			args = append(args, kw(r, "COUNT"), "1")
		}
	}
	return args
}

var listKnownCases = []knownCase{
	{name: "list pushes pops and ranges", cmds: cmds(
		"RPUSH l a b c d e", "LPUSH l z", "LPUSHX missing a", "RPUSHX missing a", "LPUSHX l y x", "LRANGE l 0 -1",
		"LPOP l", "RPOP l", "LPOP l 2", "RPOP l 0", "LPOP l -1", "LPOP l abc", "LPOP l 1 2", "LPOP missing", "LPOP missing 0",
		"RPOP missing 5", "LRANGE l -9223372036854775808 9223372036854775807", "LRANGE l 9223372036854775807 -9223372036854775808",
		"LRANGE l 1 0", "LRANGE l -2 -1", "LRANGE l 0 9223372036854775807", "LRANGE missing 0 -1", "LRANGE l a 1",
		"LINDEX l 0", "LINDEX l -1", "LINDEX l 100", "LINDEX l -9223372036854775808", "LINDEX l abc", "LINDEX missing abc",
		"LLEN l", "LLEN missing", "RPOP l 9223372036854775807", "EXISTS l",
		`RPUSH bin "" "\x00\xff" "a\r\nb"`, "LRANGE bin 0 -1", `LPOS bin "a\r\nb"`, `LREM bin 0 ""`, "LLEN bin",
	)},
	{name: "list edits", cmds: cmds(
		"RPUSH l a b a c a", "LSET l 1 B", "LSET l -1 A", "LSET l 5 x", "LSET l -6 x", "LSET l x x", "LSET missing 0 x", "LSET missing x x",
		"LINSERT l BEFORE B x", "LINSERT l after A y", "LINSERT l BEFORE nothere z", "LINSERT l MIDDLE a b", "LINSERT missing BEFORE a b",
		"LRANGE l 0 -1", "LREM l 1 a", "LREM l -1 a", "LREM l 0 zz", "LREM l x a", "LREM missing 0 a", "LRANGE l 0 -1",
		"LREM l -9223372036854775808 y", "LTRIM l 1 -2", "LRANGE l 0 -1", "LTRIM l 5 1", "EXISTS l", "LTRIM missing 0 1", "LTRIM l a 1",
		"RPUSH t 1 2 3", "LTRIM t -100 100", "LRANGE t 0 -1", "LTRIM t 9223372036854775807 -9223372036854775808", "EXISTS t",
	)},
	{name: "lpos", cmds: cmds(
		"RPUSH l a b c 1 2 3 c c", "LPOS l c", "LPOS l c RANK 2", "LPOS l c RANK -1", "LPOS l c RANK -3", "LPOS l c RANK 4",
		"LPOS l c COUNT 0", "LPOS l c COUNT 2 RANK -1", "LPOS l c MAXLEN 2", "LPOS l c COUNT 0 MAXLEN 7",
		"LPOS l c RANK -9223372036854775808", "LPOS l c RANK -9223372036854775808 COUNT 1", "LPOS l c RANK 9223372036854775807",
		"LPOS l c RANK 0", "LPOS l c RANK x", "LPOS l c COUNT -1", "LPOS l c MAXLEN -1", "LPOS l c RANK", "LPOS l c FOO 1",
		"LPOS l c RANK 1 RANK 0", "LPOS missing c", "LPOS missing c COUNT 1", "LPOS missing c RANK 0",
	)},
	{name: "lmove and lmpop", cmds: cmds(
		"RPUSH a 1 2 3", "LMOVE a b LEFT RIGHT", "LMOVE a b RIGHT LEFT", "RPOPLPUSH a b", "EXISTS a", "RPOPLPUSH a b",
		"RPOPLPUSH b b", "LMOVE b b LEFT RIGHT", "LRANGE b 0 -1", "SET s v", "LMOVE b s LEFT RIGHT", "LMOVE s b LEFT RIGHT",
		"LMOVE missing s LEFT RIGHT", "LMOVE b c UP RIGHT", "LMPOP 2 missing b LEFT", "LMPOP 2 missing b RIGHT COUNT 10",
		"LMPOP 1 b LEFT", "RPUSH c 1 2", "LMPOP 2 c s LEFT", "LMPOP 2 s c LEFT", "LMPOP 0 c LEFT", "LMPOP -1 c LEFT", "LMPOP x c LEFT",
		"LMPOP 2 c LEFT", "LMPOP 9223372036854775807 c LEFT", "LMPOP 1 c UP", "LMPOP 1 c LEFT COUNT", "LMPOP 1 c LEFT COUNT 0",
		"LMPOP 1 c LEFT COUNT 1 COUNT 1", "LMPOP 1 c LEFT COUNT 9223372036854775807",
	)},
	// Every blocking command here finds a list, or fails before it would
	// wait: a timeout of 0 on empty keys would make Redis wait for ever.
	{name: "blocking commands on lists", cmds: cmds(
		"RPUSH a 1 2 3 4 5 6 7 8", "RPUSH b x", "SET s v", "BLPOP missing a b 0", "BRPOP missing a 0.01", "BRPOP b s 0", "BLPOP s a 0",
		"BLPOP a -1", "BLPOP a abc", "BLPOP a inf", "BLPOP a 1e16", "BLPOP a 9223372036854775", "BLMOVE a b LEFT RIGHT 0",
		"BLMOVE a s LEFT RIGHT 0", "BLMOVE s b LEFT RIGHT 0", "BLMOVE a b UP RIGHT -1", "BLMOVE a b LEFT RIGHT -1",
		"BRPOPLPUSH a b 0", "BRPOPLPUSH b s 0", "BRPOPLPUSH missing b abc", "BLMPOP 0 2 missing b LEFT COUNT 5",
		"BLMPOP -1 0 b LEFT", "BLMPOP x 1 b UP", "BLMPOP x 1 b LEFT COUNT 0", "BLMPOP x 1 b LEFT", "BLMPOP 0 1 a RIGHT",
		"LRANGE a 0 -1", "LRANGE b 0 -1",
	)},
	// Redis waits for these timeouts (a few ms), raftis's state machine
	// answers at once (see blockingNullCompare).
	{name: "blocking commands on empty keys", cmds: cmds(
		"BLPOP missing 0.001", "BRPOP missing other 0.001", "BLMPOP 0.001 2 missing other LEFT",
		"BLMOVE missing dst LEFT RIGHT 0.001", "BRPOPLPUSH missing dst 0.001", "EXISTS dst missing",
	)},
}
