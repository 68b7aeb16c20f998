package ranked

import "iter"

// The iterators walk the tree recursively: a start position costs one
// descent, every later step is amortized O(1), and nothing is allocated per
// item. The tree must not change while one of its iterators runs.

// All yields every item in ascending order.
func (t *Tree[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		if t.root != nil {
			ascendAll(t.root, yield)
		}
	}
}

// AscendFrom yields in ascending order the items not less than pivot.
func (t *Tree[T]) AscendFrom(pivot T) iter.Seq[T] {
	return func(yield func(T) bool) {
		if t.root != nil {
			t.ascendPivot(t.root, pivot, yield)
		}
	}
}

// AscendAt yields in ascending order the items of rank i and above; a
// negative i starts at the least item.
func (t *Tree[T]) AscendAt(i int) iter.Seq[T] {
	return func(yield func(T) bool) {
		if t.root != nil && i < t.count {
			ascendRank(t.root, max(i, 0), yield)
		}
	}
}

// DescendFrom yields in descending order the items not greater than pivot.
func (t *Tree[T]) DescendFrom(pivot T) iter.Seq[T] {
	return func(yield func(T) bool) {
		if t.root != nil {
			t.descendPivot(t.root, pivot, yield)
		}
	}
}

// DescendAt yields in descending order the items of rank i and below; an i
// past the end starts at the greatest item.
func (t *Tree[T]) DescendAt(i int) iter.Seq[T] {
	return func(yield func(T) bool) {
		if i >= 0 && t.count > 0 {
			descendRank(t.root, min(i, t.count-1), yield)
		}
	}
}

// ascendAll yields the subtree of n in ascending order.
func ascendAll[T any](n *node[T], yield func(T) bool) bool {
	if n.leaf() {
		for _, item := range n.items[:n.n] {
			if !yield(item) {
				return false
			}
		}
		return true
	}
	return ascendAll(n.kids.child[0], yield) && ascendItems(n, 0, yield)
}

// descendAll yields the subtree of n in descending order.
func descendAll[T any](n *node[T], yield func(T) bool) bool {
	if !n.leaf() && !descendAll(n.kids.child[n.n], yield) {
		return false
	}
	return descendItems(n, n.n, yield)
}

func (t *Tree[T]) ascendPivot(n *node[T], pivot T, yield func(T) bool) bool {
	i, found := t.search(n, pivot)
	if !found && !n.leaf() && !t.ascendPivot(n.kids.child[i], pivot, yield) {
		return false
	}
	return ascendItems(n, i, yield)
}

func (t *Tree[T]) descendPivot(n *node[T], pivot T, yield func(T) bool) bool {
	i, found := t.search(n, pivot)
	if found {
		return descendItems(n, i+1, yield)
	}
	if !n.leaf() && !t.descendPivot(n.kids.child[i], pivot, yield) {
		return false
	}
	return descendItems(n, i, yield)
}

func ascendRank[T any](n *node[T], r int, yield func(T) bool) bool {
	if n.leaf() {
		return ascendItems(n, r, yield)
	}
	j, r, here := n.locate(r)
	if !here && !ascendRank(n.kids.child[j], r, yield) {
		return false
	}
	return ascendItems(n, j, yield)
}

func descendRank[T any](n *node[T], r int, yield func(T) bool) bool {
	if n.leaf() {
		return descendItems(n, r+1, yield)
	}
	j, r, here := n.locate(r)
	if here {
		return descendItems(n, j+1, yield)
	}
	if !descendRank(n.kids.child[j], r, yield) {
		return false
	}
	return descendItems(n, j, yield)
}

// ascendItems yields items i, i+1, ... of n, each followed by the subtree
// after it: the rest of n's subtree once the part before item i is done.
func ascendItems[T any](n *node[T], i int, yield func(T) bool) bool {
	for ; i < n.n; i++ {
		if !yield(n.items[i]) {
			return false
		}
		if !n.leaf() && !ascendAll(n.kids.child[i+1], yield) {
			return false
		}
	}
	return true
}

// descendItems yields items i-1, i-2, ... of n, each followed by the
// subtree before it.
func descendItems[T any](n *node[T], i int, yield func(T) bool) bool {
	for j := i - 1; j >= 0; j-- {
		if !yield(n.items[j]) {
			return false
		}
		if !n.leaf() && !descendAll(n.kids.child[j], yield) {
			return false
		}
	}
	return true
}
