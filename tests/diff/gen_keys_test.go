package diff

import (
	"math/rand/v2"
	"strconv"
)

// The generic (keyspace) family: keys, databases, expiries.
func init() {
	register("keys",
		cmdGen{name: "del", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"DEL"}, randKeys(r, keys, 1, 3)...)
		}},
		cmdGen{name: "unlink", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"UNLINK"}, randKeys(r, keys, 1, 3)...)
		}},
		cmdGen{name: "exists", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"EXISTS"}, randKeys(r, keys, 1, 4)...)
		}},
		cmdGen{name: "touch", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"TOUCH"}, randKeys(r, keys, 1, 4)...)
		}},
		cmdGen{name: "type", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"TYPE", randKey(r, keys)}
		}},
		// KEYS: order unspecified.
		cmdGen{name: "keys", weight: 2, cmp: unorderedCompare, gen: func(r *rand.Rand, _ []string) []string {
			return []string{"KEYS", randPattern(r)}
		}},
		// SCAN: compared over a full iteration, as sets.
		cmdGen{name: "scan", queries: true, weight: 2, cmp: scanCompare, gen: genScan},
		// RANDOMKEY: any existing key.
		cmdGen{name: "randomkey", queries: true, weight: 1, cmp: randomKeyCompare, gen: func(*rand.Rand, []string) []string {
			return []string{"RANDOMKEY"}
		}},
		cmdGen{name: "dbsize", weight: 2, gen: func(*rand.Rand, []string) []string {
			return []string{"DBSIZE"}
		}},
		cmdGen{name: "rename", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"RENAME", randKey(r, keys), randKey(r, keys)}
		}},
		cmdGen{name: "renamenx", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"RENAMENX", randKey(r, keys), randKey(r, keys)}
		}},
		cmdGen{name: "move", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"MOVE", randKey(r, keys), randDB(r)}
		}},
		cmdGen{name: "copy", weight: 2, gen: genCopy},
		cmdGen{name: "expire", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return genExpire("EXPIRE", relSeconds(r), r, keys)
		}},
		cmdGen{name: "pexpire", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return genExpire("PEXPIRE", relMillis(r), r, keys)
		}},
		cmdGen{name: "expireat", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return genExpire("EXPIREAT", absSeconds(r, true), r, keys)
		}},
		cmdGen{name: "pexpireat", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return genExpire("PEXPIREAT", absMillis(r, true), r, keys)
		}},
		// TTL & co.: relative expiries make them depend on the moment.
		cmdGen{name: "ttl", weight: 2, cmp: toleranceCompare(1), timing: true, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"TTL", randKey(r, keys)}
		}},
		cmdGen{name: "pttl", weight: 2, cmp: toleranceCompare(1000), timing: true, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"PTTL", randKey(r, keys)}
		}},
		cmdGen{name: "expiretime", weight: 2, cmp: toleranceCompare(1), timing: true, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"EXPIRETIME", randKey(r, keys)}
		}},
		cmdGen{name: "pexpiretime", weight: 2, cmp: toleranceCompare(1000), timing: true, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"PEXPIRETIME", randKey(r, keys)}
		}},
		cmdGen{name: "persist", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"PERSIST", randKey(r, keys)}
		}},
		cmdGen{name: "flushdb", weight: 1, gen: genFlushDB},
		cmdGen{name: "swapdb", weight: 1, gen: func(r *rand.Rand, _ []string) []string {
			if chance(r, 3, 4) {
				return []string{"SWAPDB", strconv.Itoa(r.IntN(numDBs)), strconv.Itoa(r.IntN(numDBs))}
			}
			return []string{"SWAPDB", randDB(r), randDB(r)}
		}},
	)
}

// SCAN 0 [MATCH pattern] [COUNT n] [TYPE type], options in any order and
// sometimes invalid; the cursor is 0 except for invalid cursors (any other
// cursor's reply is unspecified).
func genScan(r *rand.Rand, _ []string) []string {
	cursor := "0"
	if chance(r, 1, 10) {
		cursor = pickOne(r, "abc", "1.5", "", " 0", "-abc", "18446744073709551616", "0x0")
	}
	cmd := []string{"SCAN", cursor}
	var opts [][]string
	if chance(r, 1, 2) {
		opts = append(opts, []string{kw(r, "MATCH"), randPattern(r)})
	}
	if chance(r, 1, 3) {
		count := strconv.Itoa(1 + r.IntN(20))
		if chance(r, 1, 5) {
			count = pickOne(r, "0", "-1", "abc", "", "9223372036854775807", "9223372036854775808")
		}
		opts = append(opts, []string{kw(r, "COUNT"), count})
	}
	if chance(r, 1, 4) {
		opts = append(opts, []string{kw(r, "TYPE"), pickOne(r, "string", "STRING", "none", "list", "hash", "set", "zset", "stream", "foo", "")})
	}
	if chance(r, 1, 15) {
		opts = append(opts, []string{pickOne(r, "MATCH", "COUNT", "TYPE", "FOO", "NOVALUES")}) // value missing, or unknown
	}
	r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	for _, o := range opts {
		cmd = append(cmd, o...)
	}
	return cmd
}

// COPY source destination [DB index] [REPLACE]
func genCopy(r *rand.Rand, keys []string) []string {
	cmd := []string{"COPY", randKey(r, keys), randKey(r, keys)}
	var opts [][]string
	if chance(r, 1, 2) {
		opts = append(opts, []string{kw(r, "DB"), randDB(r)})
	}
	if chance(r, 1, 3) {
		opts = append(opts, []string{kw(r, "REPLACE")})
	}
	if chance(r, 1, 15) {
		opts = append(opts, []string{pickOne(r, "DB", "REPLACE", "FOO", "NX")})
	}
	r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	for _, o := range opts {
		cmd = append(cmd, o...)
	}
	return cmd
}

// EXPIRE-like key time [NX|XX|GT|LT], flags sometimes conflicting or
// unknown.
func genExpire(name, when string, r *rand.Rand, keys []string) []string {
	cmd := []string{name, randKey(r, keys), when}
	switch n := r.IntN(10); {
	case n < 4:
	case n < 8:
		cmd = append(cmd, kw(r, pickOne(r, "NX", "XX", "GT", "LT")))
	default:
		for range 1 + r.IntN(2) {
			cmd = append(cmd, kw(r, pickOne(r, "NX", "XX", "GT", "LT", "FOO", "")))
		}
	}
	return cmd
}

// FLUSHDB [ASYNC|SYNC]
func genFlushDB(r *rand.Rand, _ []string) []string {
	switch r.IntN(4) {
	case 0:
		return []string{"FLUSHDB", kw(r, "ASYNC")}
	case 1:
		return []string{"FLUSHDB", kw(r, "SYNC")}
	case 2:
		if chance(r, 1, 2) {
			return []string{"FLUSHDB", pickOne(r, "FOO", "ASYNC SYNC", "")}
		}
	}
	return []string{"FLUSHDB"}
}
