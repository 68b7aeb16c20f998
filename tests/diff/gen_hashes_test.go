package diff

import (
	"fmt"
	"math/rand/v2"
	"strconv"
)

// The hash family.
//
// What can be compared, and how:
//
//   - Field order: Redis replies listpack hashes in insertion order and
//     hash tables in its dict's order; raftis has its own order for large
//     hashes. HKEYS and HVALS are compared as multisets, HGETALL as a set
//     of field-value pairs (hgetallCompare), HSCAN over a full iteration
//     as a set of pairs (hscanCompare).
//   - HRANDFIELD is a read and random on both: hrandfieldCompare checks it
//     by property. Same shape and length; each server's picks are fields
//     of its own hash, with their values (HMGET on that server); distinct
//     for a positive count.
//
// HRANDFIELD's negative counts stay small, as SRANDMEMBER's do (see the
// set family).
func init() {
	register("hashes",
		cmdGen{name: "hset", weight: 10, gen: func(r *rand.Rand, keys []string) []string {
			return genHSet("HSET", r, keys)
		}},
		cmdGen{name: "hmset", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return genHSet("HMSET", r, keys)
		}},
		cmdGen{name: "hsetnx", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			cmd := []string{"HSETNX", randKey(r, keys), hashField(r), hashValue(r)}
			if chance(r, 1, 20) { // one argument short or one too many: arity errors
				if chance(r, 1, 2) {
					return cmd[:3]
				}
				return append(cmd, "extra")
			}
			return cmd
		}},
		cmdGen{name: "hget", weight: 5, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"HGET", randKey(r, keys), hashField(r)}
		}},
		cmdGen{name: "hmget", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"HMGET", randKey(r, keys)}, hashFields(r, 1, 6)...)
		}},
		cmdGen{name: "hdel", weight: 4, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"HDEL", randKey(r, keys)}, hashFields(r, 1, 5)...)
		}},
		cmdGen{name: "hlen", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"HLEN", randKey(r, keys)}
		}},
		cmdGen{name: "hstrlen", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"HSTRLEN", randKey(r, keys), hashField(r)}
		}},
		cmdGen{name: "hexists", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"HEXISTS", randKey(r, keys), hashField(r)}
		}},
		cmdGen{name: "hkeys", weight: 2, cmp: unorderedCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"HKEYS", randKey(r, keys)}
		}},
		cmdGen{name: "hvals", weight: 2, cmp: unorderedCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"HVALS", randKey(r, keys)}
		}},
		cmdGen{name: "hgetall", weight: 3, cmp: hgetallCompare, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"HGETALL", randKey(r, keys)}
		}},
		cmdGen{name: "hincrby", weight: 4, gen: genHIncrBy},
		cmdGen{name: "hincrbyfloat", weight: 3, gen: genHIncrByFloat},
		cmdGen{name: "hrandfield", queries: true, weight: 3, cmp: hrandfieldCompare, gen: genHRandField},
		cmdGen{name: "hscan", queries: true, weight: 2, cmp: hscanCompare, gen: genHScan},
	)
	knownCases = append(knownCases,
		knownCase{name: "hash errors and edge cases", cmds: cmds(
			"HSET h a 1 b 2", "HSET h a", "HSET h", "HMSET h a", "HSETNX h a 5", "HSETNX h c 3", "HGETALL h",
			"SET str v", "HSET str a 1", "HGET str a", "HLEN str", "HINCRBY str a 1", "HRANDFIELD str",
			"HINCRBY h a abc", "HINCRBY h a 9223372036854775807", "HINCRBY h b -9223372036854775808",
			"HSET h big 9223372036854775807", "HINCRBY h big 1", "HSET h f 1.5", "HINCRBY h f 1",
			"HINCRBYFLOAT h f 1e308", "HINCRBYFLOAT h f 1e308", "HINCRBYFLOAT h f inf", "HINCRBYFLOAT h f nan",
			"HINCRBYFLOAT h g 3.0e3", "HINCRBYFLOAT h g -3000", "HGET h g", "HINCRBYFLOAT h s abc",
			"HSET h s ' 1'", "HINCRBYFLOAT h s 1", "HINCRBY h s 1",
			"HRANDFIELD h 0", "HRANDFIELD h -9223372036854775808", "HRANDFIELD h 1 WITHVALUES x",
			"HRANDFIELD h 1 WITHSCORES", "HRANDFIELD nokey 3", "HRANDFIELD nokey", "HRANDFIELD h abc",
			"HSTRLEN h nofield", "HSTRLEN h a", "HDEL h a b c f g s big", "EXISTS h", "HGETALL h",
			"HSCAN h 0", "HSCAN h abc", "HSCAN str 0", "HSCAN nokey 0 COUNT 0",
		)},
	)
}

// hashField is a field: a few short names that hashes share (so HSETNX,
// HDEL and HGET find them), integers, binary and empty, and long ones that
// push a hash past hash-max-listpack-value (64).
func hashField(r *rand.Rand) string {
	switch r.IntN(10) {
	case 0, 1, 2, 3:
		return pickOne(r, "a", "b", "c", "f1", "f2", "name", "x y", "ünï")
	case 4, 5:
		return strconv.Itoa(r.IntN(30) - 5)
	case 6:
		return pickOne(r, "", "01", "-0", "1.5", "9223372036854775808")
	case 7:
		return randBinary(r, 1+r.IntN(6))
	case 8:
		return randText(r, 60+r.IntN(20))
	}
	return "field:" + strconv.Itoa(r.IntN(2000))
}

func hashFields(r *rand.Rand, lo, hi int) []string {
	out := make([]string, lo+r.IntN(hi-lo+1))
	for i := range out {
		out[i] = hashField(r)
	}
	return out
}

// hashValue is a value: integers and floats HINCRBY and HINCRBYFLOAT may
// work on or refuse, strings, binary, and long strings.
func hashValue(r *rand.Rand) string {
	switch r.IntN(8) {
	case 0, 1:
		return strconv.Itoa(r.IntN(2000) - 1000)
	case 2:
		return pickOne(r, "1.5", "-0.25", "3e2", "9223372036854775807", "-9223372036854775808", "abc", "", " 1", "0x10")
	case 3:
		return randBinary(r, r.IntN(10))
	case 4:
		return randText(r, 50+r.IntN(40))
	}
	return pickOne(r, "v", "value", "hello world", "ünï")
}

// HSET / HMSET key field value [field value ...]; now and then enough
// pairs to pass hash-max-listpack-entries (512), or an odd argument count.
func genHSet(name string, r *rand.Rand, keys []string) []string {
	cmd := []string{name, randKey(r, keys)}
	switch {
	case chance(r, 1, 30):
		for range 300 + r.IntN(400) {
			cmd = append(cmd, "field:"+strconv.Itoa(r.IntN(2000)), strconv.Itoa(r.IntN(100)))
		}
	case chance(r, 1, 20):
		cmd = append(cmd, hashFields(r, 0, 3)...) // odd or zero pairs: an error
	default:
		for range 1 + r.IntN(5) {
			cmd = append(cmd, hashField(r), hashValue(r))
		}
	}
	return cmd
}

// HINCRBY key field increment: small increments, the int64 edges, and
// increments that are not integers.
func genHIncrBy(r *rand.Rand, keys []string) []string {
	inc := strconv.Itoa(r.IntN(200) - 100)
	if chance(r, 1, 6) {
		inc = pickOne(r, "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.5", "abc", "", " 1")
	}
	return []string{"HINCRBY", randKey(r, keys), hashField(r), inc}
}

// HINCRBYFLOAT key field increment: decimal, exponent and special forms.
func genHIncrByFloat(r *rand.Rand, keys []string) []string {
	inc := pickOne(r, "1", "-1", "0.1", "2.5", "-3.75", "1e3", "1.0e-5", "10")
	if chance(r, 1, 6) {
		inc = pickOne(r, "inf", "-inf", "nan", "1e400", "abc", "", " 1", "0x10", "1e308")
	}
	return []string{"HINCRBYFLOAT", randKey(r, keys), hashField(r), inc}
}

// HRANDFIELD key [count [WITHVALUES]]: small counts of either sign, large
// positive ones, invalid ones.
func genHRandField(r *rand.Rand, keys []string) []string {
	cmd := []string{"HRANDFIELD", randKey(r, keys)}
	switch r.IntN(7) {
	case 0:
		return cmd
	case 1, 2:
		cmd = append(cmd, strconv.Itoa(r.IntN(41)-20))
	case 3:
		cmd = append(cmd, strconv.Itoa(r.IntN(1600)-800))
	case 4:
		cmd = append(cmd, pickOne(r, "9223372036854775807", "-9223372036854775808", "abc", "", "1.5", "0"))
	case 5:
		return append(cmd, "1", pickOne(r, "WITHSCORES", "FOO", "withvalues", "WITHVALUES"), "x")[:3+r.IntN(3)]
	default:
		cmd = append(cmd, strconv.Itoa(r.IntN(21)-10))
	}
	if chance(r, 1, 2) {
		cmd = append(cmd, kw(r, "WITHVALUES"))
	}
	return cmd
}

// HSCAN key cursor [MATCH pattern] [COUNT count].
func genHScan(r *rand.Rand, keys []string) []string {
	cursor := "0"
	if chance(r, 1, 10) {
		cursor = pickOne(r, "abc", "1.5", "", "-abc", "18446744073709551616")
	}
	cmd := []string{"HSCAN", randKey(r, keys), cursor}
	if chance(r, 1, 2) {
		cmd = append(cmd, kw(r, "MATCH"), pickOne(r, "*", "f*", "*1", "[a-c]", "?", "field:1*", "["))
	}
	if chance(r, 1, 2) {
		count := strconv.Itoa(1 + r.IntN(20))
		if chance(r, 1, 5) {
			count = pickOne(r, "0", "-1", "abc", "9223372036854775808")
		}
		cmd = append(cmd, kw(r, "COUNT"), count)
	}
	if chance(r, 1, 20) {
		cmd = append(cmd, pickOne(r, "MATCH", "COUNT", "FOO"))
	}
	return cmd
}

// pairsOf joins a flat field, value, field, value… list into one string
// per pair, so pairs compare as units.
func pairsOf(items []string) ([]string, bool) {
	if len(items)%2 != 0 {
		return nil, false
	}
	out := make([]string, 0, len(items)/2)
	for i := 0; i < len(items); i += 2 {
		out = append(out, strconv.Quote(items[i])+" => "+strconv.Quote(items[i+1]))
	}
	return out, true
}

// hgetallCompare: the same field-value pairs, in any order.
func hgetallCompare(_ *pair, _ []string, want, got []byte) string {
	w, okw := bulkArray(want)
	g, okg := bulkArray(got)
	if !okw || !okg {
		return exactCompare(want, got)
	}
	wp, okw := pairsOf(w)
	gp, okg := pairsOf(g)
	if !okw || !okg {
		return fmt.Sprintf("odd HGETALL reply: Redis %d items, raftis %d", len(w), len(g))
	}
	return compareSets(wp, gp, false)
}

// hscanCompare: a full iteration on each server, with its own cursors,
// compared as sets of pairs.
func hscanCompare(p *pair, cmd []string, want, got []byte) string {
	w, wErr := scanAllAt(p.redis, cmd, want, 2)
	g, gErr := scanAllAt(p.raftis, cmd, got, 2)
	if wErr != nil || gErr != nil {
		if why := exactCompare(want, got); why != "" || wErr == nil || gErr == nil {
			return firstOf(why, errText("Redis", wErr), errText("raftis", gErr))
		}
		return ""
	}
	wp, okw := pairsOf(w)
	gp, okg := pairsOf(g)
	if !okw || !okg {
		return fmt.Sprintf("odd HSCAN iteration: Redis %d items, raftis %d", len(w), len(g))
	}
	if why := compareSets(wp, gp, true); why != "" {
		return "full HSCAN iteration: " + why
	}
	return ""
}

// hrandfieldCompare: see init.
func hrandfieldCompare(p *pair, cmd []string, want, got []byte) string {
	return randPicksCompare("HGET", p, cmd, want, got)
}
