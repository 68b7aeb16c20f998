package fsm

import "iter"

// ZRANGE and its relatives, ZCOUNT, ZLEXCOUNT and ZREMRANGEBY*, as Redis's
// zrangeGenericCommand and zremrangeGenericCommand parse and run them.

type zrangeKind int8

const (
	zrangeAuto zrangeKind = iota
	zrangeByRank
	zrangeByScore
	zrangeByLex
)

type zrangeDir int8

const (
	zdirAuto zrangeDir = iota
	zdirForward
	zdirReverse
)

// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
func cmdZRange(c *Ctx, args [][]byte) { c.zrange(args, nil, zrangeAuto, zdirAuto) }

// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
func cmdZRangeStore(c *Ctx, args [][]byte) { c.zrange(args[1:], args[1], zrangeAuto, zdirAuto) }

// ZREVRANGE key start stop [WITHSCORES]
func cmdZRevRange(c *Ctx, args [][]byte) { c.zrange(args, nil, zrangeByRank, zdirReverse) }

// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
func cmdZRangeByScore(c *Ctx, args [][]byte) { c.zrange(args, nil, zrangeByScore, zdirForward) }

// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
func cmdZRevRangeByScore(c *Ctx, args [][]byte) {
	c.zrange(args, nil, zrangeByScore, zdirReverse)
}

// ZRANGEBYLEX key min max [LIMIT offset count]
func cmdZRangeByLex(c *Ctx, args [][]byte) { c.zrange(args, nil, zrangeByLex, zdirForward) }

// ZREVRANGEBYLEX key max min [LIMIT offset count]
func cmdZRevRangeByLex(c *Ctx, args [][]byte) { c.zrange(args, nil, zrangeByLex, zdirReverse) }

// zrangeQuery is a parsed range command.
type zrangeQuery struct {
	kind          zrangeKind
	reverse       bool
	withScores    bool
	offset, limit int64 // limit < 0: no limit
	start, stop   int64 // by rank
	score         scoreRange
	lex           lexRange
}

// zrange runs the range commands. args[1] is the source key (args[0] is
// the command name, or the destination of ZRANGESTORE, which passes dst).
func (c *Ctx) zrange(args [][]byte, dst []byte, kind zrangeKind, dir zrangeDir) {
	q, ok := c.parseZRange(args, dst != nil, kind, dir)
	if !ok {
		return
	}
	sink := zrangeSink{c: c, store: dst != nil, withScores: q.withScores}
	z, found, ok := lookupAs[*zsetValue](c, args[1])
	switch {
	case !ok:
		return
	case !found:
		sink.begin(0)
	default:
		q.run(z, &sink)
	}
	sink.finish(dst)
}

// parseZRange parses the options, then the range, in Redis's order: the
// first bad option wins, then the option conflicts, then the range.
func (c *Ctx) parseZRange(args [][]byte, store bool, kind zrangeKind, dir zrangeDir) (zrangeQuery, bool) {
	q := zrangeQuery{limit: -1}
	for j := 4; j < len(args); j++ {
		left := len(args) - j - 1
		switch {
		case !store && equalFold(args[j], "withscores"):
			q.withScores = true
		case equalFold(args[j], "limit") && left >= 2:
			var ok bool
			if q.offset, ok = c.intArg(args[j+1]); !ok {
				return q, false
			}
			if q.limit, ok = c.intArg(args[j+2]); !ok {
				return q, false
			}
			j += 2
		case dir == zdirAuto && equalFold(args[j], "rev"):
			dir = zdirReverse
		case kind == zrangeAuto && equalFold(args[j], "bylex"):
			kind = zrangeByLex
		case kind == zrangeAuto && equalFold(args[j], "byscore"):
			kind = zrangeByScore
		default:
			c.Error(ErrSyntax)
			return q, false
		}
	}
	if kind == zrangeAuto {
		kind = zrangeByRank
	}
	q.kind, q.reverse = kind, dir == zdirReverse
	// Redis tells "no LIMIT" by a limit of -1, so LIMIT 0 -1 passes.
	if q.limit != -1 && kind == zrangeByRank {
		c.Error(errZLimitRank)
		return q, false
	}
	if q.withScores && kind == zrangeByLex {
		c.Error(errZScoresLex)
		return q, false
	}
	minArg, maxArg := args[2], args[3]
	if q.reverse && kind != zrangeByRank {
		minArg, maxArg = maxArg, minArg
	}
	var ok bool
	switch kind {
	case zrangeByRank:
		if q.start, ok = c.intArg(minArg); ok {
			q.stop, ok = c.intArg(maxArg)
		}
	case zrangeByScore:
		if q.score, ok = parseScoreRange(minArg, maxArg); !ok {
			c.Error(errZMinMaxFloat)
		}
	case zrangeByLex:
		if q.lex, ok = parseLexRange(minArg, maxArg); !ok {
			c.Error(errZMinMaxLex)
		}
	}
	return q, ok
}

// run sends the members the query selects from z to sink.
func (q *zrangeQuery) run(z *zsetValue, sink *zrangeSink) {
	switch q.kind {
	case zrangeByRank:
		lo, hi, ok := rankRange(q.start, q.stop, z.n)
		if !ok {
			sink.begin(0)
			return
		}
		if q.reverse {
			sink.take(z.descend(z.n-1-lo), hi-lo)
		} else {
			sink.take(z.ascend(lo), hi-lo)
		}
	case zrangeByScore:
		lo, hi := q.score.ranks(z)
		q.runSpan(z, sink, lo, hi)
	case zrangeByLex:
		if z.uniformScores() {
			lo, hi := z.lexCountBelow(q.lex.min, q.lex.min.ex), z.lexCountBelow(q.lex.max, !q.lex.max.ex)
			if q.lex.empty() {
				lo, hi = 0, 0
			}
			q.runSpan(z, sink, lo, hi)
			return
		}
		q.walkLex(z, sink)
	}
}

// rankRange turns start and stop (negative from the end) into the ranks
// [lo, hi) as Redis clamps them; ok is false for an empty range.
func rankRange(start, stop int64, n int) (lo, hi int, ok bool) {
	length := int64(n)
	if start < 0 {
		start += length
	}
	if stop < 0 {
		stop += length
	}
	start = max(start, 0)
	if start > stop || start >= length {
		return 0, 0, false
	}
	stop = min(stop, length-1)
	return int(start), int(stop) + 1, true
}

// runSpan sends the members of ranks [lo, hi), after OFFSET and within
// LIMIT, in the query's direction.
func (q *zrangeQuery) runSpan(z *zsetValue, sink *zrangeSink, lo, hi int) {
	if q.offset < 0 || q.offset >= int64(hi-lo) {
		sink.begin(0)
		return
	}
	count := int64(hi-lo) - q.offset
	if q.limit >= 0 {
		count = min(count, q.limit)
	}
	off := int(q.offset)
	if q.reverse {
		sink.take(z.descend(hi-1-off), int(count))
	} else {
		sink.take(z.ascend(lo+off), int(count))
	}
}

// walkLex runs a lexicographical range over a sorted set whose scores
// differ, as Redis walks a listpack: from the first member in range, skip
// OFFSET members, then take members while they stay within the far end.
func (q *zrangeQuery) walkLex(z *zsetValue, sink *zrangeSink) {
	var seq iter.Seq2[[]byte, float64]
	inRange := q.lex.lteMax
	if q.reverse {
		_, last, ok := z.lexBackward(&q.lex)
		if !ok || q.offset < 0 || q.offset > int64(last) {
			sink.begin(0)
			return
		}
		seq, inRange = z.descend(last-int(q.offset)), q.lex.gteMin
	} else {
		first, _, ok := z.lexForward(&q.lex)
		if !ok || q.offset < 0 || q.offset >= int64(z.n-first) {
			sink.begin(0)
			return
		}
		seq = z.ascend(first + int(q.offset))
	}
	type entry struct {
		member []byte
		score  float64
	}
	var found []entry
	for m, s := range seq {
		if int64(len(found)) == q.limit || !inRange(m) {
			break
		}
		found = append(found, entry{m, s})
	}
	sink.begin(len(found))
	for _, e := range found {
		sink.emit(e.member, e.score)
	}
}

// zrangeSink receives the result of a range command: a reply to the
// client, or the members of ZRANGESTORE's new sorted set.
type zrangeSink struct {
	c          *Ctx
	store      bool
	withScores bool
	b          zsetBuilder
}

// begin announces n members.
func (s *zrangeSink) begin(n int) {
	if s.store {
		return
	}
	if s.withScores {
		n *= 2
	}
	s.c.Array(n)
}

func (s *zrangeSink) emit(member []byte, score float64) {
	if s.store {
		s.b.add(string(member), score)
		return
	}
	s.c.Bulk(member)
	if s.withScores {
		s.c.Score(score)
	}
}

// take sends the first n members of seq.
func (s *zrangeSink) take(seq iter.Seq2[[]byte, float64], n int) {
	s.begin(n)
	if n == 0 {
		return
	}
	i := 0
	for m, score := range seq {
		s.emit(m, score)
		if i++; i == n {
			return
		}
	}
}

// finish stores ZRANGESTORE's result.
func (s *zrangeSink) finish(dst []byte) {
	if s.store {
		s.c.storeZSet(dst, &s.b)
	}
}

// storeZSet makes key hold the sorted set b builds (replacing whatever it
// held, and its TTL), or deletes key if b is empty, and replies the size.
func (c *Ctx) storeZSet(key []byte, b *zsetBuilder) {
	if len(b.items) == 0 {
		c.db.delete(string(key))
		c.Int(0)
		return
	}
	z, _ := b.build(c.lim)
	c.db.set(item{key: string(key), val: z, gen: c.fsm.gen})
	// Touching it lets settle signal the key to blocked clients.
	c.touch(c.db, c.dbi, string(key), z)
	c.Int(int64(z.n))
}

// ZCOUNT key min max
func cmdZCount(c *Ctx, args [][]byte) {
	r, ok := parseScoreRange(args[2], args[3])
	if !ok {
		c.Error(errZMinMaxFloat)
		return
	}
	z, found, ok := lookupAs[*zsetValue](c, args[1])
	if !ok {
		return
	}
	var n int
	if found {
		lo, hi := r.ranks(z)
		n = max(hi-lo, 0)
	}
	c.Int(int64(n))
}

// ZLEXCOUNT key min max
func cmdZLexCount(c *Ctx, args [][]byte) {
	r, ok := parseLexRange(args[2], args[3])
	if !ok {
		c.Error(errZMinMaxLex)
		return
	}
	z, found, ok := lookupAs[*zsetValue](c, args[1])
	if !ok {
		return
	}
	var n int
	if found {
		if first, end, ok := z.lexForward(&r); ok {
			n = end - first
		}
	}
	c.Int(int64(n))
}

// ZREMRANGEBYRANK key start stop
func cmdZRemRangeByRank(c *Ctx, args [][]byte) {
	start, ok := c.intArg(args[2])
	if !ok {
		return
	}
	stop, ok := c.intArg(args[3])
	if !ok {
		return
	}
	c.zremRange(args[1], func(z *zsetValue) (int, int) {
		lo, hi, _ := rankRange(start, stop, z.n)
		return lo, hi
	})
}

// ZREMRANGEBYSCORE key min max
func cmdZRemRangeByScore(c *Ctx, args [][]byte) {
	r, ok := parseScoreRange(args[2], args[3])
	if !ok {
		c.Error(errZMinMaxFloat)
		return
	}
	c.zremRange(args[1], r.ranks)
}

// ZREMRANGEBYLEX key min max
func cmdZRemRangeByLex(c *Ctx, args [][]byte) {
	r, ok := parseLexRange(args[2], args[3])
	if !ok {
		c.Error(errZMinMaxLex)
		return
	}
	c.zremRange(args[1], func(z *zsetValue) (int, int) {
		first, end, _ := z.lexForward(&r)
		return first, end
	})
}

// zremRange removes the members of the ranks span returns and replies
// their number.
func (c *Ctx) zremRange(key []byte, span func(z *zsetValue) (lo, hi int)) {
	z, found, ok := writable[*zsetValue](c, key, nil)
	if !ok {
		return
	}
	var n int
	if found {
		lo, hi := span(z)
		if hi > lo {
			n = hi - lo
			z.removeRanks(lo, hi)
		} else {
			c.unchanged(z)
		}
	}
	c.Int(int64(n))
}
