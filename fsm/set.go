package fsm

import (
	"bytes"
	"cmp"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/raftis/raftis/fsm/internal/ranked"
	"github.com/raftis/raftis/fsm/rdb"
)

// setValue is a Redis set, in one of three representations:
//
//   - intset: every member is an integer in canonical form and there are
//     at most set-max-intset-entries of them: an intset (fsm/intset.go),
//     ascending, as Redis keeps them (SMEMBERS returns them in order).
//   - packed: a small set with other members: a listpack in insertion
//     order, within setMaxPackedEntries and setMaxPackedValue. Redis 7.0
//     keeps such sets in a hash table and OBJECT ENCODING says
//     "hashtable"; raftis packs them for memory and says the same.
//   - tree: a ranked.Tree of members ordered by (hash of the member,
//     member), the same on every node, so SSCAN cursors are member
//     hashes, as SCAN's are; Clone is O(1) copy-on-write, and the member
//     at a position (SPOP, SRANDMEMBER) is O(log n).
//
// A set only moves down that list, as in Redis; a set built anew (a STORE
// result, a restore, what a large SPOP leaves) takes the representation
// its members call for.
//
// Limits are node-local, so two nodes may hold the same set in different
// representations. Writes that pick by position (SPOP) therefore pick in
// the canonical order, (hash, member), which every representation can
// produce: the tree's own order, computed on the fly for the bounded flat
// representations.
type setValue struct {
	enc setEncoding
	// flat holds the members of an intset or packed set: an intset or a
	// listpack, according to enc.
	flat []byte
	big  *ranked.Tree[setEntry]
	n    int // number of members
	// data is the bytes of the tree's members, for memSize.
	data int
}

type setEncoding uint8

// Small sets of other members than integers have no setting in Redis 7.0
// (it keeps them in a hash table); raftis keeps them packed below the
// limits Redis 7.2 gave its set listpacks. These are constants, the same
// on every node.
const (
	setMaxPackedEntries = 128
	setMaxPackedValue   = 64
)

const (
	setIntset setEncoding = iota
	setPacked
	setTree
)

// setEntry is a member of a tree set.
type setEntry struct {
	hash   uint64
	member string
}

func setEntryCmp(a, b setEntry) int {
	if a.hash != b.hash {
		return cmp.Compare(a.hash, b.hash)
	}
	return strings.Compare(a.member, b.member)
}

func newSetEntry(member string) setEntry { return setEntry{hash: keyHash(member), member: member} }

// newSet returns an empty set. It starts as an intset, as Redis's result
// sets do; the first member that is not an integer moves it on.
func newSet() *setValue { return &setValue{} }

func (*setValue) Type() string  { return "set" }
func (s *setValue) length() int { return s.n }

func (s *setValue) Encoding() string {
	if s.enc == setIntset {
		return "intset"
	}
	return "hashtable"
}

func (s *setValue) ints() intset   { return intset(s.flat) }
func (s *setValue) lp() listpack   { return listpack(s.flat) }
func (s *setValue) isFlat() bool   { return s.enc != setTree }
func (s *setValue) isIntset() bool { return s.enc == setIntset }

// setHeaderSize is the size of a setValue. setEntryOverhead estimates a
// tree set's bytes per member besides the member's bytes: the 24-byte
// entry (hash and string header) in B-tree nodes about 85% full, and the
// rounding of the member's allocation. Measured: members of 10 bytes take
// about 45 bytes each (TestSetMemSizeEstimate); a tree loaded from a
// snapshot, with full nodes, about 41.
const (
	setHeaderSize    = 56
	setEntryOverhead = 35
)

func (s *setValue) memSize() int {
	if s.big != nil {
		return setHeaderSize + s.data + s.n*setEntryOverhead
	}
	return setHeaderSize + cap(s.flat)
}

func (s *setValue) clone() Value {
	c := *s
	if s.big != nil {
		c.big = s.big.Clone()
	} else if s.flat != nil {
		c.flat = slices.Clip(bytes.Clone(s.flat))
	}
	return &c
}

// intsetMax is set-max-intset-entries, capped as Redis caps it.
func intsetMax(lim *Limits) int64 { return min(lim.SetMaxIntsetEntries, 1<<30) }

// has reports whether m is a member.
func (s *setValue) has(m []byte) bool {
	switch s.enc {
	case setIntset:
		v, ok := parseInt(m)
		return ok && s.ints().has(v)
	case setPacked:
		_, _, ok := s.find(m)
		return ok
	}
	_, ok := s.big.Get(setEntry{hash: keyHash(stringView(m)), member: stringView(m)})
	return ok
}

// find returns the byte range of m in a packed set.
func (s *setValue) find(m []byte) (start, end int, ok bool) {
	lp := s.lp()
	for off := 0; off < len(lp); {
		e, next := lp.next(off)
		if bytes.Equal(e, m) {
			return off, next, true
		}
		off = next
	}
	return 0, 0, false
}

// add adds m and reports whether it is new. The set moves to a larger
// representation when m does not fit the current one under lim.
func (s *setValue) add(lim *Limits, m []byte) bool {
	if s.enc == setIntset {
		v, isInt := parseInt(m)
		if isInt {
			return s.addInt(lim, v)
		}
		s.convert(s.n+1, len(m))
	}
	if s.enc == setPacked {
		if _, _, ok := s.find(m); ok {
			return false
		}
		if s.n+1 > setMaxPackedEntries || len(m) > setMaxPackedValue {
			s.convert(s.n+1, len(m))
		} else {
			// Grown by a quarter at a time, not doubled: memory per
			// member matters more here than amortized appends.
			s.flat = growListpack(s.lp(), elemSize(len(m))).appendElems(m)
			s.n++
			return true
		}
	}
	if _, replaced := s.big.Set(newSetEntry(string(m))); replaced {
		return false
	}
	s.n++
	s.data += len(m)
	return true
}

// addInt adds v to an intset, moving on past set-max-intset-entries.
func (s *setValue) addInt(lim *Limits, v int64) bool {
	ints, added := s.ints().insert(v)
	s.flat = ints
	if !added {
		return false
	}
	s.n++
	if int64(s.n) > intsetMax(lim) {
		s.convert(s.n, 0)
	}
	return true
}

// convert moves an intset or packed set to the next representation that
// holds n members the longest of which has longest bytes (besides the
// members it holds now): packed if they fit, else the tree.
func (s *setValue) convert(n, longest int) {
	if s.enc == setIntset && n <= setMaxPackedEntries && longest <= setMaxPackedValue {
		var lp listpack
		var buf [20]byte
		for i := range s.n {
			lp = lp.appendElems(strconv.AppendInt(buf[:0], s.ints().at(i), 10))
		}
		s.enc, s.flat = setPacked, slices.Clip(lp)
		return
	}
	entries := make([]setEntry, 0, n)
	data := 0
	for m := range s.all() {
		entries = append(entries, newSetEntry(string(m)))
		data += len(m)
	}
	slices.SortFunc(entries, setEntryCmp)
	s.enc, s.flat, s.big, s.data = setTree, nil, ranked.Load(setEntryCmp, entries), data
}

// remove removes m and reports whether it was a member.
func (s *setValue) remove(m []byte) bool {
	switch s.enc {
	case setIntset:
		v, ok := parseInt(m)
		if !ok {
			return false
		}
		ints, removed := s.ints().remove(v)
		if removed {
			s.flat = ints
			s.n--
		}
		return removed
	case setPacked:
		start, end, ok := s.find(m)
		if !ok {
			return false
		}
		s.flat = s.lp().removeRange(start, end)
		if s.n--; s.n == 0 {
			s.flat = nil
		}
		return true
	}
	if _, ok := s.big.Delete(setEntry{hash: keyHash(stringView(m)), member: stringView(m)}); !ok {
		return false
	}
	s.n--
	s.data -= len(m)
	return true
}

// all iterates over the members in the representation's order: ascending
// for an intset, insertion order when packed, hash order in the tree. The
// bytes are only valid until the next iteration and must not be changed.
func (s *setValue) all() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		switch s.enc {
		case setIntset:
			var buf [20]byte
			for i := range s.n {
				if !yield(strconv.AppendInt(buf[:0], s.ints().at(i), 10)) {
					return
				}
			}
		case setPacked:
			lp := s.lp()
			for off := 0; off < len(lp); {
				m, next := lp.next(off)
				if !yield(m) {
					return
				}
				off = next
			}
		default:
			for e := range s.big.All() {
				if !yield(bytesView(e.member)) {
					return
				}
			}
		}
	}
}

// indexer returns a function giving the i-th member in the
// representation's order (SRANDMEMBER), O(1) or O(log n) per call. buf
// is scratch space the result may use.
func (s *setValue) indexer() func(i int, buf []byte) []byte {
	switch s.enc {
	case setIntset:
		ints := s.ints()
		return func(i int, buf []byte) []byte { return strconv.AppendInt(buf[:0], ints.at(i), 10) }
	case setPacked:
		var members [][]byte
		for m := range s.all() {
			members = append(members, m)
		}
		return func(i int, _ []byte) []byte { return members[i] }
	}
	return func(i int, _ []byte) []byte {
		e, _ := s.big.At(i)
		return bytesView(e.member)
	}
}

// rebuild replaces the set with a new one holding the same members, in
// the representation they call for under lim.
func (s *setValue) rebuild(lim *Limits) {
	fresh := newSet()
	for m := range s.all() {
		fresh.add(lim, m)
	}
	*s = *fresh
}

func (s *setValue) writeRDB(w *rdb.Writer, key []byte, expireAtMs int64, canonical bool) error {
	members := s.all()
	if canonical {
		members = s.ordered()
	}
	return w.WriteSet(key, expireAtMs, s.n, members)
}

// setFromRecord builds a set from an RDB record, choosing the
// representation by size and content as Redis does when it loads one: an
// intset if every member is an integer and there are few enough.
func setFromRecord(lim *Limits, members [][]byte) (*setValue, error) {
	if n := len(members); n > setMaxPackedEntries && int64(n) > intsetMax(lim) {
		return setTreeFromRecord(members)
	}
	s := newSet()
	if n := len(members); int64(n) > intsetMax(lim) {
		s.convert(n, 0)
	}
	for _, m := range members {
		if !s.add(lim, m) {
			return nil, errDuplicate("set member", m)
		}
	}
	return s, nil
}

// setTreeFromRecord builds a tree set, with full nodes, from members that
// are too many for the other representations.
func setTreeFromRecord(members [][]byte) (*setValue, error) {
	entries := make([]setEntry, len(members))
	data := 0
	for i, m := range members {
		entries[i] = newSetEntry(string(m))
		data += len(m)
	}
	slices.SortFunc(entries, setEntryCmp)
	for i := 1; i < len(entries); i++ {
		if entries[i] == entries[i-1] {
			return nil, errDuplicate("set member", bytesView(entries[i].member))
		}
	}
	return &setValue{enc: setTree, big: ranked.Load(setEntryCmp, entries), n: len(entries), data: data}, nil
}
