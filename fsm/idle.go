package fsm

// Idle time (OBJECT IDLETIME, RESTORE ... IDLETIME, the RDB IDLE opcode).
//
// Redis stamps every object with its LRU clock, the Unix time in seconds
// modulo 2^24, whenever a command looks the key up, reads included, and
// OBJECT IDLETIME is the time since. raftis's reads never change the data
// set (they run on any node, under a read lock, and are not in the log),
// so its stamp is the time of the last write that stored or changed the
// key, from the entry's time: the same on every node. An item carries the
// stamp in 32 bits next to its 32-bit snapshot generation, in the word the
// generation alone used to take, so it costs no memory.
//
// The arithmetic is Redis's own, wrap-around included, so RESTORE with
// IDLETIME and OBJECT IDLETIME answer as Redis does.

const (
	lruBits     = 24
	lruClockMax = 1<<lruBits - 1 // Redis's LRU_CLOCK_MAX
)

// lruClock is Redis's LRU clock at time ms.
func lruClock(ms int64) uint32 { return uint32((ms / 1000) & lruClockMax) }

// lru is the LRU clock at the command's time.
func (c *Ctx) lru() uint32 { return lruClock(c.now) }

// idleSeconds is the idle time of an object stamped lru when the LRU clock
// reads clock, as Redis's estimateObjectIdleTime computes it (the stamp
// may be "in the future" after the clock wrapped).
func idleSeconds(clock, lru uint32) int64 {
	if clock >= lru {
		return int64(clock - lru)
	}
	return int64(clock) + int64(lruClockMax-lru)
}

// lruForIdle is the stamp Redis gives an object restored with an idle time
// of idle seconds at LRU clock clock (objectSetLRUOrLFU): the clock minus
// the idle time, plus LRU_CLOCK_MAX when that is negative. The
// multiplication by the clock's resolution and the subtraction wrap as
// C's do, and the result is cut to the 24 bits Redis stores.
func lruForIdle(clock uint32, idle int64) uint32 {
	idle = int64(uint64(idle)*1000) / 1000
	abs := int64(uint64(clock) - uint64(idle))
	if abs < 0 {
		abs += lruClockMax
	}
	return uint32(abs) & lruClockMax
}

// put stores it in db as written now: its LRU stamp is the command's time.
func (c *Ctx) put(db *DB, it item) {
	it.lru = c.lru()
	db.set(it)
}
