package ranked

import "fmt"

// Load returns a tree of the items of sorted, which must be in ascending
// order with no two equal; it panics otherwise. It takes O(n) time and
// fills every node, so a tree restored from a snapshot is as small as it
// can be.
func Load[T any](cmp func(a, b T) int, sorted []T) *Tree[T] {
	return load(cmp, sorted, defaultMax)
}

func load[T any](cmp func(a, b T) int, sorted []T, maxItems int) *Tree[T] {
	t := newTree(cmp, maxItems)
	for i := 1; i < len(sorted); i++ {
		if cmp(sorted[i-1], sorted[i]) >= 0 {
			panic(fmt.Sprintf("ranked: Load: item %d is not greater than item %d", i, i-1))
		}
	}
	if len(sorted) == 0 {
		return t
	}
	b := &builder[T]{t: t, levels: plan(len(sorted), maxItems)}
	b.cur = make([]*node[T], len(b.levels))
	b.done = make([]int, len(b.levels))
	b.size = make([]int, len(b.levels))
	for rest := sorted; len(rest) > 0; {
		rest = b.fillLeaf(rest)
		if len(rest) > 0 {
			b.close(0)
			b.add(1, rest[0])
			rest = rest[1:]
		}
	}
	t.root = b.finish()
	t.count = len(sorted)
	return t
}

// level is the shape of one level of a tree built by Load: how many nodes
// it has and how many items each holds (base, and one more for the first
// extra nodes).
type level struct {
	nodes, base, extra int
}

// plan lays out, from the leaves up, the levels of a tree of n items whose
// nodes hold at most maxItems items each. A level of m items needs p nodes
// with p-1 items between them, which go one level up; p is the least number
// that leaves no node more than maxItems, and spreading the items evenly
// leaves none with fewer than maxItems/2.
func plan(n, maxItems int) []level {
	var levels []level
	for m := n; ; {
		p := (m + maxItems + 1) / (maxItems + 1)
		placed := m - (p - 1)
		levels = append(levels, level{nodes: p, base: placed / p, extra: placed % p})
		if p == 1 {
			return levels
		}
		m = p - 1
	}
}

// builder fills the levels planned for Load left to right: leaves take runs
// of items; once a node is full, it is attached to the node being filled
// one level up, and the next item becomes the separator after it there.
type builder[T any] struct {
	t      *Tree[T]
	levels []level
	cur    []*node[T] // the node being filled at each level
	done   []int      // nodes finished at each level
	size   []int      // items in the subtree of cur
}

func (b *builder[T]) target(l int) int {
	if b.done[l] < b.levels[l].extra {
		return b.levels[l].base + 1
	}
	return b.levels[l].base
}

func (b *builder[T]) node(l int) *node[T] {
	if b.cur[l] == nil {
		b.cur[l] = b.t.newNode(l == 0)
	}
	return b.cur[l]
}

// fillLeaf copies into a new leaf as many items as it is planned to hold,
// and returns the rest.
func (b *builder[T]) fillLeaf(items []T) []T {
	leaf := b.node(0)
	k := b.target(0)
	copy(leaf.items[:k], items)
	leaf.n, b.size[0] = k, k
	return items[k:]
}

// add puts item into the node being filled at level l > 0, or, when that
// node is full, attaches the node to its parent and puts item there.
func (b *builder[T]) add(l int, item T) {
	n := b.node(l)
	if n.n == b.target(l) {
		b.close(l)
		b.add(l+1, item)
		return
	}
	n.items[n.n] = item
	n.n++
	b.size[l]++
}

// close attaches the node of level l to its parent as its last child.
func (b *builder[T]) close(l int) {
	p := b.node(l + 1)
	p.kids.child[p.n] = b.cur[l]
	p.kids.count[p.n] = b.size[l]
	b.size[l+1] += b.size[l]
	b.cur[l], b.size[l] = nil, 0
	b.done[l]++
}

func (b *builder[T]) finish() *node[T] {
	top := len(b.levels) - 1
	for l := range top {
		b.close(l)
		if b.done[l] != b.levels[l].nodes {
			panic("ranked: Load built a level with the wrong number of nodes")
		}
	}
	return b.cur[top]
}
