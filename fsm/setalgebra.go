package fsm

import (
	"cmp"
	"slices"
)

// Intersections, unions and differences of sets (SINTER, SUNION, SDIFF and
// their STORE and CARD forms), following Redis's algorithms: the choice of
// algorithm decides which representation a stored result ends in, as in
// Redis, so OBJECT ENCODING agrees too.

// SINTER key [key ...]
func cmdSInter(c *Ctx, args [][]byte) {
	sets, missing, ok := c.setOperands(args[1:])
	if !ok {
		return
	}
	var out memberList
	if missing == 0 {
		intersect(sets, func(m []byte) bool {
			out.add(m)
			return true
		})
	}
	c.replyMembers(&out)
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]
func cmdSInterCard(c *Ctx, args [][]byte) {
	numKeys, ok := parseInt(args[1])
	if !ok || numKeys < 1 {
		c.Error(errNumKeys)
		return
	}
	if numKeys > int64(len(args)-2) {
		c.Error(errNumKeysTooMany)
		return
	}
	keys := args[2 : 2+numKeys]
	var limit int64 // 0: no limit
	for j := 2 + int(numKeys); j < len(args); j++ {
		if !equalFold(args[j], "limit") || j+1 == len(args) {
			c.Error(ErrSyntax)
			return
		}
		j++
		if limit, ok = parseInt(args[j]); !ok || limit < 0 {
			c.Error(errLimitIsNegative)
			return
		}
	}
	sets, missing, ok := c.setOperands(keys)
	if !ok {
		return
	}
	var n int64
	if missing == 0 {
		intersect(sets, func([]byte) bool {
			n++
			return limit == 0 || n < limit
		})
	}
	c.Int(n)
}

// SINTERSTORE destination key [key ...]
func cmdSInterStore(c *Ctx, args [][]byte) {
	sets, missing, ok := c.setOperands(args[2:])
	if !ok {
		return
	}
	result := newSet()
	if missing == 0 {
		intersect(sets, func(m []byte) bool {
			result.add(c.lim, m)
			return true
		})
	}
	c.storeSet(args[1], result)
}

// SUNION key [key ...]
func cmdSUnion(c *Ctx, args [][]byte) {
	if sets, _, ok := c.setOperands(args[1:]); ok {
		c.replySet(unionOf(sets, c.lim))
	}
}

// SUNIONSTORE destination key [key ...]
func cmdSUnionStore(c *Ctx, args [][]byte) {
	if sets, _, ok := c.setOperands(args[2:]); ok {
		c.storeSet(args[1], unionOf(sets, c.lim))
	}
}

// SDIFF key [key ...]
func cmdSDiff(c *Ctx, args [][]byte) {
	if sets, _, ok := c.setOperands(args[1:]); ok {
		c.replySet(diffOf(sets, c.lim))
	}
}

// SDIFFSTORE destination key [key ...]
func cmdSDiffStore(c *Ctx, args [][]byte) {
	if sets, _, ok := c.setOperands(args[2:]); ok {
		c.storeSet(args[1], diffOf(sets, c.lim))
	}
}

// setOperands looks up the sets keys name; a missing key gives a nil set,
// counted in missing. Like Redis, it checks the type of every key before
// anything else, so a WRONGTYPE anywhere wins over a missing key (ok is
// false, the error replied).
func (c *Ctx) setOperands(keys [][]byte) (sets []*setValue, missing int, ok bool) {
	sets = make([]*setValue, len(keys))
	for i, key := range keys {
		s, found, ok := lookupAs[*setValue](c, key)
		if !ok {
			return nil, 0, false
		}
		if !found {
			missing++
		}
		sets[i] = s
	}
	return sets, missing, true
}

// storeSet stores result at key, replacing whatever is there and its
// expiry, and replies its size; an empty result deletes key instead.
func (c *Ctx) storeSet(key []byte, result *setValue) {
	if result.n == 0 {
		c.db.delete(string(key))
		c.Int(0)
		return
	}
	c.put(c.db, item{key: string(key), val: result, gen: c.fsm.gen})
	c.Int(int64(result.n))
}

// intersect calls yield with each member of every one of sets (none nil),
// in the order of the smallest set, until yield returns false.
func intersect(sets []*setValue, yield func(m []byte) bool) {
	sets = slices.Clone(sets)
	slices.SortStableFunc(sets, func(a, b *setValue) int { return cmp.Compare(a.n, b.n) })
	first := sets[0]
outer:
	for m := range first.all() {
		for _, s := range sets[1:] {
			if s != first && !s.has(m) {
				continue outer
			}
		}
		if !yield(m) {
			return
		}
	}
}

// unionOf is the union of sets (nil ones are empty), as a new set.
func unionOf(sets []*setValue, lim *Limits) *setValue {
	result := newSet()
	for _, s := range sets {
		if s == nil {
			continue
		}
		for m := range s.all() {
			result.add(lim, m)
		}
	}
	return result
}

// diffOf is sets[0] without the members of the other sets (nil ones are
// empty), as a new set. Like Redis it either tests each member of the
// first set against the others, or copies the first set and removes the
// others' members, whichever it expects to do less work.
func diffOf(sets []*setValue, lim *Limits) *setValue {
	result := newSet()
	first := sets[0]
	if first == nil || slices.Contains(sets[1:], first) {
		return result // a set minus itself is empty
	}
	others := make([]*setValue, 0, len(sets)-1)
	checkWork, copyWork := int64(first.n), int64(first.n)
	for _, s := range sets[1:] {
		if s != nil {
			others = append(others, s)
			checkWork += int64(first.n)
			copyWork += int64(s.n)
		}
	}
	// Testing has the better constant: Redis halves its estimate.
	if checkWork/2 <= copyWork {
		// Biggest first: members in common are found sooner.
		slices.SortStableFunc(others, func(a, b *setValue) int { return cmp.Compare(b.n, a.n) })
	outer:
		for m := range first.all() {
			for _, s := range others {
				if s.has(m) {
					continue outer
				}
			}
			result.add(lim, m)
		}
		return result
	}
	for m := range first.all() {
		result.add(lim, m)
	}
	for _, s := range others {
		for m := range s.all() {
			result.remove(m)
		}
		if result.n == 0 {
			break
		}
	}
	return result
}

// memberList collects members for a reply whose length is known only at
// the end, copying them (members of an intset are formatted on the fly).
type memberList struct {
	text []byte
	ends []int
}

func (l *memberList) add(m []byte) {
	l.text = append(l.text, m...)
	l.ends = append(l.ends, len(l.text))
}

func (c *Ctx) replyMembers(l *memberList) {
	c.Array(len(l.ends))
	start := 0
	for _, end := range l.ends {
		c.Bulk(l.text[start:end])
		start = end
	}
}
