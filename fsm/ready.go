package fsm

// ReadyKey names a key that an applied entry left holding a non-empty list
// or sorted set, so clients blocked on it (BLPOP, BZPOPMIN, ...) may now
// pop. An empty Key means every key of database DB may have changed
// (SWAPDB, a snapshot restore).
type ReadyKey struct {
	DB  int
	Key string
}

// SetReadyHook registers fn to be told, after each batch of applied
// entries, which keys became ready. It runs on the goroutine that applies
// entries, after the data set's lock is released, and must not block: it
// should only hand the keys over. It may be set at any time.
func (f *FSM) SetReadyHook(fn func([]ReadyKey)) { f.readyHook.Store(&fn) }

// signalReady records that key in database dbi is ready. The caller holds
// f.mu for writing.
func (f *FSM) signalReady(dbi int, key string) {
	if f.readyHook.Load() != nil {
		f.ready = append(f.ready, ReadyKey{DB: dbi, Key: key})
	}
}

// signalIfBlocking signals key in database dbi as ready if v is a type
// clients block on: for commands that store a whole value (RENAME, MOVE,
// COPY; RESTORE and SORT ... STORE must do the same).
func (c *Ctx) signalIfBlocking(dbi int, key string, v Value) {
	if isBlockingType(v) {
		c.fsm.signalReady(dbi, key)
	}
}

// deliverReady hands the keys recorded since the last call to the hook.
// The caller must not hold f.mu.
func (f *FSM) deliverReady() {
	if len(f.ready) == 0 {
		return
	}
	keys := f.ready
	f.ready = nil
	if hook := f.readyHook.Load(); hook != nil {
		(*hook)(keys)
	}
}

// Peek tells what key in database db holds, for blocked clients deciding
// whether to try a pop: its type ("" if the key is missing or expired at
// now) and, for a collection, its number of elements.
func (f *FSM) Peek(db int, key string, now int64) (typ string, n int) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	it, ok := f.dbs[db].get(key)
	if !ok || it.expired(now) {
		return "", 0
	}
	if c, isCollection := it.val.(collection); isCollection {
		n = c.length()
	}
	return it.val.Type(), n
}
