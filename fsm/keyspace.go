package fsm

import (
	"github.com/cespare/xxhash/v2"
	"github.com/tidwall/btree"
)

// keyspace holds a database's keys twice over, pointing to the same
// records:
//
//   - index, a hash map from the key's 64-bit hash to its record, answers
//     lookups: a GET is one probe of a hash table, as in Redis, where a
//     search of the ordered tree took some fifteen cache misses (seven
//     times slower at 100,000 keys). Keyed by the hash rather than the
//     name, an entry takes 16 bytes instead of 24; keys whose hash another
//     key already holds (xxhash64 collisions: possible, never seen) wait in
//     spill;
//   - order, a copy-on-write B-tree of (hash, record) in (xxhash64(key), key)
//     order, gives what a hash map cannot: an O(1) frozen copy for a
//     snapshot, a SCAN cursor that is the hash to resume from (the same on
//     every node and after restarts), and RANDOMKEY's pick by position.
//
// A snapshot's copy of order shares the records, so a record is changed in
// place only while no snapshot can see it: when it was made in the current
// snapshot generation (item.rec). Otherwise a write makes a new record and
// puts it in both structures, and the snapshot keeps the old one.
type keyspace struct {
	index map[uint64]*item
	spill map[string]*item
	order *btree.BTreeG[slot]
	gen   *uint32 // the FSM's snapshot generation
	// forged, set only by tests, gives the listed keys made-up hashes
	// (collisions). A map rather than a replaceable function: a call
	// through a function value makes every key passed in escape, and a
	// lookup would then copy its key to the heap.
	forged map[string]uint64
}

// slot is a key's place in the ordered tree. The hash is kept beside the
// record so that a search compares keys only when hashes tie.
type slot struct {
	hash uint64
	it   *item // nil in a probe: before every key of its hash
}

func slotLess(a, b slot) bool {
	if a.hash != b.hash {
		return a.hash < b.hash
	}
	return slotKey(a) < slotKey(b)
}

func slotKey(s slot) string {
	if s.it == nil {
		return ""
	}
	return s.it.key
}

func keyHash(key string) uint64 { return xxhash.Sum64String(key) }

func newKeyspace(gen *uint32) keyspace {
	return keyspace{
		index: make(map[uint64]*item),
		order: btree.NewBTreeGOptions(slotLess, btree.Options{NoLocks: true}),
		gen:   gen,
	}
}

// hash is key's place in index and order: keyHash, or a forged hash.
func (k *keyspace) hash(key string) uint64 {
	if k.forged != nil {
		if h, ok := k.forged[key]; ok {
			return h
		}
	}
	return keyHash(key)
}

// len is the number of keys, expired or not.
func (k *keyspace) len() int { return k.order.Len() }

// get returns key's record, or nil. The record must not be changed: put
// decides whether a change may be made in place.
func (k *keyspace) get(key string) *item { return k.find(k.hash(key), key) }

func (k *keyspace) find(h uint64, key string) *item {
	if p := k.index[h]; p != nil && p.key == key {
		return p
	}
	if len(k.spill) == 0 {
		return nil
	}
	return k.spill[key]
}

// put stores it as key it.key's record and returns the record it replaced.
func (k *keyspace) put(it item) (prev item, replaced bool) {
	it.rec = *k.gen
	h := k.hash(it.key)
	p := k.find(h, it.key)
	if p != nil {
		prev, replaced = *p, true
		it.key = p.key // one copy of the name
		if p.rec == it.rec {
			*p = it // no snapshot holds p
			return prev, true
		}
	}
	p = new(item)
	*p = it
	k.link(h, p)
	k.order.Set(slot{hash: h, it: p})
	return prev, replaced
}

// update replaces p, the record get returned, with it (the same key): in
// place when no snapshot holds p, else through put. It spares put's
// lookup when the caller has just found the record.
func (k *keyspace) update(p *item, it item) {
	if p.rec != *k.gen {
		k.put(it)
		return
	}
	it.key, it.rec = p.key, p.rec
	*p = it
}

// link makes p the record the index finds for p.key.
func (k *keyspace) link(h uint64, p *item) {
	if q := k.index[h]; q == nil || q.key == p.key {
		k.index[h] = p
		return
	}
	if k.spill == nil {
		k.spill = make(map[string]*item)
	}
	k.spill[p.key] = p
}

// delete removes key and returns its record.
func (k *keyspace) delete(key string) (item, bool) {
	h := k.hash(key)
	p := k.find(h, key)
	if p == nil {
		return item{}, false
	}
	k.order.Delete(slot{hash: h, it: p})
	if k.index[h] != p {
		delete(k.spill, key)
		return *p, true
	}
	delete(k.index, h)
	// A key of the same hash waiting in spill takes the place.
	for name, q := range k.spill {
		if k.hash(name) == h {
			delete(k.spill, name)
			k.index[h] = q
			break
		}
	}
	return *p, true
}

// frozen returns an O(1) copy-on-write copy of the ordered records for a
// snapshot; the records it holds are never changed again.
func (k *keyspace) frozen() *btree.BTreeG[slot] { return k.order.Copy() }

// ascend calls fn with each key from hash on, in order, until fn returns
// false.
func (k *keyspace) ascend(hash uint64, fn func(hash uint64, it *item) bool) {
	k.order.Ascend(slot{hash: hash}, func(s slot) bool { return fn(s.hash, s.it) })
}

// each calls fn with each key in order until fn returns false.
func (k *keyspace) each(fn func(it *item) bool) { scanSlots(k.order, fn) }

// ascendAt calls fn with each key from position i of the order on, until
// fn returns false.
func (k *keyspace) ascendAt(i int, fn func(it *item) bool) {
	pivot, ok := k.order.GetAt(i)
	if !ok {
		return
	}
	k.order.Ascend(pivot, func(s slot) bool { return fn(s.it) })
}

// scanSlots calls fn with each record of an ordered tree, live or frozen.
func scanSlots(t *btree.BTreeG[slot], fn func(it *item) bool) {
	t.Scan(func(s slot) bool { return fn(s.it) })
}
