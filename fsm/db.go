package fsm

import "github.com/tidwall/btree"

// NumDatabases is the number of logical databases, as in Redis's default.
const NumDatabases = 16

// item is the record of one key (see keyspace).
type item struct {
	key      string
	val      Value
	expireAt int64  // absolute deadline in ms; 0 = no expiry
	gen      uint32 // snapshot generation val was made private in
	lru      uint32 // Redis's LRU clock when the key was last written (idle.go)
	// mod is the index of the log entry that last changed the key (its
	// value or deadline): what a WATCH guard compares with (watch.go).
	// db.set and settle stamp it; nothing else may change a key.
	mod uint64
	// rec is the snapshot generation the record was made in: the
	// keyspace changes it in place only within that generation.
	rec uint32
}

// expired reports whether the item's deadline is at or before now.
func (it *item) expired(now int64) bool { return it.expireAt != 0 && it.expireAt <= now }

// DB is one logical database.
type DB struct {
	keys keyspace
	// volatile holds the deadline of every key that has one. It lets the
	// leader find expired keys without walking the keyspace. Snapshots
	// don't need it (items carry their deadline), so it is a plain map
	// rebuilt on Restore.
	volatile map[string]int64
	// used is the estimated bytes of the keys and values (itemSize), kept
	// up to date by set, delete and settle.
	used int64
	// watchState is what WATCH guards need besides item.mod: deleted
	// keys, the highest index stamped, the last SWAPDB (watch.go).
	watchState
}

// itemOverhead is the estimated cost of a key besides its name and value:
// its record, its entry in the hash index and its slot in the ordered tree,
// with their slack.
const itemOverhead = 128

// itemSize estimates the bytes key and value take in the keyspace.
func itemSize(it *item) int64 {
	return int64(itemOverhead + len(it.key) + it.val.memSize())
}

// newDB returns an empty database whose changes are stamped with the
// index at points to (the FSM's index of the entry being applied) and
// whose records belong to the snapshot generation gen points to.
func newDB(at *uint64, gen *uint32) *DB {
	return &DB{
		keys:       newKeyspace(gen),
		volatile:   make(map[string]int64),
		watchState: watchState{at: at},
	}
}

// Len is the number of keys, expired or not, as DBSIZE reports.
func (db *DB) Len() int { return db.keys.len() }

// get returns the key's item, expired or not.
func (db *DB) get(key string) (item, bool) {
	if p := db.keys.get(key); p != nil {
		return *p, true
	}
	return item{}, false
}

// set stores it, replacing any previous item of the same key, as changed
// by the entry being applied.
func (db *DB) set(it item) {
	it.mod = db.stamp()
	db.put(it)
}

// put stores it with the mod it carries: a value copied for a snapshot's
// sake (not a change), or an item loaded from a snapshot.
func (db *DB) put(it item) {
	prev, replaced := db.keys.put(it)
	db.used += itemSize(&it)
	if replaced {
		db.used -= itemSize(&prev)
	}
	if it.expireAt != 0 {
		db.volatile[it.key] = it.expireAt
	} else {
		delete(db.volatile, it.key)
	}
}

// delete removes key and reports whether it existed (expired or not). The
// deletion is remembered for WATCH guards on keys that did not exist.
func (db *DB) delete(key string) bool {
	prev, ok := db.remove(key)
	if ok {
		db.gone.add(key, prev.mod)
	}
	return ok
}

// remove deletes key without remembering it: a collection a command
// created and left empty, which Redis never stored.
func (db *DB) remove(key string) (item, bool) {
	prev, ok := db.keys.delete(key)
	if ok {
		db.used -= itemSize(&prev)
	}
	delete(db.volatile, key)
	return prev, ok
}

// copyForSnapshot returns an O(1) copy-on-write view of the keyspace.
func (db *DB) copyForSnapshot() *btree.BTreeG[slot] { return db.keys.frozen() }
