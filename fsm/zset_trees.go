package fsm

import (
	"slices"

	"github.com/raftis/raftis/fsm/internal/ranked"
)

// The large encoding of a sorted set: two order-statistics trees that
// share each member's string (see zsetValue).

// convert moves a packed sorted set to the large encoding. The listpack
// is in (score, member) order already, so byScore loads in O(n).
func (z *zsetValue) convert() {
	items := make([]zsItem, 0, z.n)
	byMember := make([]zmItem, 0, z.n)
	for m, s := range z.lpAscend(0) {
		member := string(m)
		items = append(items, zsItem{score: s, member: member})
		byMember = append(byMember, zmItem{hash: keyHash(member), member: member, score: s})
	}
	slices.SortFunc(byMember, zmItemCmp)
	z.loadTrees(items, byMember)
	z.lp = nil
}

// loadTrees builds the trees from the members in both orders.
func (z *zsetValue) loadTrees(byScore []zsItem, byMember []zmItem) {
	z.byScore = ranked.Load(zsItemCmp, byScore)
	z.byMember = ranked.Load(zmItemCmp, byMember)
	z.data = 0
	for _, it := range byScore {
		z.data += len(it.member)
	}
}

// treeInsert adds member, which is absent.
func (z *zsetValue) treeInsert(member string, score float64) {
	z.byScore.Set(zsItem{score: score, member: member})
	z.byMember.Set(zmItem{hash: keyHash(member), member: member, score: score})
	z.data += len(member)
}

// treeSetScore moves member, which is present, from score old to score.
func (z *zsetValue) treeSetScore(member []byte, old, score float64) {
	prev, _ := z.byScore.Delete(zsItem{score: old, member: stringView(member)})
	z.byScore.Set(zsItem{score: score, member: prev.member})
	z.byMember.Set(zmItem{hash: keyHash(prev.member), member: prev.member, score: score})
}

// treeRemove deletes member and reports whether it was there.
func (z *zsetValue) treeRemove(member []byte) bool {
	prev, ok := z.byMember.Delete(zmKey(member))
	if !ok {
		return false
	}
	z.byScore.Delete(zsItem{score: prev.score, member: prev.member})
	z.data -= len(prev.member)
	return true
}
