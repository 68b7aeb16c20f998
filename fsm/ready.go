package fsm

// ReadyKey names a key that an applied entry left holding a non-empty list
// or sorted set, so clients blocked on it (BLPOP, BZPOPMIN, ...) may now
// pop. An empty Key means every key of database DB may have changed
// (SWAPDB, FLUSHDB, a snapshot restore).
type ReadyKey struct {
	DB  int
	Key string
}

// SetReadyHook registers fn to be told, after each batch of applied
// entries, which keys became ready. It runs on the goroutine that applies
// entries, after the data set's lock is released, and must not block: it
// should only hand the keys over. Call it before the node starts applying.
func (f *FSM) SetReadyHook(fn func([]ReadyKey)) { f.readyHook = fn }

// signalReady records that key in database dbi is ready. The caller holds
// f.mu for writing.
func (f *FSM) signalReady(dbi int, key string) {
	if f.readyHook != nil {
		f.ready = append(f.ready, ReadyKey{DB: dbi, Key: key})
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
	f.readyHook(keys)
}
