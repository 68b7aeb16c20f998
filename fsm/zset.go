package fsm

import (
	"bytes"
	"iter"
	"math"
	"slices"
	"strings"

	"github.com/raftis/raftis/fsm/internal/ranked"
	"github.com/raftis/raftis/fsm/rdb"
)

// zsetValue is a Redis sorted set: members with float64 scores, ordered by
// (score, member bytes).
//
// It starts packed, as Redis's listpack encoding: the members and their
// scores in one listpack (zset_packed.go), in that order. Once it passes
// the node's zset-max-listpack-* limits it moves, for good, to two
// copy-on-write order-statistics trees (zset_trees.go), Redis's
// "skiplist" encoding:
//
//   - byScore, ordered by (score, member): ranks, ranges and pops in
//     O(log n);
//   - byMember, ordered by (hash of the member, member): the score of a
//     member in O(log n), and ZSCAN cursors that are member hashes, valid
//     on every node as SCAN's are.
//
// The two share each member's string. Clone is O(1) in the large encoding
// (both trees clone copy-on-write) and O(limit) when packed.
//
// Scores are never NaN, and a zero score is always +0: Redis stores a -0
// score as the integer 0 in a listpack, and a sorted set's contents must
// not depend on its encoding (limits are node-local), so -0 becomes 0 in
// every encoding. Replies that show a score computed by the command
// itself (ZINCRBY, ZADD INCR, ZUNION) keep its sign, as Redis's do.
type zsetValue struct {
	lp listpack // packed: member, score, member, score, ...
	n  int      // number of members

	byScore  *ranked.Tree[zsItem] // large encoding; nil while packed
	byMember *ranked.Tree[zmItem]
	// data is the bytes of the members of a large sorted set, for
	// memSize.
	data int
}

// zsItem is a member in byScore.
type zsItem struct {
	score  float64
	member string
}

func zsItemCmp(a, b zsItem) int {
	if c := cmpScore(a.score, b.score); c != 0 {
		return c
	}
	return strings.Compare(a.member, b.member)
}

// cmpScore compares two scores that are not NaN; -0 equals 0.
func cmpScore(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// zmItem is a member in byMember.
type zmItem struct {
	hash   uint64
	member string
	score  float64
}

func zmItemCmp(a, b zmItem) int {
	switch {
	case a.hash < b.hash:
		return -1
	case a.hash > b.hash:
		return 1
	}
	return strings.Compare(a.member, b.member)
}

// zmKey is the byMember key of member, for lookups that do not keep it.
func zmKey(member []byte) zmItem {
	m := stringView(member)
	return zmItem{hash: keyHash(m), member: m}
}

func newZSet() *zsetValue { return &zsetValue{} }

func (*zsetValue) Type() string   { return "zset" }
func (z *zsetValue) length() int  { return z.n }
func (z *zsetValue) packed() bool { return z.byScore == nil }

func (z *zsetValue) Encoding() string {
	if z.packed() {
		return "listpack"
	}
	return "skiplist"
}

// zsetEntryOverhead estimates a large sorted set's bytes per member
// besides the member's own bytes: an item in each tree with the trees'
// slack (about 1.2 × (24 + 32) bytes), and the allocation the member's
// string takes.
const zsetEntryOverhead = 74

func (z *zsetValue) memSize() int {
	if z.packed() {
		return 48 + cap(z.lp)
	}
	return 48 + z.data + z.n*zsetEntryOverhead
}

func (z *zsetValue) clone() Value {
	c := *z
	if z.packed() {
		c.lp = slices.Clip(bytes.Clone(z.lp))
	} else {
		c.byScore, c.byMember = z.byScore.Clone(), z.byMember.Clone()
	}
	return &c
}

// normScore turns a -0 score into 0 (see zsetValue).
func normScore(s float64) float64 {
	if s == 0 {
		return 0
	}
	return s
}

// score returns member's score.
func (z *zsetValue) score(member []byte) (float64, bool) {
	if z.packed() {
		_, s, _, ok := z.lpFind(member)
		return s, ok
	}
	it, ok := z.byMember.Get(zmKey(member))
	return it.score, ok
}

// insert adds member, which must be absent, with score (not NaN). It
// moves a packed sorted set to the large encoding first if the member
// would take it past the limits, as Redis's zsetAdd does.
func (z *zsetValue) insert(lim *Limits, member []byte, score float64) {
	score = normScore(score)
	if z.packed() && (int64(z.n)+1 > lim.ZSetMaxListpackEntries || int64(len(member)) > lim.ZSetMaxListpackValue) {
		z.convert()
	}
	if z.packed() {
		z.lpInsert(member, score)
	} else {
		z.treeInsert(string(member), score)
	}
	z.n++
}

// setScore changes the score of member, which must be present, from old
// to score.
func (z *zsetValue) setScore(member []byte, old, score float64) {
	score = normScore(score)
	if score == old {
		return
	}
	if z.packed() {
		start, _, end, _ := z.lpFind(member)
		z.lp = z.lp.removeRange(start, end)
		z.lpInsert(member, score)
		return
	}
	z.treeSetScore(member, old, score)
}

// remove deletes member and reports whether it was there.
func (z *zsetValue) remove(member []byte) bool {
	var ok bool
	if z.packed() {
		var start, end int
		if start, _, end, ok = z.lpFind(member); ok {
			z.lp = z.lp.removeRange(start, end)
		}
	} else {
		ok = z.treeRemove(member)
	}
	if ok {
		z.n--
		z.dropIfEmpty()
	}
	return ok
}

// dropIfEmpty releases the storage of an empty packed sorted set.
func (z *zsetValue) dropIfEmpty() {
	if z.n == 0 && z.packed() {
		z.lp = nil
	}
}

// rank returns member's rank (0 for the lowest score).
func (z *zsetValue) rank(member []byte) (int, bool) {
	if z.packed() {
		r := 0
		for m := range z.lpAll() {
			if bytes.Equal(m, member) {
				return r, true
			}
			r++
		}
		return 0, false
	}
	it, ok := z.byMember.Get(zmKey(member))
	if !ok {
		return 0, false
	}
	r, _ := z.byScore.Rank(zsItem{score: it.score, member: it.member})
	return r, true
}

// at returns the member and score of rank i, which must be in range.
func (z *zsetValue) at(i int) ([]byte, float64) {
	for m, s := range z.ascend(i) {
		return m, s
	}
	return nil, 0
}

// ascend yields the members and scores from rank i up, in order. The
// bytes must not be kept past the command or changed, and the set must
// not change while it runs.
func (z *zsetValue) ascend(i int) iter.Seq2[[]byte, float64] {
	if z.packed() {
		return z.lpAscend(i)
	}
	return func(yield func([]byte, float64) bool) {
		for it := range z.byScore.AscendAt(i) {
			if !yield(bytesView(it.member), it.score) {
				return
			}
		}
	}
}

// descend yields the members and scores from rank i down, in order.
func (z *zsetValue) descend(i int) iter.Seq2[[]byte, float64] {
	if z.packed() {
		return z.lpDescend(i)
	}
	return func(yield func([]byte, float64) bool) {
		for it := range z.byScore.DescendAt(i) {
			if !yield(bytesView(it.member), it.score) {
				return
			}
		}
	}
}

// all yields every member and score in order.
func (z *zsetValue) all() iter.Seq2[[]byte, float64] { return z.ascend(0) }

// countBelow is the number of members whose score is below s, or at most
// s when orEqual.
func (z *zsetValue) countBelow(s float64, orEqual bool) int {
	if orEqual {
		if math.IsInf(s, 1) {
			return z.n
		}
		// Scores are doubles: "at most s" is "below the next double".
		s = math.Nextafter(s, math.Inf(1))
	}
	if z.packed() {
		r := 0
		for _, score := range z.lpAscend(0) {
			if score >= s {
				break
			}
			r++
		}
		return r
	}
	// No member is less than the empty string: the rank of (s, "") counts
	// the members whose score is below s.
	r, _ := z.byScore.Rank(zsItem{score: s})
	return r
}

// removeRanks removes the members of ranks [lo, hi).
func (z *zsetValue) removeRanks(lo, hi int) {
	if lo >= hi {
		return
	}
	if z.packed() {
		start, end := z.lpOffset(lo), z.lpOffset(hi)
		z.lp = z.lp.removeRange(start, end)
	} else {
		for range hi - lo {
			it, _ := z.byScore.DeleteAt(lo)
			z.byMember.Delete(zmItem{hash: keyHash(it.member), member: it.member})
			z.data -= len(it.member)
		}
	}
	z.n -= hi - lo
	z.dropIfEmpty()
}

func (z *zsetValue) writeRDB(w *rdb.Writer, key []byte, expireAtMs int64, _ bool) error {
	// Both encodings yield (score, member) order: already canonical.
	return w.WriteZSet(key, expireAtMs, z.n, z.all())
}

// zsetBuilder collects the members of a new sorted set (a store's result,
// a snapshot's record) and builds it in the encoding Redis would choose
// for it: packed if within the limits, else large.
type zsetBuilder struct {
	items  []zsItem // scores as computed; build makes -0 into 0
	maxLen int
}

func (b *zsetBuilder) add(member string, score float64) {
	b.items = append(b.items, zsItem{score: score, member: member})
	b.maxLen = max(b.maxLen, len(member))
}

// build returns the sorted set, or false if a member was added twice.
// The members may come in any order.
func (b *zsetBuilder) build(lim *Limits) (*zsetValue, bool) {
	byMember := make([]zmItem, len(b.items))
	for i := range b.items {
		b.items[i].score = normScore(b.items[i].score)
		it := b.items[i]
		byMember[i] = zmItem{hash: keyHash(it.member), member: it.member, score: it.score}
	}
	slices.SortFunc(byMember, zmItemCmp)
	for i := 1; i < len(byMember); i++ {
		if byMember[i].member == byMember[i-1].member {
			return nil, false
		}
	}
	slices.SortFunc(b.items, zsItemCmp)
	z := &zsetValue{n: len(b.items)}
	if int64(len(b.items)) <= lim.ZSetMaxListpackEntries && int64(b.maxLen) <= lim.ZSetMaxListpackValue {
		for _, it := range b.items {
			z.lp = z.lp.appendZEntry(bytesView(it.member), it.score)
		}
		z.lp = slices.Clip(z.lp)
		return z, true
	}
	z.loadTrees(b.items, byMember)
	return z, true
}

// zsetFromRecord builds a sorted set from an RDB record, choosing the
// encoding by size as Redis does when it loads one. The decoder has
// refused NaN scores already.
func zsetFromRecord(lim *Limits, members []rdb.ZMember) (*zsetValue, error) {
	b := zsetBuilder{items: make([]zsItem, 0, len(members))}
	for _, m := range members {
		b.add(string(m.Member), m.Score)
	}
	z, ok := b.build(lim)
	if !ok {
		return nil, errDuplicateMember(members)
	}
	return z, nil
}

// errDuplicateMember names a member that members holds twice.
func errDuplicateMember(members []rdb.ZMember) error {
	seen := make(map[string]bool, len(members))
	for _, m := range members {
		if seen[string(m.Member)] {
			return errDuplicate("sorted set member", m.Member)
		}
		seen[string(m.Member)] = true
	}
	return errDuplicate("sorted set member", nil)
}
