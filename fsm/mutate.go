package fsm

// How commands change collections.
//
// A command that changes a collection asks writable for it. writable makes
// the value private to the current snapshot generation first (a snapshot
// being persisted may share the stored one: see item.gen), then records it
// as touched. When the command returns, settle
//
//   - stamps the key with the entry's index (item.mod, what WATCH guards
//     compare with), unless the command called unchanged,
//   - deletes the key if the command left its collection empty (Redis never
//     keeps an empty collection),
//   - adds the change in the value's size to its database's used memory,
//   - signals the key as ready when it holds a list or sorted set that
//     clients may be blocked on,
//   - stamps the key as written now (its LRU clock, for OBJECT IDLETIME).
//
// So no command has to remember any of them. A command that asks for a
// collection it may end up not changing (HDEL of missing fields, LREM of
// absent elements) calls unchanged on that path: Redis does not count
// such a call as touching the key, and a WATCH on it still holds. A
// command that replies an error has changed nothing (nothing is ever half
// applied), so settle stamps nothing then. When in doubt, leave it
// changed: a transaction that aborts for nothing is safe, one that runs
// over a change is not.

// touch is a collection a command is changing in place.
type touch struct {
	db   *DB
	dbi  int
	key  string
	val  collection
	size int // val.memSize() when it was first touched
	// created: writable made the collection for this command.
	// unchanged: the command says it changed nothing.
	created, unchanged bool
}

// lookupAs returns key's live value if it holds a V. found is false when
// the key is missing; ok is false (and WRONGTYPE replied) when it holds
// another type.
func lookupAs[V Value](c *Ctx, key []byte) (v V, found, ok bool) {
	it, found := c.lookup(key)
	if !found {
		return v, false, true
	}
	v, isV := it.val.(V)
	if !isV {
		c.Error(ErrWrongType)
		return v, true, false
	}
	return v, true, true
}

// writable returns key's collection, ready to be changed in place. A
// missing key gets a new, empty collection from create, stored at once;
// with a nil create a missing key gives found=false and nothing is
// stored. ok is false (and WRONGTYPE replied) when the key holds another
// type.
func writable[V collection](c *Ctx, key []byte, create func() V) (v V, found, ok bool) {
	return writableIn(c, c.dbi, key, create)
}

// writableIn is writable in database dbi.
func writableIn[V collection](c *Ctx, dbi int, key []byte, create func() V) (v V, found, ok bool) {
	db := c.fsm.dbs[dbi]
	it, found := c.lookupIn(db, string(key))
	if !found {
		if create == nil {
			return v, false, true
		}
		v = create()
		c.put(db, item{key: string(key), val: v, gen: c.fsm.gen})
		c.touch(db, dbi, string(key), v)
		c.touched[len(c.touched)-1].created = true
		return v, true, true
	}
	v, isV := it.val.(V)
	if !isV {
		c.Error(ErrWrongType)
		return v, true, false
	}
	if it.gen != c.fsm.gen {
		// A copy for the snapshot's sake, not a change: mod stays.
		v = it.val.clone().(V)
		it.val, it.gen = v, c.fsm.gen
		db.put(it)
	}
	c.touch(db, dbi, it.key, v)
	return v, true, true
}

func (c *Ctx) touch(db *DB, dbi int, key string, v collection) {
	for _, t := range c.touched {
		if t.val == v {
			return
		}
	}
	c.touched = append(c.touched, touch{db: db, dbi: dbi, key: key, val: v, size: v.memSize()})
}

// unchanged tells settle that the command left v as it found it.
func (c *Ctx) unchanged(v collection) {
	for i := range c.touched {
		if c.touched[i].val == v {
			c.touched[i].unchanged = true
		}
	}
}

// settle finishes the command's changes to the collections it touched.
// failed: the command replied an error.
func (c *Ctx) settle(failed bool) {
	for i := range c.touched {
		t := &c.touched[i]
		t.unchanged = t.unchanged || failed
		// The size change counts even if the command has since removed
		// the key: delete subtracted the value's size as it was then.
		t.db.used += int64(t.val.memSize() - t.size)
		p := t.db.keys.get(t.key)
		if p == nil || p.val != Value(t.val) {
			continue // deleted or replaced by the command itself
		}
		switch {
		case t.val.length() == 0 && t.created:
			t.db.remove(t.key) // made and left empty: it never existed
		case t.val.length() == 0:
			t.db.gone.add(t.key, t.db.stamp()) // its last change is its deletion
			t.db.remove(t.key)
		default:
			// A write looks the key up: its LRU stamp is renewed even
			// when nothing changed, as in Redis; its mod only on a change.
			lru := c.lru()
			if !t.unchanged || p.lru != lru {
				cur := *p
				if !t.unchanged {
					cur.mod = t.db.stamp()
				}
				cur.lru = lru
				t.db.keys.update(p, cur)
			}
			if isBlockingType(t.val) {
				c.fsm.signalReady(t.dbi, t.key)
			}
		}
	}
	c.touched = c.touched[:0]
}

// isBlockingType reports whether clients may block waiting for v's type:
// lists and sorted sets.
func isBlockingType(v Value) bool {
	switch v.Type() {
	case "list", "zset":
		return true
	}
	return false
}
