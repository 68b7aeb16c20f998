package fsm

// How commands change collections.
//
// A command that changes a collection asks writable for it. writable makes
// the value private to the current snapshot generation first (a snapshot
// being persisted may share the stored one: see item.gen), then records it
// as touched. When the command returns, settle
//
//   - deletes the key if the command left its collection empty (Redis never
//     keeps an empty collection),
//   - adds the change in the value's size to its database's used memory,
//   - signals the key as ready when it holds a list or sorted set that
//     clients may be blocked on,
//   - stamps the key as written now (its LRU clock, for OBJECT IDLETIME).
//
// So no command has to remember any of the three.

// touch is a collection a command is changing in place.
type touch struct {
	db   *DB
	dbi  int
	key  string
	val  collection
	size int // val.memSize() when it was first touched
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
		return v, true, true
	}
	v, isV := it.val.(V)
	if !isV {
		c.Error(ErrWrongType)
		return v, true, false
	}
	if it.gen != c.fsm.gen {
		v = it.val.clone().(V)
		it.val, it.gen = v, c.fsm.gen
		c.put(db, it)
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

// settle finishes the command's changes to the collections it touched.
func (c *Ctx) settle() {
	for i := range c.touched {
		t := &c.touched[i]
		// The size change counts even if the command has since removed
		// the key: delete subtracted the value's size as it was then.
		t.db.used += int64(t.val.memSize() - t.size)
		cur, present := t.db.get(t.key)
		if !present || cur.val != Value(t.val) {
			continue // deleted or replaced by the command itself
		}
		if t.val.length() == 0 {
			t.db.delete(t.key)
			continue
		}
		if isBlockingType(t.val) {
			c.fsm.signalReady(t.dbi, t.key)
		}
		if lru := c.lru(); cur.lru != lru {
			t.db.restamp(cur, lru)
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
