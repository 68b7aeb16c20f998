package ranked

// Tree is an ordered set of T, ordered by cmp, with subtree counts. The zero
// value is not usable; call New or Load.
type Tree[T any] struct {
	cmp   func(a, b T) int
	root  *node[T] // nil when empty
	count int
	isoid uint64 // the id of the nodes this tree may change
	max   int    // items a node holds at most between operations
	min   int    // items a node other than the root holds at least
}

// New returns an empty tree ordered by cmp, which returns a negative number
// when a < b, zero when they are equal and a positive number when a > b.
func New[T any](cmp func(a, b T) int) *Tree[T] {
	return newTree(cmp, defaultMax)
}

// newTree lets tests use small nodes, so that few items make deep trees.
func newTree[T any](cmp func(a, b T) int, maxItems int) *Tree[T] {
	if cmp == nil {
		panic("ranked: nil comparison function")
	}
	if maxItems < 2 || maxItems > defaultMax {
		panic("ranked: node size out of range")
	}
	return &Tree[T]{cmp: cmp, isoid: newIsoID(), max: maxItems, min: maxItems / 2}
}

// Len is the number of items in t.
func (t *Tree[T]) Len() int { return t.count }

// Clone returns a tree with the same items in O(1). Afterwards t and the
// clone may be read and changed independently, and one goroutine may read
// the clone while another changes t: each copies a node the first time it
// changes it, so neither ever writes a node the other can reach.
func (t *Tree[T]) Clone() *Tree[T] {
	c := *t
	t.isoid = newIsoID()
	c.isoid = newIsoID()
	return &c
}

// search returns the index of the first item of n that is not less than
// key, and whether that item equals key.
func (t *Tree[T]) search(n *node[T], key T) (int, bool) {
	lo, hi := 0, n.n
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		c := t.cmp(key, n.items[h])
		if c == 0 {
			return h, true
		}
		if c < 0 {
			hi = h
		} else {
			lo = h + 1
		}
	}
	return lo, false
}

// Get returns the item equal to key.
func (t *Tree[T]) Get(key T) (T, bool) {
	for n := t.root; n != nil; {
		i, found := t.search(n, key)
		if found {
			return n.items[i], true
		}
		if n.leaf() {
			break
		}
		n = n.kids.child[i]
	}
	var zero T
	return zero, false
}

// Rank returns the number of items less than key, and whether an item equal
// to key exists (its rank is then the number returned).
func (t *Tree[T]) Rank(key T) (int, bool) {
	rank := 0
	for n := t.root; n != nil; {
		i, found := t.search(n, key)
		rank += i
		if n.leaf() {
			return rank, found
		}
		rank += n.sumCounts(0, i)
		if found {
			return rank + n.kids.count[i], true
		}
		n = n.kids.child[i]
	}
	return rank, false
}

// At returns the item of rank i (0 is the least), and false when i is out
// of range.
func (t *Tree[T]) At(i int) (T, bool) {
	if i < 0 || i >= t.count {
		var zero T
		return zero, false
	}
	n := t.root
	for !n.leaf() {
		j, r, here := n.locate(i)
		if here {
			return n.items[j], true
		}
		n, i = n.kids.child[j], r
	}
	return n.items[i], true
}

// Min returns the least item.
func (t *Tree[T]) Min() (T, bool) {
	if t.root == nil {
		var zero T
		return zero, false
	}
	n := t.root
	for !n.leaf() {
		n = n.kids.child[0]
	}
	return n.items[0], true
}

// Max returns the greatest item.
func (t *Tree[T]) Max() (T, bool) {
	if t.root == nil {
		var zero T
		return zero, false
	}
	n := t.root
	for !n.leaf() {
		n = n.kids.child[n.n]
	}
	return n.items[n.n-1], true
}
