package ranked

import (
	"fmt"
)

// checkTree verifies every structural invariant of t: ordering, equal leaf
// depth, node fill, subtree counts, cleared spare slots, and that a node t
// owns has a parent t owns (path copying never leaves an owned node under a
// shared one).
func checkTree[T comparable](t *Tree[T]) error {
	if t.isoid == 0 || t.isoid > lastIsoID.Load() {
		return fmt.Errorf("tree id %d was never handed out", t.isoid)
	}
	if t.root == nil {
		if t.count != 0 {
			return fmt.Errorf("empty root, count %d", t.count)
		}
		return nil
	}
	c := &checker[T]{t: t, leafDepth: -1}
	size, err := c.node(t.root, 0, true)
	if err != nil {
		return err
	}
	if size != t.count {
		return fmt.Errorf("count %d, but the nodes hold %d items", t.count, size)
	}
	return nil
}

type checker[T comparable] struct {
	t         *Tree[T]
	leafDepth int
	prev      T
	seen      int
}

func (c *checker[T]) node(n *node[T], depth int, parentOwned bool) (int, error) {
	t := c.t
	if n.isoid == 0 || n.isoid > lastIsoID.Load() {
		return 0, fmt.Errorf("node id %d was never handed out", n.isoid)
	}
	owned := n.isoid == t.isoid
	if owned && !parentOwned {
		return 0, fmt.Errorf("depth %d: node owned by the tree under a shared parent", depth)
	}
	isRoot := depth == 0
	switch {
	case n.n > t.max:
		return 0, fmt.Errorf("depth %d: node holds %d items, max %d", depth, n.n, t.max)
	case isRoot && n.n < 1:
		return 0, fmt.Errorf("root holds no items")
	case !isRoot && n.n < t.min:
		return 0, fmt.Errorf("depth %d: node holds %d items, min %d", depth, n.n, t.min)
	}
	var zero T
	for i := n.n; i < nodeSlots; i++ {
		if n.items[i] != zero {
			return 0, fmt.Errorf("depth %d: spare slot %d holds %v", depth, i, n.items[i])
		}
	}
	if n.leaf() {
		if c.leafDepth == -1 {
			c.leafDepth = depth
		} else if c.leafDepth != depth {
			return 0, fmt.Errorf("leaves at depths %d and %d", c.leafDepth, depth)
		}
		for i := range n.n {
			if err := c.next(n.items[i]); err != nil {
				return 0, err
			}
		}
		return n.n, nil
	}
	for i := n.n + 1; i < len(n.kids.child); i++ {
		if n.kids.child[i] != nil || n.kids.count[i] != 0 {
			return 0, fmt.Errorf("depth %d: spare child slot %d in use", depth, i)
		}
	}
	size := n.n
	for i := 0; i <= n.n; i++ {
		child := n.kids.child[i]
		if child == nil {
			return 0, fmt.Errorf("depth %d: child %d of %d missing", depth, i, n.n+1)
		}
		s, err := c.node(child, depth+1, owned)
		if err != nil {
			return 0, err
		}
		if s != n.kids.count[i] {
			return 0, fmt.Errorf("depth %d: child %d holds %d items, counted %d", depth, i, s, n.kids.count[i])
		}
		size += s
		if i < n.n {
			if err := c.next(n.items[i]); err != nil {
				return 0, err
			}
		}
	}
	return size, nil
}

// next checks that items arrive in strictly ascending order.
func (c *checker[T]) next(item T) error {
	if c.seen > 0 && c.t.cmp(c.prev, item) >= 0 {
		return fmt.Errorf("item %v after %v at rank %d", item, c.prev, c.seen)
	}
	c.prev = item
	c.seen++
	return nil
}

// checkOwnership verifies that no tree can reach a node another tree owns,
// which is what makes a clone safe to read while the original changes.
func checkOwnership[T any](trees []*Tree[T]) error {
	owner := map[uint64]int{}
	for i, t := range trees {
		if j, dup := owner[t.isoid]; dup {
			return fmt.Errorf("trees %d and %d share id %d", j, i, t.isoid)
		}
		owner[t.isoid] = i
	}
	var walk func(i int, n *node[T]) error
	walk = func(i int, n *node[T]) error {
		if j, ok := owner[n.isoid]; ok && j != i {
			return fmt.Errorf("tree %d reaches a node tree %d owns", i, j)
		}
		if !n.leaf() {
			for _, c := range n.kids.child[:n.n+1] {
				if err := walk(i, c); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i, t := range trees {
		if t.root != nil {
			if err := walk(i, t.root); err != nil {
				return err
			}
		}
	}
	return nil
}
