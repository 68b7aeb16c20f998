package fsm

import (
	"cmp"
	"iter"
	"math"
	"slices"
	"strings"
)

// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD, as Redis's
// zunionInterDiffGenericCommand runs them. Their inputs may be sets as
// well as sorted sets: a set's members count with score 1.
//
// Floating-point addition is not associative, so a sum depends on the
// order of its terms. Redis adds each member's scores in the order of the
// inputs sorted by size (a stable sort: equal sizes keep the key order);
// raftis does the same, which gives Redis's exact sums and, since sizes do
// not depend on encodings, the same sums on every node.

type zsetOp int8

const (
	zopUnion zsetOp = iota
	zopInter
	zopDiff
)

type zaggregate int8

const (
	zaggSum zaggregate = iota
	zaggMin
	zaggMax
)

// ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
func cmdZUnion(c *Ctx, args [][]byte) { c.zsetAlgebra(args, nil, zopUnion, false) }

// ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
func cmdZInter(c *Ctx, args [][]byte) { c.zsetAlgebra(args, nil, zopInter, false) }

// ZDIFF numkeys key [key ...] [WITHSCORES]
func cmdZDiff(c *Ctx, args [][]byte) { c.zsetAlgebra(args, nil, zopDiff, false) }

// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX]
func cmdZUnionStore(c *Ctx, args [][]byte) { c.zsetAlgebra(args, args[1], zopUnion, false) }

// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX]
func cmdZInterStore(c *Ctx, args [][]byte) { c.zsetAlgebra(args, args[1], zopInter, false) }

// ZDIFFSTORE destination numkeys key [key ...]
func cmdZDiffStore(c *Ctx, args [][]byte) { c.zsetAlgebra(args, args[1], zopDiff, false) }

// ZINTERCARD numkeys key [key ...] [LIMIT limit]
func cmdZInterCard(c *Ctx, args [][]byte) { c.zsetAlgebra(args, nil, zopInter, true) }

// memberSet is what these commands need of a set value (the sets
// family's): its members, and whether it has one. The members yielded by
// all are only valid until the next one.
type memberSet interface {
	collection
	has(member []byte) bool
	all() iter.Seq[[]byte]
}

// zsource is one input: a sorted set, a set, or nothing (a missing key).
type zsource struct {
	z      *zsetValue
	set    memberSet
	weight float64
}

func (s *zsource) length() int {
	switch {
	case s.z != nil:
		return s.z.n
	case s.set != nil:
		return s.set.length()
	}
	return 0
}

// score returns member's score in the input (1 in a set).
func (s *zsource) score(member []byte) (float64, bool) {
	switch {
	case s.z != nil:
		return s.z.score(member)
	case s.set != nil && s.set.has(member):
		return 1, true
	}
	return 0, false
}

// all yields every member and its score.
func (s *zsource) all() iter.Seq2[[]byte, float64] {
	return func(yield func([]byte, float64) bool) {
		switch {
		case s.z != nil:
			for m, sc := range s.z.all() {
				if !yield(m, sc) {
					return
				}
			}
		case s.set != nil:
			for m := range s.set.all() {
				if !yield(m, 1) {
					return
				}
			}
		}
	}
}

// zalgebraQuery is a parsed command.
type zalgebraQuery struct {
	op         zsetOp
	cardOnly   bool
	srcs       []zsource
	agg        zaggregate
	withScores bool
	limit      int64 // ZINTERCARD: 0 for no limit
}

// zsetAlgebra runs the commands; dst is the destination of the STORE
// forms.
func (c *Ctx) zsetAlgebra(args [][]byte, dst []byte, op zsetOp, cardOnly bool) {
	numKeysAt := 1
	if dst != nil {
		numKeysAt = 2
	}
	q, ok := c.parseZAlgebra(args, numKeysAt, dst != nil, op, cardOnly)
	if !ok {
		return
	}
	if op != zopDiff {
		// Smallest first, as Redis's qsort (a merge sort in glibc:
		// stable) orders them.
		slices.SortStableFunc(q.srcs, func(a, b zsource) int { return cmp.Compare(a.length(), b.length()) })
	}
	var b zsetBuilder
	var card int64
	switch op {
	case zopInter:
		card = q.inter(&b)
	case zopUnion:
		q.union(&b)
	case zopDiff:
		q.diff(&b)
	}
	switch {
	case dst != nil:
		c.storeZSet(dst, &b)
	case cardOnly:
		c.Int(card)
	default:
		c.replyZItems(b.items, q.withScores)
	}
}

// parseZAlgebra parses numkeys, looks the keys up (a key of another type
// than set or sorted set is WRONGTYPE before any option is read), then
// parses the options, as Redis does.
func (c *Ctx) parseZAlgebra(args [][]byte, numKeysAt int, store bool, op zsetOp, cardOnly bool) (q zalgebraQuery, ok bool) {
	q.op, q.cardOnly = op, cardOnly
	numKeys, ok := c.intArg(args[numKeysAt])
	if !ok {
		return q, false
	}
	if numKeys < 1 {
		c.Error("ERR at least 1 input key is needed for '" + strings.ToLower(string(args[0])) + "' command")
		return q, false
	}
	if numKeys > int64(len(args)-numKeysAt-1) {
		c.Error(ErrSyntax)
		return q, false
	}
	keys := args[numKeysAt+1 : numKeysAt+1+int(numKeys)]
	q.srcs = make([]zsource, len(keys))
	for i, key := range keys {
		q.srcs[i].weight = 1
		it, found := c.lookup(key)
		if !found {
			continue
		}
		switch v := it.val.(type) {
		case *zsetValue:
			q.srcs[i].z = v
		case memberSet:
			if v.Type() == "set" {
				q.srcs[i].set = v
				continue
			}
			c.Error(ErrWrongType)
			return q, false
		default:
			c.Error(ErrWrongType)
			return q, false
		}
	}
	return q, c.parseZAlgebraOptions(&q, args[numKeysAt+1+int(numKeys):], store)
}

func (c *Ctx) parseZAlgebraOptions(q *zalgebraQuery, opts [][]byte, store bool) bool {
	setnum := len(q.srcs)
	scored := q.op != zopDiff && !q.cardOnly
	for j := 0; j < len(opts); {
		remaining := len(opts) - j
		switch {
		case scored && remaining >= setnum+1 && equalFold(opts[j], "weights"):
			j++
			for i := range q.srcs {
				w, ok := parseDouble(opts[j])
				if !ok {
					c.Error(errZWeight)
					return false
				}
				q.srcs[i].weight = w
				j++
			}
		case scored && remaining >= 2 && equalFold(opts[j], "aggregate"):
			switch {
			case equalFold(opts[j+1], "sum"):
				q.agg = zaggSum
			case equalFold(opts[j+1], "min"):
				q.agg = zaggMin
			case equalFold(opts[j+1], "max"):
				q.agg = zaggMax
			default:
				c.Error(ErrSyntax)
				return false
			}
			j += 2
		case !store && !q.cardOnly && equalFold(opts[j], "withscores"):
			q.withScores = true
			j++
		case q.cardOnly && remaining >= 2 && equalFold(opts[j], "limit"):
			n, ok := parseInt(opts[j+1])
			if !ok || n < 0 {
				c.Error(errZLimitNegative)
				return false
			}
			q.limit = n
			j += 2
		default:
			c.Error(ErrSyntax)
			return false
		}
	}
	return true
}

// aggregate folds val into target as AGGREGATE says. A sum of +inf and
// -inf is 0, as in Redis.
func (a zaggregate) aggregate(target, val float64) float64 {
	switch a {
	case zaggMin:
		if val < target {
			return val
		}
		return target
	case zaggMax:
		if val > target {
			return val
		}
		return target
	}
	sum := target + val
	if math.IsNaN(sum) {
		return 0
	}
	return sum
}

// weighted is a member's score times its input's weight; 0 × ±inf is 0.
func weighted(score, weight float64) float64 {
	if v := weight * score; !math.IsNaN(v) {
		return v
	}
	return 0
}

// inter collects the members in every input (the smallest input is walked,
// the others looked up) and returns their number, stopping at LIMIT for
// ZINTERCARD.
func (q *zalgebraQuery) inter(b *zsetBuilder) int64 {
	var card int64
	first := &q.srcs[0]
	if first.length() == 0 {
		return 0
	}
next:
	for m, s := range first.all() {
		score := weighted(s, first.weight)
		for j := 1; j < len(q.srcs); j++ {
			v, ok := q.srcs[j].score(m)
			if !ok {
				continue next
			}
			// Redis does not clear a NaN here: a sum makes it 0, MIN and
			// MAX ignore it.
			score = q.agg.aggregate(score, v*q.srcs[j].weight)
		}
		card++
		if q.cardOnly {
			if q.limit > 0 && card >= q.limit {
				break
			}
			continue
		}
		b.add(string(m), score)
	}
	return card
}

// union collects every member of every input, aggregating its scores in
// input order.
func (q *zalgebraQuery) union(b *zsetBuilder) {
	at := map[string]int{} // member -> index in b.items
	for i := range q.srcs {
		src := &q.srcs[i]
		for m, s := range src.all() {
			score := weighted(s, src.weight)
			if j, ok := at[stringView(m)]; ok {
				b.items[j].score = q.agg.aggregate(b.items[j].score, score)
				continue
			}
			member := string(m)
			at[member] = len(b.items)
			b.items = append(b.items, zsItem{score: score, member: member})
			b.maxLen = max(b.maxLen, len(member))
		}
	}
}

// diff collects the members of the first input that no other input has,
// with their scores in the first.
func (q *zalgebraQuery) diff(b *zsetBuilder) {
next:
	for m, s := range q.srcs[0].all() {
		for j := 1; j < len(q.srcs); j++ {
			if _, ok := q.srcs[j].score(m); ok {
				continue next
			}
		}
		b.add(string(m), s)
	}
}

// replyZItems replies the result of ZUNION, ZINTER or ZDIFF in (score,
// member) order. The scores are the computed ones: a -0 shows as "-0", as
// in Redis, whose result set is never packed.
func (c *Ctx) replyZItems(items []zsItem, withScores bool) {
	slices.SortFunc(items, zsItemCmp)
	n := len(items)
	if withScores {
		n *= 2
	}
	c.Array(n)
	for _, it := range items {
		c.BulkString(it.member)
		if withScores {
			c.Score(it.score)
		}
	}
}
