package fsm

import "encoding/binary"

// A list chunk packs its elements into one byte buffer, as a Redis
// listpack does. Each entry is
//
//	uvarint(n) | n bytes | backlen
//
// where backlen is the size of the first two parts written as a uvarint
// with its bytes in reverse order, so that it can be read from its last
// byte. The length in front lets a reader walk forward, the one behind
// lets it walk backward (RPOP, LRANGE from the tail, LREM with a negative
// count) without scanning the chunk from its start. An element of up to
// 125 bytes costs two bytes besides its own, as in Redis's listpack.
//
// A chunk's buffer has free room before the entries (buf[:off]) and after
// them (cap(buf)-len(buf)), so that a push at either end of the list
// moves no bytes, and so does a pop: LPOP only advances off.

// chunk is a run of consecutive elements of a list.
type chunk struct {
	buf []byte // the entries are buf[off:]
	off int32  // bytes of free room before the first entry
	n   int32  // number of entries
	// owner is the id of the list that may change this chunk in place. A
	// chunk shared by a list and its clones (see listValue.clone) belongs
	// to none of them and is copied by the first one that changes it.
	owner uint64
}

// chunkOverhead is the memory a chunk costs besides its buffer: the struct
// (48-byte size class) and its slot in the list's chunk array.
const chunkOverhead = 56

func (ch *chunk) data() []byte { return ch.buf[ch.off:] }
func (ch *chunk) size() int    { return len(ch.buf) - int(ch.off) }
func (ch *chunk) mem() int     { return chunkOverhead + cap(ch.buf) }

// entrySize is the bytes an element of n bytes takes in a chunk.
func entrySize(n int) int {
	h := uvarintLen(uint64(n)) + n
	return h + uvarintLen(uint64(h))
}

// putEntry encodes e at the start of dst, which has room for
// entrySize(len(e)) bytes, and returns the bytes written.
func putEntry(dst, e []byte) int {
	w := binary.PutUvarint(dst, uint64(len(e)))
	w += copy(dst[w:], e)
	var back [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(back[:], uint64(w))
	for i := k - 1; i >= 0; i-- {
		dst[w] = back[i]
		w++
	}
	return w
}

// entryAt decodes the entry that starts at off in data: its element and
// the offset of the entry after it.
func entryAt(data []byte, off int) (elem []byte, next int) {
	if b := int(data[off]); b < 126 {
		// One length byte and one backlen byte (see skipEntry).
		end := off + 1 + b
		return data[off+1 : end : end], end + 1
	}
	n, w := binary.Uvarint(data[off:])
	start := off + w
	end := start + int(n)
	return data[start:end:end], end + uvarintLen(uint64(end-off))
}

// entryBefore decodes the entry that ends at end in data: its element and
// the offset it starts at.
func entryBefore(data []byte, end int) (elem []byte, start int) {
	pos := end - 1
	b := data[pos]
	v := uint64(b & 0x7f)
	for shift := 7; b&0x80 != 0; shift += 7 {
		pos--
		b = data[pos]
		v |= uint64(b&0x7f) << shift
	}
	start = pos - int(v)
	elem, _ = entryAt(data, start)
	return elem, start
}

// skipEntry returns the offset of the entry after the one at off.
func skipEntry(data []byte, off int) int {
	if b := data[off]; b < 126 {
		// One length byte and, the entry being under 128 bytes, one
		// backlen byte: the common case, without decoding varints.
		return off + int(b) + 2
	}
	_, next := entryAt(data, off)
	return next
}

// skipEntryBack returns the offset of the entry that ends at end.
func skipEntryBack(data []byte, end int) int {
	if b := data[end-1]; b < 0x80 {
		return end - 1 - int(b)
	}
	_, start := entryBefore(data, end)
	return start
}

// offsetOf returns the byte offset of entry k of the chunk (its size for
// k == n), walking from the nearer end.
func (ch *chunk) offsetOf(k int) int {
	data := ch.data()
	if k <= int(ch.n)/2 {
		off := 0
		for range k {
			off = skipEntry(data, off)
		}
		return off
	}
	off := len(data)
	for range int(ch.n) - k {
		off = skipEntryBack(data, off)
	}
	return off
}

// removeBytes deletes data bytes [from, to) of an owned chunk, moving the
// shorter side: deleting at the front only advances off.
func (ch *chunk) removeBytes(from, to int) {
	data := ch.data()
	gap := to - from
	if from < len(data)-to {
		copy(data[gap:to], data[:from])
		ch.off += int32(gap)
		return
	}
	copy(data[from:], data[to:])
	ch.buf = ch.buf[:len(ch.buf)-gap]
}
