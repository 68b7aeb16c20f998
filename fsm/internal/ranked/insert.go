package ranked

// edge says where an insert put its item: at either end of the whole tree
// (new least or greatest item) or elsewhere.
type edge int8

const (
	middle edge = iota
	atStart
	atEnd
)

// Set inserts item, or replaces the item equal to it and returns that one.
func (t *Tree[T]) Set(item T) (prev T, replaced bool) {
	if t.root == nil {
		t.root = t.newNode(true)
		t.root.insertItem(0, item)
		t.count = 1
		return prev, false
	}
	root := t.ownRoot()
	prev, replaced, _ = t.insert(root, item, true, true)
	if replaced {
		return prev, true
	}
	t.count++
	if root.n > t.max {
		t.root = t.newNode(false)
		t.root.kids.child[0] = root
		t.root.kids.count[0] = t.count
		t.split(t.root, 0)
	}
	return prev, false
}

// insert adds item to the subtree of n, which t owns. first and last say
// whether n is the leftmost or rightmost node of its level. It may leave n
// with one item too many, for the caller to fix.
func (t *Tree[T]) insert(n *node[T], item T, first, last bool) (prev T, replaced bool, where edge) {
	i, found := t.search(n, item)
	if found {
		prev, n.items[i] = n.items[i], item
		return prev, true, middle
	}
	first, last = first && i == 0, last && i == n.n
	if n.leaf() {
		n.insertItem(i, item)
		switch {
		case first:
			return prev, false, atStart
		case last:
			return prev, false, atEnd
		}
		return prev, false, middle
	}
	c := t.ownChild(n, i)
	prev, replaced, where = t.insert(c, item, first, last)
	if replaced {
		return prev, true, middle
	}
	n.kids.count[i]++
	if c.n > t.max {
		t.fixOverflow(n, i, where)
	}
	return prev, false, where
}

// fixOverflow brings child i of p, which holds one item too many, back
// within bounds. It prefers moving items into a sibling with room to
// splitting, and splits two full nodes into three rather than one into
// two, which keeps leaves about 85% full under random inserts. An
// item appended at either end of the tree fills the neighbour completely,
// so ordered inserts leave full nodes behind them.
func (t *Tree[T]) fixOverflow(p *node[T], i int, where edge) {
	c := p.kids.child[i]
	switch {
	case where == atEnd && i > 0:
		if l := p.kids.child[i-1]; l.n < t.max {
			t.ownChild(p, i-1)
			moveLeft(p, i-1, t.max-l.n)
		} else {
			t.split(p, i)
		}
		return
	case where == atStart && i < p.n:
		if r := p.kids.child[i+1]; r.n < t.max {
			t.ownChild(p, i+1)
			moveRight(p, i, t.max-r.n)
		} else {
			t.split(p, i)
		}
		return
	}
	if i > 0 {
		if l := p.kids.child[i-1]; l.n < t.max {
			t.ownChild(p, i-1)
			moveLeft(p, i-1, (c.n-l.n)/2)
			return
		}
	}
	if i < p.n {
		if r := p.kids.child[i+1]; r.n < t.max {
			t.ownChild(p, i+1)
			moveRight(p, i, (c.n-r.n)/2)
			return
		}
	}
	// The neighbours are full; c has one, as p has at least one item.
	if i > 0 {
		t.ownChild(p, i-1)
		t.split(p, i)
		spread3(p, i-1)
	} else {
		t.ownChild(p, i+1)
		t.split(p, i)
		spread3(p, i)
	}
}
