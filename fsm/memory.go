package fsm

// MemoryUsage is MEMORY USAGE: the estimated bytes key and its value take
// in database db (the share of INFO used_memory that deleting the key
// would free), and whether the key exists at time now (ms; a key whose
// deadline has passed is absent, as for every read).
func (f *FSM) MemoryUsage(db int, key []byte, now int64) (int64, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	it, ok := f.dbs[db].get(string(key))
	if !ok || it.expired(now) {
		return 0, false
	}
	return itemSize(&it), true
}
