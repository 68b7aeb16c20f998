package ranked

// The functions here move items between the children of an inner node p
// that t owns. Every child they change must already be t's own; a child
// they only read (the right one in merge) may be shared.

// split divides child i of p around its middle item, which moves up into p.
func (t *Tree[T]) split(p *node[T], i int) {
	c := p.kids.child[i]
	mid := c.n / 2
	r := t.newNode(c.leaf())
	r.n = c.n - mid - 1
	copy(r.items[:r.n], c.items[mid+1:c.n])
	moved := r.n
	if c.kids != nil {
		copy(r.kids.child[:r.n+1], c.kids.child[mid+1:c.n+1])
		copy(r.kids.count[:r.n+1], c.kids.count[mid+1:c.n+1])
		moved += r.sumCounts(0, r.n+1)
		clear(c.kids.child[mid+1 : c.n+1])
		clear(c.kids.count[mid+1 : c.n+1])
	}
	sep := c.items[mid]
	clear(c.items[mid:c.n])
	c.n = mid
	p.kids.count[i] -= moved + 1
	p.insertItemChild(i, sep, r, moved)
}

// moveLeft moves k items from child i+1 of p to child i, rotating them
// through the separator p.items[i].
func moveLeft[T any](p *node[T], i, k int) {
	l, r := p.kids.child[i], p.kids.child[i+1]
	l.items[l.n] = p.items[i]
	copy(l.items[l.n+1:l.n+k], r.items[:k-1])
	p.items[i] = r.items[k-1]
	copy(r.items[:], r.items[k:r.n])
	clear(r.items[r.n-k : r.n])
	moved := k
	if l.kids != nil {
		moved += r.sumCounts(0, k)
		copy(l.kids.child[l.n+1:l.n+1+k], r.kids.child[:k])
		copy(l.kids.count[l.n+1:l.n+1+k], r.kids.count[:k])
		copy(r.kids.child[:], r.kids.child[k:r.n+1])
		copy(r.kids.count[:], r.kids.count[k:r.n+1])
		clear(r.kids.child[r.n+1-k : r.n+1])
		clear(r.kids.count[r.n+1-k : r.n+1])
	}
	l.n += k
	r.n -= k
	p.kids.count[i] += moved
	p.kids.count[i+1] -= moved
}

// moveRight moves k items from child i of p to child i+1, rotating them
// through the separator p.items[i].
func moveRight[T any](p *node[T], i, k int) {
	l, r := p.kids.child[i], p.kids.child[i+1]
	copy(r.items[k:r.n+k], r.items[:r.n])
	r.items[k-1] = p.items[i]
	copy(r.items[:k-1], l.items[l.n-k+1:l.n])
	p.items[i] = l.items[l.n-k]
	clear(l.items[l.n-k : l.n])
	moved := k
	if l.kids != nil {
		copy(r.kids.child[k:r.n+1+k], r.kids.child[:r.n+1])
		copy(r.kids.count[k:r.n+1+k], r.kids.count[:r.n+1])
		copy(r.kids.child[:k], l.kids.child[l.n-k+1:l.n+1])
		copy(r.kids.count[:k], l.kids.count[l.n-k+1:l.n+1])
		moved += r.sumCounts(0, k)
		clear(l.kids.child[l.n-k+1 : l.n+1])
		clear(l.kids.count[l.n-k+1 : l.n+1])
	}
	l.n -= k
	r.n += k
	p.kids.count[i] -= moved
	p.kids.count[i+1] += moved
}

// merge appends the separator p.items[i] and child i+1 to child i, and
// removes both from p. Child i+1 is only read.
func merge[T any](p *node[T], i int) {
	l, r := p.kids.child[i], p.kids.child[i+1]
	l.items[l.n] = p.items[i]
	copy(l.items[l.n+1:], r.items[:r.n])
	if l.kids != nil {
		copy(l.kids.child[l.n+1:], r.kids.child[:r.n+1])
		copy(l.kids.count[l.n+1:], r.kids.count[:r.n+1])
	}
	l.n += r.n + 1
	p.kids.count[i] += p.kids.count[i+1] + 1
	p.removeItemChild(i)
}

// spread3 evens out children j, j+1 and j+2 of p after a split made three
// nodes out of two.
func spread3[T any](p *node[T], j int) {
	a, b, c := p.kids.child[j], p.kids.child[j+1], p.kids.child[j+2]
	ta := (a.n + b.n + c.n) / 3
	tc := ta
	switch {
	case a.n > ta:
		moveRight(p, j, a.n-ta)
	case a.n < ta:
		moveLeft(p, j, ta-a.n)
	}
	switch {
	case c.n > tc:
		moveLeft(p, j+1, c.n-tc)
	case c.n < tc:
		moveRight(p, j+1, tc-c.n)
	}
}
