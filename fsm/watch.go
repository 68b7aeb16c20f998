package fsm

// WATCH guards.
//
// Redis's WATCH marks a client dirty when a watched key is touched. Here
// WATCH runs on any node, and EXEC is applied by every node from the log,
// so the check must be a function of the replicated state and the entry
// alone. A guard (codec.go) carries the key and what the watching node
// saw: the index of the last entry it had applied, and whether the key
// then held a live value. Every change to a key is stamped with the index
// of the entry that made it (item.mod: db.set and settle, nothing else),
// and what disappeared is remembered well enough to answer "did this key
// change after index i?":
//
//   - a key that exists now changed after i if its mod is above i;
//   - a key deleted since is in its database's tombstones (key → mod of
//     the item deleted), a bounded map that forgets its oldest half at a
//     time, raising a floor: any answer about a forgotten deletion is
//     "maybe" (abort);
//   - FLUSHDB and FLUSHALL record each key they remove as deleted (the
//     new database inherits the tombstones), so a guard fails for a key
//     the flush removed and holds for one that was missing, as in Redis.
//     A database with more keys than the tombstones hold is forgotten at
//     once instead: the new one starts with the floor at the highest
//     index stamped in the old one, so every guard on it from before its
//     last change aborts;
//   - SWAPDB records its index in both databases: any guard on them from
//     before it aborts.
//
// All of it is replicated state: it is in snapshots (snapshot.go), so a
// node that restores one decides every guard as the nodes that applied
// the entries did. An abort where Redis would have run is safe; the
// reverse never happens.
//
// One more rule makes that hold across an upgrade: snapshots written
// before this bookkeeping existed carry no mods. Guards are honoured only
// from the first entry with a transaction (FSM.txnEpoch, also in
// snapshots), which no node of an older version could have applied; a
// guard from before it fails on every node. Watch reports when no such
// entry exists yet, and the server proposes an empty transaction first.

// goneGeneration is how many deletions a database remembers in each of
// its two generations of tombstones.
const goneGeneration = 4096

// watchState is a database's WATCH bookkeeping besides item.mod.
type watchState struct {
	at      *uint64 // the FSM's index of the entry being applied
	changed uint64  // the highest index stamped on this database
	swapped uint64  // index of the last SWAPDB that moved this database
	gone    tombstones
}

// stamp returns the index to record a change under.
func (w *watchState) stamp() uint64 {
	w.changed = *w.at
	return w.changed
}

// inheritWatch carries the bookkeeping of old, emptied by FLUSHDB or
// FLUSHALL, over to its replacement: every key of old is forgotten, so
// the floor rises to the highest index stamped in old.
func (w *watchState) inheritWatch(old *watchState) {
	w.swapped = old.swapped
	w.gone.floor = max(old.gone.floor, old.changed, old.gone.recentMax, old.gone.olderMax)
	w.changed = old.changed
}

// inheritDeletions carries the bookkeeping of old, emptied by FLUSHDB or
// FLUSHALL, over to its replacement with each key of old recorded as
// deleted, as db.delete records one: a guard then fails for a key the
// flush removed (unless the watcher saw it expired and it has not changed
// since) and holds for one that was missing, as in Redis.
func (db *DB) inheritDeletions(old *DB) {
	db.swapped, db.changed = old.swapped, old.changed
	db.gone = old.gone // old is discarded; a snapshot has its own copy of recent
	old.keys.each(func(it *item) bool {
		db.gone.add(it.key, it.mod)
		return true
	})
}

// tombstones remember the keys deleted lately: key → mod of the item
// deleted. When recent fills up it becomes older and the previous older
// generation is forgotten, its highest mod raising floor.
type tombstones struct {
	recent, older       map[string]uint64
	recentMax, olderMax uint64 // the highest mod in each generation
	floor               uint64 // the highest mod of a forgotten deletion
}

func (t *tombstones) add(key string, mod uint64) {
	if t.recent == nil {
		t.recent = make(map[string]uint64)
	}
	t.recent[key] = mod
	t.recentMax = max(t.recentMax, mod)
	if len(t.recent) >= goneGeneration {
		t.floor = max(t.floor, t.olderMax)
		t.older, t.olderMax = t.recent, t.recentMax
		t.recent, t.recentMax = make(map[string]uint64), 0
	}
}

// lookup returns the mod of the last item deleted under key, if known.
func (t *tombstones) lookup(key string) (uint64, bool) {
	if mod, ok := t.recent[key]; ok {
		return mod, true
	}
	mod, ok := t.older[key]
	return mod, ok
}

// guardHolds reports whether g's key is as the watching node saw it: not
// changed by any entry after g.Index, and not expired since if it was
// live. c.now is the entry's time (or the local clock for a read-only
// transaction run on the node).
func (c *Ctx) guardHolds(g *Guard) bool {
	f := c.fsm
	if f.txnEpoch == 0 || g.Index < f.txnEpoch || g.DB < 0 || g.DB >= NumDatabases {
		return false
	}
	db := f.dbs[g.DB]
	if db.swapped > g.Index {
		return false
	}
	key := string(g.Key)
	it, present := db.get(key)
	switch {
	case g.Live:
		// Redis 7.0 also fails EXEC when a watched key has expired since.
		return present && !it.expired(c.now) && it.mod <= g.Index
	case present:
		// It was missing or expired: it must still be expired, and be
		// the item that was there.
		return it.expired(c.now) && it.mod <= g.Index
	}
	if mod, known := db.gone.lookup(key); known {
		// Deleting an item from before the WATCH (which the watcher saw
		// expired) is no change, as in Redis.
		return mod <= g.Index
	}
	return db.gone.floor <= g.Index
}

// execBlock runs a transaction: its guards, then its commands, with one
// array reply.
func (c *Ctx) execBlock(b *Block) {
	for i := range b.Guards {
		if !c.guardHolds(&b.Guards[i]) {
			c.NullArray()
			return
		}
	}
	c.Array(len(b.Cmds))
	for _, cmd := range b.Cmds {
		c.selectDB(cmd.DB)
		c.exec(cmd.Args)
	}
}

// Watch returns a guard for each key of database db as the local data set
// stands now (keys whose deadline is at or before now count as missing,
// as they do for reads). ok is false while no transaction has ever been
// applied: a guard could not hold yet (see txnEpoch), so the caller must
// have one applied first.
func (f *FSM) Watch(db int, now int64, keys ...[]byte) (guards []Guard, ok bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.txnEpoch == 0 {
		return nil, false
	}
	guards = make([]Guard, len(keys))
	for i, key := range keys {
		it, present := f.dbs[db].get(string(key))
		guards[i] = Guard{DB: db, Key: append([]byte(nil), key...), Index: f.index, Live: present && !it.expired(now)}
	}
	return guards, true
}

// ReadBlock runs a transaction of read-only commands against the local
// data set, under one read lock, and appends its reply to dst: the null
// array if a guard fails, else an array of the commands' replies. now and
// seed are as for Read.
func (f *FSM) ReadBlock(dst []byte, now int64, seed uint64, b *Block) []byte {
	f.mu.RLock()
	c := f.readCtx(dst, now, seed)
	c.execBlock(b)
	f.mu.RUnlock()
	return c.out
}
