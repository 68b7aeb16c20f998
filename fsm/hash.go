package fsm

import (
	"bytes"
	"iter"
	"slices"

	"github.com/tidwall/btree"

	"github.com/raftis/raftis/fsm/rdb"
)

// hashValue is a Redis hash. It starts packed, as Redis's listpack
// encoding: fields and values alternate in one listpack, in insertion
// order. Once it passes the node's hash-max-listpack-* limits it moves, for
// good, to a B-tree of entries ordered by (hash of the field, field) — the
// "hashtable" encoding. That order is the same on every node, so HSCAN
// cursors are field hashes, valid on any node, and the tree's Copy is O(1)
// copy-on-write, so cloning a large hash for a snapshot costs nothing
// until its nodes change.
type hashValue struct {
	lp  listpack // packed: field, value, field, value, ...
	n   int      // number of fields
	big *btree.BTreeG[hashEntry]
	// data is the bytes of fields and values, for memSize.
	data int
}

type hashEntry struct {
	hash         uint64
	field, value string
}

func hashEntryLess(a, b hashEntry) bool {
	if a.hash != b.hash {
		return a.hash < b.hash
	}
	return a.field < b.field
}

func newHash() *hashValue { return &hashValue{} }

func newHashTree() *btree.BTreeG[hashEntry] {
	return btree.NewBTreeGOptions(hashEntryLess, btree.Options{NoLocks: true})
}

func (*hashValue) Type() string  { return "hash" }
func (h *hashValue) length() int { return h.n }

func (h *hashValue) Encoding() string {
	if h.big != nil {
		return "hashtable"
	}
	return "listpack"
}

// hashEntryOverhead estimates a large hash's bytes per field besides the
// field and value: the entry (hash and two string headers, 40 bytes) in a
// B-tree node with the tree's slack, and the allocator's rounding of the
// field's and the value's strings (TestHashMemSizeEstimate measures it).
const hashEntryOverhead = 72

func (h *hashValue) memSize() int {
	if h.big != nil {
		return 48 + h.data + h.n*hashEntryOverhead
	}
	return 48 + cap(h.lp)
}

func (h *hashValue) clone() Value {
	c := *h
	if h.big != nil {
		c.big = h.big.Copy()
	} else {
		c.lp = slices.Clip(bytes.Clone(h.lp))
	}
	return &c
}

// find returns the offsets of field's entry in the packed encoding:
// where its field starts and where its value ends. ok is false if the
// field is absent.
func (h *hashValue) find(field []byte) (start, valueOff, end int, ok bool) {
	for off := 0; off < len(h.lp); {
		f, vOff := h.lp.next(off)
		_, next := h.lp.next(vOff)
		if bytes.Equal(f, field) {
			return off, vOff, next, true
		}
		off = next
	}
	return 0, 0, 0, false
}

// get returns field's value. The bytes must not be kept past the command.
func (h *hashValue) get(field []byte) ([]byte, bool) {
	if h.big != nil {
		e, ok := h.big.Get(hashEntry{hash: keyHash(stringView(field)), field: stringView(field)})
		if !ok {
			return nil, false
		}
		return bytesView(e.value), true
	}
	_, vOff, _, ok := h.find(field)
	if !ok {
		return nil, false
	}
	v, _ := h.lp.next(vOff)
	return v, true
}

// set stores field = value and reports whether the field is new.
func (h *hashValue) set(lim *Limits, field, value []byte) bool {
	if h.big == nil && (int64(len(field)) > lim.HashMaxListpackValue || int64(len(value)) > lim.HashMaxListpackValue) {
		h.convert()
	}
	if h.big != nil {
		prev, replaced := h.big.Set(hashEntry{hash: keyHash(stringView(field)), field: string(field), value: string(value)})
		h.data += len(value)
		if replaced {
			h.data -= len(prev.value)
			return false
		}
		h.data += len(field)
		h.n++
		return true
	}
	if _, vOff, end, ok := h.find(field); ok {
		old, _ := h.lp.next(vOff)
		h.data += len(value) - len(old)
		h.lp = h.lp.replaceRange(vOff, end, value)
		return false
	}
	h.lp = h.lp.appendElems(field, value)
	h.n++
	h.data += len(field) + len(value)
	if int64(h.n) > lim.HashMaxListpackEntries {
		h.convert()
	}
	return true
}

// del removes field and reports whether it was there.
func (h *hashValue) del(field []byte) bool {
	if h.big != nil {
		prev, ok := h.big.Delete(hashEntry{hash: keyHash(stringView(field)), field: stringView(field)})
		if ok {
			h.n--
			h.data -= len(prev.field) + len(prev.value)
		}
		return ok
	}
	start, vOff, end, ok := h.find(field)
	if !ok {
		return false
	}
	v, _ := h.lp.next(vOff)
	h.data -= len(field) + len(v)
	h.lp = h.lp.removeRange(start, end)
	h.n--
	if h.n == 0 {
		h.lp = nil
	}
	return true
}

// convert moves a packed hash to the B-tree encoding.
func (h *hashValue) convert() {
	t := newHashTree()
	for f, v := range h.all() {
		t.Set(hashEntry{hash: keyHash(string(f)), field: string(f), value: string(v)})
	}
	h.big, h.lp = t, nil
}

// all iterates over the fields and values in the encoding's order. The
// bytes must not be kept or changed.
func (h *hashValue) all() iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if h.big != nil {
			h.big.Scan(func(e hashEntry) bool {
				return yield(bytesView(e.field), bytesView(e.value))
			})
			return
		}
		for off := 0; off < len(h.lp); {
			f, vOff := h.lp.next(off)
			v, next := h.lp.next(vOff)
			if !yield(f, v) {
				return
			}
			off = next
		}
	}
}

// at returns the i-th field and value in the encoding's order (HRANDFIELD).
func (h *hashValue) at(i int) (field, value []byte) {
	if h.big != nil {
		e, _ := h.big.GetAt(i)
		return bytesView(e.field), bytesView(e.value)
	}
	for f, v := range h.all() {
		if i == 0 {
			return f, v
		}
		i--
	}
	return nil, nil
}

// canonical iterates in (hash, field) order, the large encoding's order,
// whatever the encoding.
func (h *hashValue) canonical() iter.Seq2[[]byte, []byte] {
	if h.big != nil {
		return h.all()
	}
	entries := make([]hashEntry, 0, h.n)
	for f, v := range h.all() {
		entries = append(entries, hashEntry{hash: keyHash(stringView(f)), field: stringView(f), value: stringView(v)})
	}
	slices.SortFunc(entries, func(a, b hashEntry) int {
		if hashEntryLess(a, b) {
			return -1
		}
		return 1
	})
	return func(yield func([]byte, []byte) bool) {
		for _, e := range entries {
			if !yield(bytesView(e.field), bytesView(e.value)) {
				return
			}
		}
	}
}

func (h *hashValue) writeRDB(w *rdb.Writer, key []byte, expireAtMs int64, canonical bool) error {
	fields := h.all()
	if canonical {
		fields = h.canonical()
	}
	return w.WriteHash(key, expireAtMs, h.n, fields)
}

// hashFromRecord builds a hash from an RDB record, choosing the encoding
// by size as Redis does when it loads one.
func hashFromRecord(lim *Limits, fields []rdb.HashField) (*hashValue, error) {
	h := newHash()
	if int64(len(fields)) > lim.HashMaxListpackEntries {
		h.big = newHashTree()
	}
	for _, f := range fields {
		if !h.set(lim, f.Field, f.Value) {
			return nil, errDuplicate("hash field", f.Field)
		}
	}
	return h, nil
}
