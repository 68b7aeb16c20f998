package ranked

import (
	"cmp"
	"fmt"
	"slices"
)

// item is the test element: ordered by key, val tells replaced items apart.
type item struct{ key, val int }

func cmpItem(a, b item) int { return cmp.Compare(a.key, b.key) }

// replica is a tree and the sorted slice it must hold.
type replica struct {
	tree  *Tree[item]
	model []item
}

// machine applies operations to a set of replicas (a tree and its clones)
// and to their models, and checks that they agree after every step. The
// property test feeds it random numbers, FuzzTree bytes.
type machine struct {
	maxItems int // node size of the trees it makes
	keys     int // keys are drawn from [0, keys)
	replicas []*replica
	log      []string // the operations so far, for failure messages
}

func newMachine(maxItems, keys int) *machine {
	return &machine{maxItems: maxItems, keys: keys, replicas: []*replica{{tree: newTree(cmpItem, maxItems)}}}
}

const (
	maxReplicas = 5
	numOps      = 18
)

// step applies operation op (taken modulo numOps) to replica r with
// arguments x and y, and returns an error when tree and model disagree.
func (m *machine) step(op, r, x, y int) error {
	rep := m.replicas[abs(r)%len(m.replicas)]
	t := rep.tree
	key := abs(x) % (m.keys + 4)
	key -= 2
	m.log = append(m.log, fmt.Sprintf("op %d on replica %d: x=%d y=%d (len %d)", abs(op)%numOps, abs(r)%len(m.replicas), x, y, t.Len()))
	switch abs(op) % numOps {
	case 0, 1, 2: // insert or replace
		return m.set(rep, item{key, y})
	case 3: // a new greatest item
		k := 0
		if len(rep.model) > 0 {
			k = rep.model[len(rep.model)-1].key + 1 + abs(x)%3
		}
		return m.set(rep, item{k, y})
	case 4: // a new least item
		k := 0
		if len(rep.model) > 0 {
			k = rep.model[0].key - 1 - abs(x)%3
		}
		return m.set(rep, item{k, y})
	case 5: // a run of ascending inserts, as ZADD with growing scores does
		k := abs(x) % (m.keys + 1)
		for i := range abs(y) % 40 {
			if err := m.set(rep, item{k + i, i}); err != nil {
				return err
			}
		}
	case 6, 7:
		return m.delete(rep, item{key: key})
	case 8:
		return m.deleteAt(rep, x%(len(rep.model)+3))
	case 9:
		got, ok := t.PopMin()
		return m.popped("PopMin", rep, 0, got, ok)
	case 10:
		got, ok := t.PopMax()
		return m.popped("PopMax", rep, len(rep.model)-1, got, ok)
	case 11:
		for range abs(y) % 40 {
			if err := m.deleteAt(rep, abs(x)%(len(rep.model)+1)); err != nil {
				return err
			}
		}
	case 12:
		return checkLookups(t, rep.model, key, x%(len(rep.model)+3))
	case 13:
		return checkIterators(t, rep.model, key, x%(len(rep.model)+3), abs(y)%8)
	case 14: // clone, and keep both
		if len(m.replicas) < maxReplicas {
			m.replicas = append(m.replicas, &replica{tree: t.Clone(), model: slices.Clone(rep.model)})
		}
	case 15: // forget a replica
		if len(m.replicas) > 1 {
			m.replicas = slices.Delete(m.replicas, abs(r)%len(m.replicas), abs(r)%len(m.replicas)+1)
		}
	case 16: // rebuild from the model
		rep.tree = load(cmpItem, rep.model, m.maxItems)
	case 17:
		if t.Len() != len(rep.model) {
			return fmt.Errorf("Len %d, want %d", t.Len(), len(rep.model))
		}
	}
	return nil
}

// check verifies every replica: structure, ownership and contents.
func (m *machine) check() error {
	trees := make([]*Tree[item], len(m.replicas))
	for i, rep := range m.replicas {
		trees[i] = rep.tree
		if err := checkTree(rep.tree); err != nil {
			return fmt.Errorf("replica %d: %w", i, err)
		}
		if rep.tree.Len() != len(rep.model) {
			return fmt.Errorf("replica %d: Len %d, want %d", i, rep.tree.Len(), len(rep.model))
		}
		got := slices.Collect(rep.tree.All())
		if !slices.Equal(got, rep.model) && len(got)+len(rep.model) > 0 {
			return fmt.Errorf("replica %d holds\n%v\nwant\n%v", i, got, rep.model)
		}
	}
	return checkOwnership(trees)
}

func (m *machine) history() string {
	start := max(0, len(m.log)-30)
	return fmt.Sprintf("last operations:\n%s", joinLines(m.log[start:]))
}

func joinLines(lines []string) string {
	s := ""
	for _, l := range lines {
		s += "  " + l + "\n"
	}
	return s
}

func (m *machine) set(rep *replica, it item) error {
	prev, replaced := rep.tree.Set(it)
	i, found := slices.BinarySearchFunc(rep.model, it, cmpItem)
	if found != replaced || (found && prev != rep.model[i]) {
		return fmt.Errorf("Set(%v) = %v, %v; want replaced=%v", it, prev, replaced, found)
	}
	if found {
		rep.model[i] = it
	} else {
		rep.model = slices.Insert(rep.model, i, it)
	}
	return nil
}

func (m *machine) delete(rep *replica, key item) error {
	got, ok := rep.tree.Delete(key)
	i, found := slices.BinarySearchFunc(rep.model, key, cmpItem)
	if ok != found || (found && got != rep.model[i]) {
		return fmt.Errorf("Delete(%d) = %v, %v; want found=%v", key.key, got, ok, found)
	}
	if found {
		rep.model = slices.Delete(rep.model, i, i+1)
	}
	return nil
}

func (m *machine) deleteAt(rep *replica, i int) error {
	got, ok := rep.tree.DeleteAt(i)
	return m.popped(fmt.Sprintf("DeleteAt(%d)", i), rep, i, got, ok)
}

// popped checks the result of removing the item of rank i.
func (m *machine) popped(what string, rep *replica, i int, got item, ok bool) error {
	inRange := i >= 0 && i < len(rep.model)
	if ok != inRange || (inRange && got != rep.model[i]) || (!ok && got != item{}) {
		return fmt.Errorf("%s = %v, %v with %d items", what, got, ok, len(rep.model))
	}
	if inRange {
		rep.model = slices.Delete(rep.model, i, i+1)
	}
	return nil
}

// checkLookups compares Get, Rank, At, Min and Max with the model, and
// checks that Rank and At are inverses.
func checkLookups(t *Tree[item], model []item, key, rank int) error {
	i, found := slices.BinarySearchFunc(model, item{key: key}, cmpItem)
	got, ok := t.Get(item{key: key})
	if ok != found || (found && got != model[i]) || (!found && got != item{}) {
		return fmt.Errorf("Get(%d) = %v, %v", key, got, ok)
	}
	if r, ok := t.Rank(item{key: key}); r != i || ok != found {
		return fmt.Errorf("Rank(%d) = %d, %v; want %d, %v", key, r, ok, i, found)
	}
	inRange := rank >= 0 && rank < len(model)
	got, ok = t.At(rank)
	if ok != inRange || (inRange && got != model[rank]) {
		return fmt.Errorf("At(%d) = %v, %v with %d items", rank, got, ok, len(model))
	}
	if inRange {
		if r, ok := t.Rank(got); r != rank || !ok {
			return fmt.Errorf("Rank(At(%d)) = %d, %v", rank, r, ok)
		}
	}
	mn, okMin := t.Min()
	mx, okMax := t.Max()
	if len(model) == 0 {
		if okMin || okMax || mn != (item{}) || mx != (item{}) {
			return fmt.Errorf("Min, Max of an empty tree = %v, %v, %v, %v", mn, okMin, mx, okMax)
		}
		return nil
	}
	if !okMin || !okMax || mn != model[0] || mx != model[len(model)-1] {
		return fmt.Errorf("Min, Max = %v, %v; want %v, %v", mn, mx, model[0], model[len(model)-1])
	}
	return nil
}

// checkIterators compares the four positioned iterators started at pivot
// and at rank with the model, stopping after limit items (0: no limit), and
// All stopped after limit items.
func checkIterators(t *Tree[item], model []item, pivot, rank, limit int) error {
	asc := slices.Clone(model)
	desc := slices.Clone(model)
	slices.Reverse(desc)
	lo, _ := slices.BinarySearchFunc(model, item{key: pivot}, cmpItem)
	hi, found := slices.BinarySearchFunc(model, item{key: pivot}, cmpItem)
	if found {
		hi++
	}
	n := len(model)
	cases := []struct {
		name string
		got  func(yield func(item) bool)
		want []item
	}{
		{"All", t.All(), asc},
		{fmt.Sprintf("AscendFrom(%d)", pivot), t.AscendFrom(item{key: pivot}), asc[lo:]},
		{fmt.Sprintf("DescendFrom(%d)", pivot), t.DescendFrom(item{key: pivot}), desc[n-hi:]},
		{fmt.Sprintf("AscendAt(%d)", rank), t.AscendAt(rank), asc[min(max(rank, 0), n):]},
		{fmt.Sprintf("DescendAt(%d)", rank), t.DescendAt(rank), desc[n-min(max(rank+1, 0), n):]},
	}
	for _, c := range cases {
		want := c.want
		if limit > 0 && len(want) > limit {
			want = want[:limit]
		}
		var got []item
		for it := range c.got {
			got = append(got, it)
			if len(got) == limit {
				break
			}
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("%s (limit %d) yields\n%v\nwant\n%v", c.name, limit, got, want)
		}
	}
	return nil
}

func abs(x int) int {
	if x < 0 {
		if x == -x { // the least int
			return 0
		}
		return -x
	}
	return x
}
