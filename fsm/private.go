package fsm

// Strings changed in place.
//
// SETBIT on a 100 MB bitmap must not copy 100 MB, and a loop of APPENDs
// must not be quadratic, so the commands that change part of a string
// (SETBIT, BITFIELD, SETRANGE, APPEND, PFADD, PFMERGE) change its bytes in
// place. What they may not change is a value a snapshot can see: Snapshot
// shares the values with the live keyspace and Persist reads them while
// Apply goes on. A value stored in an older snapshot generation (item.gen
// below FSM.gen) may be such a value; it is copied once, and the copy,
// stored with the current generation, is changed in place from then on.

// sdsMaxPrealloc is where growth stops doubling, as in Redis's sds.
const sdsMaxPrealloc = 1 << 20

// privateString returns the bytes of the string held by it (none if it is
// a new item), at least n bytes long, for the caller to change in place.
// Bytes past the old end are zero. It is the value itself when it is
// private to this generation and a raw string with the room; otherwise a
// copy. A string that grows gets spare capacity, doubling up to 1 MiB and
// then 1 MiB at a time as Redis's sds does, so repeated growth costs
// amortized O(1) per byte. The result always keeps rawSpare bytes spare:
// a string changed in part is raw (fsm/stringenc.go). The caller stores
// the result with storeString once it is done.
func (c *Ctx) privateString(it item, n int) []byte {
	cur, _ := it.val.(stringValue)
	size := max(len(cur), n)
	// A string with fewer spare bytes is not raw, or may be a shared
	// integer: either way it is copied.
	if it.gen == c.fsm.gen && size+rawSpare <= cap(cur) {
		b := cur[:size]
		clear(b[len(cur):])
		return b
	}
	capacity := size + rawSpare
	if size > len(cur) {
		capacity = max(capacity, grownCap(size))
	}
	b := make([]byte, size, capacity)
	copy(b, cur)
	return b
}

// grownCap is the capacity given to a string that grows to size bytes.
func grownCap(size int) int {
	if size < sdsMaxPrealloc {
		return 2 * size
	}
	return size + sdsMaxPrealloc
}

// storeString stores b as the string of it, raw and private to this
// generation, keeping its key and deadline. Every change goes through
// put, so the keyspace sees each new size of a value.
func (c *Ctx) storeString(it item, b []byte) {
	it.val = rawString(b)
	it.gen = c.fsm.gen
	c.put(c.db, it)
}
