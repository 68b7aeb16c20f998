package fsm

import "math"

// Error texts used only by the sorted-set commands.
const (
	errZNaN           = "ERR resulting score is not a number (NaN)"
	errZXXNX          = "ERR XX and NX options at the same time are not compatible"
	errZGTLTNX        = "ERR GT, LT, and/or NX options at the same time are not compatible"
	errZIncrPair      = "ERR INCR option supports a single increment-element pair"
	errZMinMaxFloat   = "ERR min or max is not a float"
	errZMinMaxLex     = "ERR min or max not valid string range item"
	errZMustBePos     = "ERR value is out of range, must be positive"
	errZLimitRank     = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	errZScoresLex     = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
	errZWeight        = "ERR weight value is not a float"
	errZLimitNegative = "ERR LIMIT can't be negative"
	errZNumKeys       = "ERR numkeys should be greater than 0"
	errZCount         = "ERR count should be greater than 0"
)

// The specs follow COMMAND INFO and COMMAND DOCS of Redis 7.0. Commands
// whose keys follow a count (ZUNION, ZMPOP, ...) have movable keys; of
// those, the STORE forms report the destination as a fixed key.
var zsetCommands = []*Command{
	{Spec: Spec{Name: "zadd", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Add one or more members to a sorted set, or update its score if it already exists"}, Run: cmdZAdd},
	{Spec: Spec{Name: "zincrby", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Increment the score of a member in a sorted set"}, Run: cmdZIncrBy},
	{Spec: Spec{Name: "zrem", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Remove one or more members from a sorted set"}, Run: cmdZRem},
	{Spec: Spec{Name: "zcard", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Get the number of members in a sorted set"}, Run: cmdZCard},
	{Spec: Spec{Name: "zcount", Arity: 4, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Count the members in a sorted set with scores within the given values"}, Run: cmdZCount},
	{Spec: Spec{Name: "zlexcount", Arity: 4, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Count the number of members in a sorted set between a given lexicographical range"}, Run: cmdZLexCount},
	{Spec: Spec{Name: "zscore", Arity: 3, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Get the score associated with the given member in a sorted set"}, Run: cmdZScore},
	{Spec: Spec{Name: "zmscore", Arity: -3, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Get the score associated with the given members in a sorted set"}, Run: cmdZMScore},
	{Spec: Spec{Name: "zrank", Arity: 3, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Determine the index of a member in a sorted set"}, Run: cmdZRank},
	{Spec: Spec{Name: "zrevrank", Arity: 3, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Determine the index of a member in a sorted set, with scores ordered from high to low"}, Run: cmdZRevRank},
	{Spec: Spec{Name: "zrange", Arity: -4, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Return a range of members in a sorted set"}, Run: cmdZRange},
	{Spec: Spec{Name: "zrangestore", Arity: -5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, KeyStep: 1, Group: "sorted-set", Summary: "Store a range of members from sorted set into another key"}, Run: cmdZRangeStore},
	{Spec: Spec{Name: "zrangebyscore", Arity: -4, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Return a range of members in a sorted set, by score"}, Run: cmdZRangeByScore},
	{Spec: Spec{Name: "zrevrangebyscore", Arity: -4, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Return a range of members in a sorted set, by score, with scores ordered from high to low"}, Run: cmdZRevRangeByScore},
	{Spec: Spec{Name: "zrangebylex", Arity: -4, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Return a range of members in a sorted set, by lexicographical range"}, Run: cmdZRangeByLex},
	{Spec: Spec{Name: "zrevrangebylex", Arity: -4, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings."}, Run: cmdZRevRangeByLex},
	{Spec: Spec{Name: "zrevrange", Arity: -4, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Return a range of members in a sorted set, by index, with scores ordered from high to low"}, Run: cmdZRevRange},
	{Spec: Spec{Name: "zremrangebyrank", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Remove all members in a sorted set within the given indexes"}, Run: cmdZRemRangeByRank},
	{Spec: Spec{Name: "zremrangebyscore", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Remove all members in a sorted set within the given scores"}, Run: cmdZRemRangeByScore},
	{Spec: Spec{Name: "zremrangebylex", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Remove all members in a sorted set between the given lexicographical range"}, Run: cmdZRemRangeByLex},
	{Spec: Spec{Name: "zpopmin", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Remove and return members with the lowest scores in a sorted set"}, Run: cmdZPopMin},
	{Spec: Spec{Name: "zpopmax", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Remove and return members with the highest scores in a sorted set"}, Run: cmdZPopMax},
	{Spec: Spec{Name: "zmpop", Arity: -4, Flags: FlagWrite | FlagMovableKeys, NumKeysAt: 1, Group: "sorted-set", Summary: "Remove and return members with scores in a sorted set"}, Run: cmdZMPop},
	{Spec: Spec{Name: "bzpopmin", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking | FlagFast, FirstKey: 1, LastKey: -2, KeyStep: 1, Group: "sorted-set", Summary: "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available"}, Run: cmdBZPopMin, block: parseBZPop},
	{Spec: Spec{Name: "bzpopmax", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking | FlagFast, FirstKey: 1, LastKey: -2, KeyStep: 1, Group: "sorted-set", Summary: "Remove and return the member with the highest score from one or more sorted sets, or block until one is available"}, Run: cmdBZPopMax, block: parseBZPop},
	{Spec: Spec{Name: "bzmpop", Arity: -5, Flags: FlagWrite | FlagBlocking | FlagMovableKeys, NumKeysAt: 2, Group: "sorted-set", Summary: "Remove and return members with scores in a sorted set or block until one is available"}, Run: cmdBZMPop, block: parseBZMPop},
	{Spec: Spec{Name: "zrandmember", Arity: -2, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Get one or multiple random elements from a sorted set"}, Run: cmdZRandMember},
	{Spec: Spec{Name: "zunion", Arity: -3, Flags: FlagReadonly | FlagMovableKeys, NumKeysAt: 1, Group: "sorted-set", Summary: "Add multiple sorted sets"}, Run: cmdZUnion},
	{Spec: Spec{Name: "zinter", Arity: -3, Flags: FlagReadonly | FlagMovableKeys, NumKeysAt: 1, Group: "sorted-set", Summary: "Intersect multiple sorted sets"}, Run: cmdZInter},
	{Spec: Spec{Name: "zdiff", Arity: -3, Flags: FlagReadonly | FlagMovableKeys, NumKeysAt: 1, Group: "sorted-set", Summary: "Subtract multiple sorted sets"}, Run: cmdZDiff},
	{Spec: Spec{Name: "zunionstore", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagMovableKeys, FirstKey: 1, LastKey: 1, KeyStep: 1, NumKeysAt: 2, Group: "sorted-set", Summary: "Add multiple sorted sets and store the resulting sorted set in a new key"}, Run: cmdZUnionStore},
	{Spec: Spec{Name: "zinterstore", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagMovableKeys, FirstKey: 1, LastKey: 1, KeyStep: 1, NumKeysAt: 2, Group: "sorted-set", Summary: "Intersect multiple sorted sets and store the resulting sorted set in a new key"}, Run: cmdZInterStore},
	{Spec: Spec{Name: "zdiffstore", Arity: -4, Flags: FlagWrite | FlagDenyOOM | FlagMovableKeys, FirstKey: 1, LastKey: 1, KeyStep: 1, NumKeysAt: 2, Group: "sorted-set", Summary: "Subtract multiple sorted sets and store the resulting sorted set in a new key"}, Run: cmdZDiffStore},
	{Spec: Spec{Name: "zintercard", Arity: -3, Flags: FlagReadonly | FlagMovableKeys, NumKeysAt: 1, Group: "sorted-set", Summary: "Intersect multiple sorted sets and return the cardinality of the result"}, Run: cmdZInterCard},
	{Spec: Spec{Name: "zscan", Arity: -3, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "sorted-set", Summary: "Incrementally iterate sorted sets elements and associated scores"}, Run: cmdZScan},
}

// zaddOptions are ZADD's flags (ZINCRBY is ZADD with INCR).
type zaddOptions struct {
	nx, xx, gt, lt, ch, incr bool
}

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
func cmdZAdd(c *Ctx, args [][]byte) { c.zadd(args, false) }

// ZINCRBY key increment member
func cmdZIncrBy(c *Ctx, args [][]byte) { c.zadd(args, true) }

// zadd runs ZADD and ZINCRBY as Redis's zaddGenericCommand does. ZINCRBY
// goes through the same option parsing, so "ZINCRBY key nx member" is a
// syntax error, as in Redis.
func (c *Ctx) zadd(args [][]byte, incr bool) {
	o, pairs, ok := c.parseZAddOptions(args, incr)
	if !ok {
		return
	}
	scores := make([]float64, len(pairs)/2)
	for j := range scores {
		if scores[j], ok = parseDouble(pairs[2*j]); !ok {
			c.Error(ErrNotFloat)
			return
		}
	}
	create := newZSet
	if o.xx {
		create = nil
	}
	z, found, ok := writable(c, args[1], create)
	if !ok {
		return
	}
	var added, updated, processed int64
	var last float64
	for j := range scores {
		if !found {
			break // XX on a missing key: nothing to do
		}
		member, score := pairs[2*j+1], scores[j]
		cur, exists := z.score(member)
		switch {
		case exists && o.nx, !exists && o.xx:
			continue
		case exists:
			if o.incr {
				if score += cur; math.IsNaN(score) {
					c.Error(errZNaN)
					return
				}
			}
			if (o.lt && score >= cur) || (o.gt && score <= cur) {
				continue
			}
			if score != cur {
				z.setScore(member, cur, score)
				updated++
			}
		default:
			z.insert(c.lim, member, score)
			added++
		}
		processed++
		last = score
	}
	if added+updated == 0 {
		c.unchanged(z) // no member added or moved: no write a WATCH sees
	}
	switch {
	case o.incr && processed > 0:
		c.Score(last)
	case o.incr:
		c.Null()
	case o.ch:
		c.Int(added + updated)
	default:
		c.Int(added)
	}
}

// parseZAddOptions reads the options before the first score and checks
// them in Redis's order. It returns the score/member pairs.
func (c *Ctx) parseZAddOptions(args [][]byte, incr bool) (zaddOptions, [][]byte, bool) {
	o := zaddOptions{incr: incr}
	i := 2
options:
	for ; i < len(args); i++ {
		switch {
		case equalFold(args[i], "nx"):
			o.nx = true
		case equalFold(args[i], "xx"):
			o.xx = true
		case equalFold(args[i], "ch"):
			o.ch = true
		case equalFold(args[i], "incr"):
			o.incr = true
		case equalFold(args[i], "gt"):
			o.gt = true
		case equalFold(args[i], "lt"):
			o.lt = true
		default:
			break options
		}
	}
	pairs := args[i:]
	switch {
	case len(pairs) == 0 || len(pairs)%2 != 0:
		c.Error(ErrSyntax)
	case o.nx && o.xx:
		c.Error(errZXXNX)
	case (o.gt && o.nx) || (o.lt && o.nx) || (o.gt && o.lt):
		c.Error(errZGTLTNX)
	case o.incr && len(pairs) > 2:
		c.Error(errZIncrPair)
	default:
		return o, pairs, true
	}
	return o, nil, false
}

// ZREM key member [member ...]
func cmdZRem(c *Ctx, args [][]byte) {
	z, found, ok := writable[*zsetValue](c, args[1], nil)
	if !ok {
		return
	}
	var n int64
	for _, member := range args[2:] {
		if !found || z.n == 0 {
			break
		}
		if z.remove(member) {
			n++
		}
	}
	if found && n == 0 {
		c.unchanged(z)
	}
	c.Int(n)
}

// ZCARD key
func cmdZCard(c *Ctx, args [][]byte) {
	if z, found, ok := lookupAs[*zsetValue](c, args[1]); ok {
		c.Int(int64(lengthOr0(z, found)))
	}
}

// ZSCORE key member
func cmdZScore(c *Ctx, args [][]byte) {
	z, found, ok := lookupAs[*zsetValue](c, args[1])
	if !ok {
		return
	}
	if found {
		if s, exists := z.score(args[2]); exists {
			c.Score(s)
			return
		}
	}
	c.Null()
}

// ZMSCORE key member [member ...]
func cmdZMScore(c *Ctx, args [][]byte) {
	z, found, ok := lookupAs[*zsetValue](c, args[1])
	if !ok {
		return
	}
	c.Array(len(args) - 2)
	for _, member := range args[2:] {
		if found {
			if s, exists := z.score(member); exists {
				c.Score(s)
				continue
			}
		}
		c.Null()
	}
}

// ZRANK key member
func cmdZRank(c *Ctx, args [][]byte) { c.zrank(args, false) }

// ZREVRANK key member
func cmdZRevRank(c *Ctx, args [][]byte) { c.zrank(args, true) }

func (c *Ctx) zrank(args [][]byte, reverse bool) {
	z, found, ok := lookupAs[*zsetValue](c, args[1])
	if !ok {
		return
	}
	if found {
		if r, exists := z.rank(args[2]); exists {
			if reverse {
				r = z.n - 1 - r
			}
			c.Int(int64(r))
			return
		}
	}
	c.Null()
}

// ZRANDMEMBER key [count [WITHSCORES]]
func cmdZRandMember(c *Ctx, args [][]byte) {
	if len(args) == 2 {
		z, found, ok := lookupAs[*zsetValue](c, args[1])
		switch {
		case !ok:
		case !found:
			c.Null()
		default:
			m, _ := z.at(c.randN(z.n))
			c.Bulk(m)
		}
		return
	}
	count, withScores, ok := c.randPickArgs(args, "withscores")
	if !ok {
		return
	}
	z, found, ok := lookupAs[*zsetValue](c, args[1])
	if !ok {
		return
	}
	if !found {
		c.Array(0)
		return
	}
	at := z.indexer()
	per := 1
	if withScores {
		per = 2
	}
	// When the count covers the whole set, Redis returns it from the
	// highest score down: index i is rank n-1-i.
	c.randomPicks(z.n, count, per, func(i int) {
		m, s := at(z.n - 1 - i)
		c.Bulk(m)
		if withScores {
			c.Score(s)
		}
	})
}

// indexer returns a function giving the member and score of a rank, O(1)
// or O(log n) per call.
func (z *zsetValue) indexer() func(i int) ([]byte, float64) {
	if !z.packed() {
		return func(i int) ([]byte, float64) {
			it, _ := z.byScore.At(i)
			return bytesView(it.member), it.score
		}
	}
	type entry struct {
		member []byte
		score  float64
	}
	entries := make([]entry, 0, z.n)
	for m, s := range z.all() {
		entries = append(entries, entry{m, s})
	}
	return func(i int) ([]byte, float64) { return entries[i].member, entries[i].score }
}

// ZSCAN key cursor [MATCH pattern] [COUNT count]
func cmdZScan(c *Ctx, args [][]byte) {
	z, cursor, opts, ok := collectionScan[*zsetValue](c, args)
	if !ok {
		return
	}
	var out [][]byte
	var next uint64
	if z.packed() {
		// A packed sorted set is small: all of it in one call, as Redis
		// does, with the scores as its listpack holds them.
		for m, s := range z.all() {
			if opts.match(stringView(m)) {
				out = append(out, m, appendD2String(nil, s))
			}
		}
	} else {
		next = scanPage(opts.count, func(yield func(uint64) bool) {
			for it := range z.byMember.AscendFrom(zmItem{hash: cursor}) {
				if !yield(it.hash) {
					return
				}
				if opts.match(it.member) {
					out = append(out, bytesView(it.member), appendScore(nil, it.score))
				}
			}
		})
	}
	c.scanReply(next, out)
}
