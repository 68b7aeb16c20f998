package ranked

// Delete removes the item equal to key and returns it.
func (t *Tree[T]) Delete(key T) (T, bool) {
	// Find the rank first, so that a missing key copies no shared node.
	r, found := t.Rank(key)
	if !found {
		var zero T
		return zero, false
	}
	return t.DeleteAt(r)
}

// DeleteAt removes the item of rank i and returns it, or returns false when
// i is out of range.
func (t *Tree[T]) DeleteAt(i int) (T, bool) {
	if i < 0 || i >= t.count {
		var zero T
		return zero, false
	}
	root := t.ownRoot()
	item := t.deleteAt(root, i)
	t.count--
	if root.n == 0 {
		if root.leaf() {
			t.root = nil
		} else {
			t.root = root.kids.child[0]
		}
	}
	return item, true
}

// PopMin removes the least item and returns it.
func (t *Tree[T]) PopMin() (T, bool) { return t.DeleteAt(0) }

// PopMax removes the greatest item and returns it.
func (t *Tree[T]) PopMax() (T, bool) { return t.DeleteAt(t.count - 1) }

// deleteAt removes the item of rank r from the subtree of n, which t owns.
// It may leave n with too few items, for the caller to fix.
func (t *Tree[T]) deleteAt(n *node[T], r int) T {
	if n.leaf() {
		return n.removeItem(r)
	}
	j, r, here := n.locate(r)
	if !here {
		c := t.ownChild(n, j)
		item := t.deleteAt(c, r)
		n.kids.count[j]--
		if c.n < t.min {
			t.rebalance(n, j)
		}
		return item
	}
	// The item is in this inner node: its predecessor, the greatest item
	// of the child before it, takes its place.
	item := n.items[j]
	c := t.ownChild(n, j)
	n.items[j] = t.deleteAt(c, n.kids.count[j]-1)
	n.kids.count[j]--
	if c.n < t.min {
		t.rebalance(n, j)
	}
	return item
}

// rebalance gives child i of p, which has one item too few, items from a
// sibling that can spare them, or merges it with a sibling.
func (t *Tree[T]) rebalance(p *node[T], i int) {
	c := p.kids.child[i]
	if i > 0 {
		if l := p.kids.child[i-1]; l.n > t.min {
			t.ownChild(p, i-1)
			moveRight(p, i-1, (l.n-c.n)/2)
			return
		}
	}
	if i < p.n {
		if r := p.kids.child[i+1]; r.n > t.min {
			t.ownChild(p, i+1)
			moveLeft(p, i, (r.n-c.n)/2)
			return
		}
	}
	if i > 0 {
		t.ownChild(p, i-1)
		merge(p, i-1)
	} else {
		merge(p, i)
	}
}
