package ranked

import "sync/atomic"

// nodeSlots is the length of a node's item array, chosen by measurement
// (see ranked_bench_test.go) among sizes that fill an allocation size class.
// Go puts an 8-byte type header before every allocation over 512 bytes that
// holds pointers, so a leaf of 24-byte items takes 8 + 24 + 62*24 = 1520
// of the 1536-byte class, and the kids block 8 + 63*16 = 1016 of 1024; a
// leaf of 40-byte items takes 2512 of 2688. At a million items, smaller
// nodes (30 slots) cost 8% more memory per item under random inserts and
// were faster only for Get; larger ones (126) saved 4% of memory and made
// lookups, iteration and the copies after a clone slower.
const nodeSlots = 62

// defaultMax is the number of items a node holds between operations; the
// last slot only takes an overflowing item during an insert.
const defaultMax = nodeSlots - 1

// node is a leaf (kids == nil) or an inner node with n+1 children.
type node[T any] struct {
	isoid uint64 // the tree that may change this node
	n     int    // items in use
	kids  *kids[T]
	items [nodeSlots]T
}

// kids are an inner node's children and the number of items below each.
// Keeping the counts in the parent lets Rank and At add them up without
// touching the children.
type kids[T any] struct {
	child [nodeSlots + 1]*node[T]
	count [nodeSlots + 1]int
}

// lastIsoID hands out ownership ids; 0 is never handed out.
var lastIsoID atomic.Uint64

func newIsoID() uint64 { return lastIsoID.Add(1) }

func (n *node[T]) leaf() bool { return n.kids == nil }

// locate finds rank r in the subtree of inner node n: either item j of n
// (here), or rank r2 of child j.
func (n *node[T]) locate(r int) (j, r2 int, here bool) {
	for j = 0; j < n.n; j++ {
		c := n.kids.count[j]
		if r < c {
			return j, r, false
		}
		if r == c {
			return j, 0, true
		}
		r -= c + 1
	}
	return n.n, r, false
}

// sumCounts is the number of items below children [from, to) of inner node n.
func (n *node[T]) sumCounts(from, to int) int {
	s := 0
	for _, c := range n.kids.count[from:to] {
		s += c
	}
	return s
}

func (n *node[T]) insertItem(i int, item T) {
	copy(n.items[i+1:n.n+1], n.items[i:n.n])
	n.items[i] = item
	n.n++
}

// removeItem takes out item i and clears the freed slot, so the node does
// not keep what the item points to alive.
func (n *node[T]) removeItem(i int) T {
	item := n.items[i]
	copy(n.items[i:n.n-1], n.items[i+1:n.n])
	n.n--
	var zero T
	n.items[n.n] = zero
	return item
}

// insertItemChild puts item at index i and right, with count items below
// it, as the child after it.
func (n *node[T]) insertItemChild(i int, item T, right *node[T], count int) {
	k := n.kids
	copy(k.child[i+2:n.n+2], k.child[i+1:n.n+1])
	copy(k.count[i+2:n.n+2], k.count[i+1:n.n+1])
	k.child[i+1] = right
	k.count[i+1] = count
	n.insertItem(i, item)
}

// removeItemChild takes out item i and the child after it.
func (n *node[T]) removeItemChild(i int) {
	k := n.kids
	copy(k.child[i+1:n.n], k.child[i+2:n.n+1])
	copy(k.count[i+1:n.n], k.count[i+2:n.n+1])
	k.child[n.n] = nil
	k.count[n.n] = 0
	n.removeItem(i)
}

// newNode returns an empty node owned by t.
func (t *Tree[T]) newNode(leaf bool) *node[T] {
	n := &node[T]{isoid: t.isoid}
	if !leaf {
		n.kids = new(kids[T])
	}
	return n
}

// copyNode returns a copy of n owned by t. The copy shares n's children.
func (t *Tree[T]) copyNode(n *node[T]) *node[T] {
	c := t.newNode(n.leaf())
	c.n = n.n
	copy(c.items[:n.n], n.items[:n.n])
	if n.kids != nil {
		copy(c.kids.child[:n.n+1], n.kids.child[:n.n+1])
		copy(c.kids.count[:n.n+1], n.kids.count[:n.n+1])
	}
	return c
}

// ownRoot makes the root t's own, copying it if it is shared.
func (t *Tree[T]) ownRoot() *node[T] {
	if t.root.isoid != t.isoid {
		t.root = t.copyNode(t.root)
	}
	return t.root
}

// ownChild makes child i of p (which t owns) t's own, copying it if it is
// shared.
func (t *Tree[T]) ownChild(p *node[T], i int) *node[T] {
	c := p.kids.child[i]
	if c.isoid != t.isoid {
		c = t.copyNode(c)
		p.kids.child[i] = c
	}
	return c
}
