package diff

import "math/rand/v2"

// The string family.
func init() {
	register("strings",
		cmdGen{name: "get", weight: 8, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"GET", randKey(r, keys)}
		}},
		cmdGen{name: "set", weight: 10, gen: genSet},
		cmdGen{name: "setnx", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"SETNX", randKey(r, keys), randValue(r)}
		}},
		cmdGen{name: "setex", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"SETEX", randKey(r, keys), relSeconds(r), randValue(r)}
		}},
		cmdGen{name: "psetex", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"PSETEX", randKey(r, keys), relMillis(r), randValue(r)}
		}},
		cmdGen{name: "getset", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"GETSET", randKey(r, keys), randValue(r)}
		}},
		cmdGen{name: "getdel", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"GETDEL", randKey(r, keys)}
		}},
		cmdGen{name: "getex", weight: 3, gen: genGetex},
		cmdGen{name: "mget", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return append([]string{"MGET"}, randKeys(r, keys, 1, 5)...)
		}},
		cmdGen{name: "mset", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return genMSet("MSET", r, keys)
		}},
		cmdGen{name: "msetnx", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return genMSet("MSETNX", r, keys)
		}},
		cmdGen{name: "incr", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"INCR", randKey(r, keys)}
		}},
		cmdGen{name: "decr", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"DECR", randKey(r, keys)}
		}},
		cmdGen{name: "incrby", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"INCRBY", randKey(r, keys), randInt(r)}
		}},
		cmdGen{name: "decrby", weight: 2, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"DECRBY", randKey(r, keys), randInt(r)}
		}},
		cmdGen{name: "incrbyfloat", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"INCRBYFLOAT", randKey(r, keys), randFloat(r)}
		}},
		cmdGen{name: "append", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"APPEND", randKey(r, keys), randValue(r)}
		}},
		cmdGen{name: "strlen", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"STRLEN", randKey(r, keys)}
		}},
		cmdGen{name: "getrange", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"GETRANGE", randKey(r, keys), randIndex(r), randIndex(r)}
		}},
		cmdGen{name: "substr", weight: 1, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"SUBSTR", randKey(r, keys), randIndex(r), randIndex(r)}
		}},
		cmdGen{name: "setrange", weight: 3, gen: func(r *rand.Rand, keys []string) []string {
			return []string{"SETRANGE", randKey(r, keys), randOffset(r), randValue(r)}
		}},
	)
}

// SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL], options
// in any order; a quarter of the time a random pile of option words
// (conflicts, repeats, missing or bad values, unknown words).
func genSet(r *rand.Rand, keys []string) []string {
	cmd := []string{"SET", randKey(r, keys), randValue(r)}
	var opts [][]string
	if chance(r, 3, 4) {
		if chance(r, 1, 3) {
			opts = append(opts, []string{kw(r, pickOne(r, "NX", "XX"))})
		}
		if chance(r, 1, 3) {
			opts = append(opts, []string{kw(r, "GET")})
		}
		if chance(r, 1, 2) {
			opts = append(opts, expiryOption(r, false, "KEEPTTL"))
		}
	} else {
		for range 1 + r.IntN(4) {
			opts = append(opts, junkSetOption(r, "KEEPTTL"))
		}
	}
	r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	for _, o := range opts {
		cmd = append(cmd, o...)
	}
	return cmd
}

// expiryOption is one valid-looking expiry option of SET/GETEX: EX, PX,
// EXAT, PXAT or the given flag (KEEPTTL, PERSIST). The value may still be
// invalid (see relSeconds & co.). past: absolute deadlines may be past.
func expiryOption(r *rand.Rand, past bool, flag string) []string {
	switch r.IntN(5) {
	case 0:
		return []string{kw(r, "EX"), relSeconds(r)}
	case 1:
		return []string{kw(r, "PX"), relMillis(r)}
	case 2:
		return []string{kw(r, "EXAT"), absSeconds(r, past)}
	case 3:
		return []string{kw(r, "PXAT"), absMillis(r, past)}
	default:
		return []string{kw(r, flag)}
	}
}

// junkSetOption is any option word of SET (or GETEX, with flag PERSIST),
// including ones that do not belong.
func junkSetOption(r *rand.Rand, flag string) []string {
	switch r.IntN(9) {
	case 0:
		return []string{kw(r, "NX")}
	case 1:
		return []string{kw(r, "XX")}
	case 2:
		return []string{kw(r, "GET")}
	case 3:
		return []string{kw(r, pickOne(r, "KEEPTTL", "PERSIST"))}
	case 4:
		return []string{kw(r, pickOne(r, "EX", "PX", "EXAT", "PXAT"))} // value missing (or the next word)
	case 5:
		return []string{pickOne(r, "FOO", "EXX", "", "NXX", "-EX", "ex ")}
	default:
		return expiryOption(r, false, flag)
	}
}

// GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]
func genGetex(r *rand.Rand, keys []string) []string {
	cmd := []string{"GETEX", randKey(r, keys)}
	switch {
	case chance(r, 1, 4):
	case chance(r, 3, 4):
		// Past EXAT/PXAT: GETEX deletes the key at once.
		cmd = append(cmd, expiryOption(r, true, "PERSIST")...)
	default:
		for range 1 + r.IntN(3) {
			cmd = append(cmd, junkSetOption(r, "PERSIST")...)
		}
	}
	return cmd
}

// MSET/MSETNX key value [key value ...]; sometimes a dangling key.
func genMSet(name string, r *rand.Rand, keys []string) []string {
	cmd := []string{name}
	for range 1 + r.IntN(4) {
		cmd = append(cmd, randKey(r, keys), randValue(r))
	}
	if chance(r, 1, 10) {
		cmd = append(cmd, randKey(r, keys))
	}
	return cmd
}
