package ranked

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// TestModel runs long random sequences of every operation on a tree and
// clones taken at random moments, against sorted slices, and checks every
// replica after every step: a clone must never see its siblings' changes.
// Small nodes make trees of a few hundred items several levels deep.
func TestModel(t *testing.T) {
	steps := 4000
	if testing.Short() || raceEnabled {
		steps = 600
	}
	for _, maxItems := range []int{2, 3, 4, 5, 8, defaultMax} {
		for seed := range uint64(4) {
			t.Run(fmt.Sprintf("max=%d/seed=%d", maxItems, seed), func(t *testing.T) {
				runModel(t, maxItems, 1000, 0, steps, seed)
			})
		}
	}
}

// TestModelLoaded starts the machine from loaded trees, whose nodes are all
// full, three levels deep with the default node size.
func TestModelLoaded(t *testing.T) {
	for _, maxItems := range []int{2, 5, defaultMax} {
		for seed := range uint64(3) {
			t.Run(fmt.Sprintf("max=%d/seed=%d", maxItems, seed), func(t *testing.T) {
				n := 2 * (maxItems + 1) * (maxItems + 1)
				steps := 400
				if raceEnabled {
					steps = 150
				}
				runModel(t, maxItems, 2*n, n, steps, seed)
			})
		}
	}
}

// runModel runs steps random operations on a machine whose keys are drawn
// from [0, keys) and whose first tree is loaded with the first loaded of
// them.
func runModel(t *testing.T, maxItems, keys, loaded, steps int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, uint64(maxItems)))
	m := newMachine(maxItems, keys)
	for k := range loaded {
		m.replicas[0].model = append(m.replicas[0].model, item{key: k, val: k})
	}
	m.replicas[0].tree = load(cmpItem, m.replicas[0].model, maxItems)
	for i := range steps {
		op := pickOp(rng, (i/500+int(seed))%3)
		err := m.step(op, rng.IntN(maxReplicas), rng.IntN(2*keys)-keys/4, rng.IntN(64))
		if err == nil {
			err = m.check()
		}
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, m.history())
		}
	}
}

// pickOp draws an operation for the machine. Phases that mostly insert
// (0), mostly delete (1) or mix evenly (2) let trees grow to several levels
// and shrink back to nothing.
func pickOp(rng *rand.Rand, phase int) int {
	const inserts, deletes = 6, 6 // ops [0, 6) insert, [6, 12) delete
	p := rng.IntN(100)
	switch {
	case phase == 2 || p >= 90:
		return rng.IntN(numOps)
	case (phase == 0) == (p < 80):
		return rng.IntN(inserts)
	default:
		return inserts + rng.IntN(deletes)
	}
}

// TestIteratorsEveryPosition starts every iterator at every rank and at
// every key (present, between items, and out of range) of trees of every
// size up to a few levels, built by inserts and by Load.
func TestIteratorsEveryPosition(t *testing.T) {
	for _, maxItems := range []int{2, 3, 6} {
		for n := 0; n <= 60; n++ {
			model := make([]item, n)
			for i := range model {
				model[i] = item{key: 2 * i, val: i}
			}
			byInsert := newTree(cmpItem, maxItems)
			for _, i := range rand.New(rand.NewPCG(uint64(n), 0)).Perm(n) {
				byInsert.Set(model[i])
			}
			for name, tree := range map[string]*Tree[item]{"insert": byInsert, "load": load(cmpItem, model, maxItems)} {
				if err := checkTree(tree); err != nil {
					t.Fatalf("maxItems %d, %d items by %s: %v", maxItems, n, name, err)
				}
				for pos := -3; pos <= 2*n+3; pos++ {
					for _, limit := range []int{0, 1, 3} {
						if err := checkIterators(tree, model, pos, pos/2, limit); err != nil {
							t.Fatalf("maxItems %d, %d items by %s: %v", maxItems, n, name, err)
						}
					}
					if err := checkLookups(tree, model, pos, pos/2); err != nil {
						t.Fatalf("maxItems %d, %d items by %s: %v", maxItems, n, name, err)
					}
				}
			}
		}
	}
}

func TestLoad(t *testing.T) {
	for _, maxItems := range []int{2, 3, 7, defaultMax} {
		for _, n := range []int{0, 1, 2, 3, maxItems, maxItems + 1, 2*maxItems + 1, 2*maxItems + 2, 1000, 4000, 10000} {
			model := make([]item, n)
			for i := range model {
				model[i] = item{key: i * 3, val: -i}
			}
			tree := load(cmpItem, model, maxItems)
			if err := checkTree(tree); err != nil {
				t.Fatalf("maxItems %d, %d items: %v", maxItems, n, err)
			}
			if got := slices.Collect(tree.All()); !slices.Equal(got, model) {
				t.Fatalf("maxItems %d, %d items: loaded tree holds %d items, not the input", maxItems, n, len(got))
			}
			// A loaded tree takes further changes like any other.
			tree.Set(item{key: 1})
			tree.Delete(item{key: 0})
			if err := checkTree(tree); err != nil {
				t.Fatalf("maxItems %d, %d items, after changes: %v", maxItems, n, err)
			}
		}
	}
}

func TestLoadRefusesUnsortedInput(t *testing.T) {
	for name, input := range map[string][]item{
		"descending": {{key: 2}, {key: 1}},
		"duplicate":  {{key: 1}, {key: 2}, {key: 2}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Load of %s input did not panic", name)
				}
			}()
			Load(cmpItem, input)
		}()
	}
}

// TestFill checks how full the nodes stay, which decides the memory per
// item: random inserts must keep leaves at least 75% full on average, and
// ascending, descending and loaded trees must keep them nearly full.
func TestFill(t *testing.T) {
	const n = 100_000
	keys := rand.New(rand.NewPCG(1, 2)).Perm(n)
	sorted := make([]item, n)
	for i := range sorted {
		sorted[i] = item{key: i}
	}
	random, ascending, descending := New(cmpItem), New(cmpItem), New(cmpItem)
	for i, k := range keys {
		random.Set(item{key: k})
		ascending.Set(item{key: i})
		descending.Set(item{key: n - i})
	}
	for _, c := range []struct {
		name string
		tree *Tree[item]
		want float64
	}{
		{"random", random, 0.75},
		{"ascending", ascending, 0.95},
		{"descending", descending, 0.95},
		{"load", Load(cmpItem, sorted), 0.95},
	} {
		if err := checkTree(c.tree); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		items, slots := leafFill(c.tree.root)
		fill := float64(items) / float64(slots)
		t.Logf("%s: leaves %.1f%% full", c.name, 100*fill)
		if fill < c.want {
			t.Errorf("%s inserts leave leaves %.1f%% full, want at least %.0f%%", c.name, 100*fill, 100*c.want)
		}
	}
}

// leafFill returns the items in the leaves of n and the slots they have.
func leafFill[T any](n *node[T]) (items, slots int) {
	if n.leaf() {
		return n.n, nodeSlots
	}
	for _, c := range n.kids.child[:n.n+1] {
		i, s := leafFill(c)
		items += i
		slots += s
	}
	return items, slots
}

// TestCloneWritesCopyOnlyThePath checks that the first write after a clone
// copies one node per level, and a second write to the same place none.
func TestCloneWritesCopyOnlyThePath(t *testing.T) {
	sorted := make([]item, 100_000)
	for i := range sorted {
		sorted[i] = item{key: 2 * i}
	}
	tree := Load(cmpItem, sorted)
	height := 0
	for n := tree.root; n != nil; height++ {
		if n.leaf() {
			n = nil
		} else {
			n = n.kids.child[0]
		}
	}
	snap := tree.Clone()
	before := ownedNodes(tree)
	tree.Set(item{key: 5001, val: 1})
	// A full leaf splits two nodes into three: the path, the sibling it
	// shares with, and the new node.
	if got := ownedNodes(tree) - before; got < height || got > height+2 {
		t.Errorf("first write after a clone made %d nodes its own, want %d to %d", got, height, height+2)
	}
	before = ownedNodes(tree)
	tree.Set(item{key: 5001, val: 2})
	if got := ownedNodes(tree) - before; got != 0 {
		t.Errorf("second write to the same place copied %d nodes", got)
	}
	if got, _ := snap.Get(item{key: 5001}); got != (item{}) {
		t.Errorf("clone sees the original's write: %v", got)
	}
	if snap.Len() != len(sorted) || tree.Len() != len(sorted)+1 {
		t.Errorf("lengths %d and %d, want %d and %d", snap.Len(), tree.Len(), len(sorted), len(sorted)+1)
	}
	if err := checkOwnership([]*Tree[item]{tree, snap}); err != nil {
		t.Fatal(err)
	}
}

func ownedNodes[T any](t *Tree[T]) int {
	var count func(n *node[T]) int
	count = func(n *node[T]) int {
		c := 0
		if n.isoid == t.isoid {
			c = 1
		}
		if !n.leaf() {
			for _, k := range n.kids.child[:n.n+1] {
				c += count(k)
			}
		}
		return c
	}
	return count(t.root)
}

// TestCloneReadWhileOriginalChanges is for the race detector: one goroutine
// iterates and searches a clone while another changes the original, and
// a third changes a second clone.
func TestCloneReadWhileOriginalChanges(t *testing.T) {
	const n = 20_000
	sorted := make([]item, n)
	for i := range sorted {
		sorted[i] = item{key: 2 * i, val: i}
	}
	for round := range 3 {
		tree := Load(cmpItem, sorted)
		snap := tree.Clone()
		other := tree.Clone()
		var wg sync.WaitGroup
		wg.Add(3)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(round), 1))
			for i := range n {
				switch i % 4 {
				case 0:
					tree.Set(item{key: rng.IntN(2 * n), val: -1})
				case 1:
					tree.Delete(item{key: rng.IntN(2 * n)})
				case 2:
					tree.PopMin()
				case 3:
					tree.DeleteAt(rng.IntN(tree.Len()))
				}
			}
		}()
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(round), 2))
			for i := range n {
				other.Set(item{key: 2*n + i})
				other.Delete(item{key: 2 * rng.IntN(n)})
			}
		}()
		errs := make(chan error, 1)
		go func() {
			defer wg.Done()
			errs <- readUnchanged(snap, sorted)
		}()
		wg.Wait()
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		for _, tr := range []*Tree[item]{tree, snap, other} {
			if err := checkTree(tr); err != nil {
				t.Fatal(err)
			}
		}
		if err := checkOwnership([]*Tree[item]{tree, snap, other}); err != nil {
			t.Fatal(err)
		}
	}
}

// readUnchanged reads all of snap several ways and compares it with want.
func readUnchanged(snap *Tree[item], want []item) error {
	for pass := range 5 {
		i := 0
		for it := range snap.All() {
			if it != want[i] {
				return fmt.Errorf("pass %d: clone item %d is %v, want %v", pass, i, it, want[i])
			}
			i++
		}
		if i != len(want) {
			return fmt.Errorf("pass %d: clone yields %d items, want %d", pass, i, len(want))
		}
		for j := pass; j < len(want); j += 97 {
			if got, ok := snap.At(j); !ok || got != want[j] {
				return fmt.Errorf("clone At(%d) = %v", j, got)
			}
			if r, ok := snap.Rank(want[j]); !ok || r != j {
				return fmt.Errorf("clone Rank(%v) = %d", want[j], r)
			}
		}
	}
	return nil
}

func TestNewRefusesNilComparison(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(nil) did not panic")
		}
	}()
	New[item](nil)
}

// TestIteratorsDoNotAllocatePerItem walks 10 and 2000 items with every
// iterator: starting a range loop over one allocates a few closures, the
// items must allocate nothing.
func TestIteratorsDoNotAllocatePerItem(t *testing.T) {
	sorted := make([]item, 10_000)
	for i := range sorted {
		sorted[i] = item{key: i}
	}
	tree := Load(cmpItem, sorted)
	pivot := item{key: 5000}
	for name, seq := range map[string]func() func(func(item) bool){
		"All":         func() func(func(item) bool) { return tree.All() },
		"AscendFrom":  func() func(func(item) bool) { return tree.AscendFrom(pivot) },
		"AscendAt":    func() func(func(item) bool) { return tree.AscendAt(3000) },
		"DescendFrom": func() func(func(item) bool) { return tree.DescendFrom(pivot) },
		"DescendAt":   func() func(func(item) bool) { return tree.DescendAt(7000) },
	} {
		walk := func(limit int) float64 {
			return testing.AllocsPerRun(10, func() {
				n := 0
				for range seq() {
					if n++; n == limit {
						break
					}
				}
			})
		}
		if few, many := walk(10), walk(2000); many != few {
			t.Errorf("%s: %.0f allocations for 10 items, %.0f for 2000", name, few, many)
		}
	}
}
