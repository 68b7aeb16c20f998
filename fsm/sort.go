package fsm

import (
	"bytes"
	"iter"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// SORT and SORT_RO.
//
// Redis's rules, kept here: options are parsed first (the first bad one
// is the reply), then the key is looked up (lists, sets and sorted sets
// sort; other types are WRONGTYPE; a missing key is an empty list).
// Elements sort as doubles (strtod, ties broken by the elements' bytes)
// or, with ALPHA, as strings; BY takes the weights from other keys (a
// pattern whose '*' is replaced by the element, "->field" reading a hash
// field) or, without a '*', does not sort at all; GET replaces each
// element by such lookups ("#" is the element itself); LIMIT cuts the
// result; STORE replaces the destination with the result as a list (or
// deletes it when empty) and replies its length.
//
// Where Redis compares with strcoll (ALPHA without STORE) raftis compares
// bytes up to the first NUL, which is what strcoll does in the C and
// C.UTF-8 locales; a node's locale never changes a reply. Elements that
// compare equal (ALPHA with equal or missing BY weights) come out as
// Redis's sorts leave them: in the order they were read (its qsort is
// glibc's stable merge sort), or, with BY and LIMIT, as its partial
// quicksort leaves them (fsm/pqsort.go).
//
// Determinism: SORT is a write when it STOREs, and what it stores must be
// the same on every node whatever encodings their limits chose. Lists and
// sorted sets have one order on every node. A set has none: as Redis does
// for a STORE (and in scripts), BY nosort on a set sorts it as strings,
// and sets yield their members in an order the same in every encoding
// (integers ascending, as an intset holds them, else the canonical
// order), so that ties stay in the same order everywhere.
var sortCommands = []*Command{
	{Spec: Spec{Name: "sort", Arity: -2, Flags: FlagWrite | FlagDenyOOM | FlagMovableKeys, FirstKey: 1, LastKey: 1, KeyStep: 1,
		KeysFunc: sortKeys, Group: "generic", Summary: "Sort the elements in a list, set or sorted set", ACL: sortACL}, Run: cmdSort},
	{Spec: Spec{Name: "sort_ro", Arity: -2, Flags: FlagReadonly | FlagMovableKeys, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Group: "generic", Summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.", ACL: sortACL}, Run: cmdSortRO},
}

// sortACL are SORT's categories in Redis's table: its types', not the
// keyspace's.
var sortACL = []string{"set", "sortedset", "list", "dangerous"}

const errSortScore = "ERR One or more scores can't be converted into double"

// sortable is a value SORT reads: a list, a set or a sorted set.
type sortable interface {
	collection
	// sortRange yields the elements from position from on, backwards
	// from the end with desc, in the value's own order (lists, sorted
	// sets). A set ignores both and yields every member in an order
	// that depends on its members only (setValue.sortRange). The bytes
	// stay valid for the command.
	sortRange(from int, desc bool) iter.Seq[[]byte]
}

func (l *listValue) sortRange(from int, desc bool) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		walk := l.ascend(from)
		if desc {
			walk = l.descend(l.count - 1 - from)
		}
		for _, e := range walk {
			if !yield(e) {
				return
			}
		}
	}
}

func (z *zsetValue) sortRange(from int, desc bool) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		walk := z.ascend(from)
		if desc {
			walk = z.descend(z.n - 1 - from)
		}
		for m := range walk {
			if !yield(m) {
				return
			}
		}
	}
}

// sortRange of a set yields integers ascending when every member is one,
// as Redis reads an intset, and otherwise the canonical order. Both
// depend on the members only, not on the representation: what SORT
// STORE keeps of ties is the same on every node, and where Redis's order
// is defined (an intset) SORT's reply is the same as Redis's.
func (s *setValue) sortRange(int, bool) iter.Seq[[]byte] {
	ints := make([]int64, 0, s.n)
	for m := range s.all() {
		n, ok := parseInt(m)
		if !ok {
			return s.ordered()
		}
		ints = append(ints, n)
	}
	if !s.isIntset() {
		slices.Sort(ints)
	}
	return func(yield func([]byte) bool) {
		for _, n := range ints {
			if !yield(strconv.AppendInt(nil, n, 10)) {
				return
			}
		}
	}
}

// sortOptions are SORT's parsed options.
type sortOptions struct {
	desc, alpha  bool
	start, count int64 // LIMIT; count -1: no limit
	by           []byte
	dontSort     bool // BY without '*'
	gets         [][]byte
	store        []byte // nil: reply the result
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination]
func cmdSort(c *Ctx, args [][]byte) { c.sort(args, false) }

// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]
func cmdSortRO(c *Ctx, args [][]byte) { c.sort(args, true) }

// parseSort parses SORT's options as Redis does: left to right, the
// first bad one replied at once. Each BY replaces the pattern, but one
// without '*' turns sorting off for good.
func (c *Ctx) parseSort(args [][]byte, readonly bool) (sortOptions, bool) {
	o := sortOptions{count: -1}
	for j := 2; j < len(args); j++ {
		left := len(args) - j - 1
		switch {
		case equalFold(args[j], "asc"):
			o.desc = false
		case equalFold(args[j], "desc"):
			o.desc = true
		case equalFold(args[j], "alpha"):
			o.alpha = true
		case equalFold(args[j], "limit") && left >= 2:
			var ok bool
			if o.start, ok = c.intArg(args[j+1]); !ok {
				return o, false
			}
			if o.count, ok = c.intArg(args[j+2]); !ok {
				return o, false
			}
			j += 2
		case !readonly && equalFold(args[j], "store") && left >= 1:
			o.store = args[j+1]
			j++
		case equalFold(args[j], "by") && left >= 1:
			o.by = args[j+1]
			if bytes.IndexByte(cString(o.by), '*') < 0 {
				o.dontSort = true
			}
			j++
		case equalFold(args[j], "get") && left >= 1:
			o.gets = append(o.gets, args[j+1])
			j++
		default:
			c.Error(ErrSyntax)
			return o, false
		}
	}
	return o, true
}

// sortLimits turns LIMIT into the first and last positions of the result
// among n elements, with Redis's clamping (end < start: nothing).
func sortLimits(start, count int64, n int) (int, int) {
	size := int64(n)
	start = min(max(start, 0), size)
	count = min(max(count, -1), size)
	end := size - 1
	if count >= 0 {
		end = start + count - 1
	}
	if start >= size {
		start, end = size-1, size-2
	}
	end = min(end, size-1)
	return int(start), int(end)
}

// sortItem is one element being sorted, with what it sorts by.
type sortItem struct {
	elem  []byte
	score float64
	cmp   []byte // ALPHA with BY: the weight; nil if missing
}

func (c *Ctx) sort(args [][]byte, readonly bool) {
	o, ok := c.parseSort(args, readonly)
	if !ok {
		return
	}
	var src sortable
	if it, found := c.lookup(args[1]); found {
		if src, ok = it.val.(sortable); !ok {
			c.Error(ErrWrongType)
			return
		}
	}
	if z, isZSet := src.(*zsetValue); isZSet && z.packed() && !readonly {
		src = c.unpackForSort(args[1])
	}
	isSet := src != nil && src.Type() == "set"
	if o.dontSort && isSet && o.store != nil {
		// A set has no order to keep: store it sorted, as Redis does.
		o.dontSort, o.alpha, o.by = false, true, nil
	}
	items, start, end := c.sortItems(src, isSet, &o)
	if !o.dontSort {
		if !c.weigh(items, &o) {
			c.Error(errSortScore)
			return
		}
		if o.by != nil && (start != 0 || end != len(items)-1) {
			partialSort(items, o.compare, start, end)
		} else {
			slices.SortStableFunc(items, o.compare)
		}
	}
	var result []sortItem
	if end >= start {
		result = items[start : end+1]
	}
	if o.store != nil {
		c.storeSorted(result, &o)
		return
	}
	c.Array(len(result) * max(len(o.gets), 1))
	for _, it := range result {
		if len(o.gets) == 0 {
			c.Bulk(it.elem)
		}
		for _, pattern := range o.gets {
			if v, found := c.lookupByPattern(pattern, it.elem); found {
				c.Bulk(v)
			} else {
				c.Null()
			}
		}
	}
}

// unpackForSort moves the sorted set at key to its large encoding, as
// Redis's SORT does before it reads one (OBJECT ENCODING says "skiplist"
// after it). SORT is a write, applied on every node, so this is done
// everywhere; SORT_RO, a read, leaves the encoding as it is.
func (c *Ctx) unpackForSort(key []byte) *zsetValue {
	z, _, _ := writable[*zsetValue](c, key, nil)
	z.convert()
	return z
}

// sortItems loads the elements to sort, and the positions of the result
// among them. Unsorted lists and sorted sets load only the range LIMIT
// asks for, in the direction asked, as Redis does.
func (c *Ctx) sortItems(src sortable, isSet bool, o *sortOptions) (items []sortItem, start, end int) {
	n := 0
	if src != nil {
		n = src.length()
	}
	start, end = sortLimits(o.start, o.count, n)
	if src == nil {
		return nil, start, end
	}
	if o.dontSort && !isSet {
		if end < start {
			return nil, start, end
		}
		items = make([]sortItem, 0, end-start+1)
		for e := range src.sortRange(start, o.desc) {
			if len(items) == end-start+1 {
				break
			}
			items = append(items, sortItem{elem: e})
		}
		return items, 0, end - start
	}
	items = make([]sortItem, 0, n)
	for e := range src.sortRange(0, false) {
		items = append(items, sortItem{elem: e})
	}
	return items, start, end
}

// weigh sets what each item sorts by. It reports false if a numeric
// weight is not a double.
func (c *Ctx) weigh(items []sortItem, o *sortOptions) bool {
	ok := true
	for i := range items {
		it := &items[i]
		w := it.elem
		if o.by != nil {
			var found bool
			if w, found = c.lookupByPattern(o.by, it.elem); !found {
				continue // weight 0, or missing for ALPHA
			}
		}
		switch {
		case o.alpha && o.by != nil:
			it.cmp = nonNil(w)
		case !o.alpha:
			score, valid := sortScore(w)
			it.score = score
			ok = ok && valid
		}
	}
	return ok
}

// nonNil marks a found weight, even an empty one.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// compare orders two items as Redis's sortCompare does.
func (o *sortOptions) compare(a, b sortItem) int {
	var cmp int
	switch {
	case !o.alpha:
		switch {
		case a.score > b.score:
			cmp = 1
		case a.score < b.score:
			cmp = -1
		default:
			cmp = bytes.Compare(a.elem, b.elem)
		}
	case o.by != nil:
		switch {
		case a.cmp == nil || b.cmp == nil:
			cmp = nilFirst(a.cmp == nil, b.cmp == nil)
		case o.store != nil:
			cmp = bytes.Compare(a.cmp, b.cmp)
		default:
			cmp = bytes.Compare(cString(a.cmp), cString(b.cmp))
		}
	case o.store != nil:
		cmp = bytes.Compare(a.elem, b.elem)
	default:
		cmp = bytes.Compare(cString(a.elem), cString(b.elem))
	}
	if o.desc {
		return -cmp
	}
	return cmp
}

// nilFirst orders missing weights before present ones.
func nilFirst(aNil, bNil bool) int {
	switch {
	case aNil == bNil:
		return 0
	case aNil:
		return -1
	}
	return 1
}

// cString is b as C sees it: up to its first NUL.
func cString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// storeSorted stores the result as a list at o.store (deleting it when
// the result is empty) and replies its length.
func (c *Ctx) storeSorted(items []sortItem, o *sortOptions) {
	l := c.listMaker()()
	for _, it := range items {
		if len(o.gets) == 0 {
			l.pushBack(it.elem)
		}
		for _, pattern := range o.gets {
			v, _ := c.lookupByPattern(pattern, it.elem)
			l.pushBack(v) // a missing one is stored as ""
		}
	}
	key := string(o.store)
	if l.length() == 0 {
		c.db.delete(key)
		c.Int(0)
		return
	}
	// A new value without a deadline, as Redis's setKey leaves it.
	c.put(c.db, item{key: key, val: l, gen: c.fsm.gen})
	c.signalIfBlocking(c.dbi, key, l)
	c.Int(int64(l.length()))
}

// lookupByPattern is Redis's lookupKeyByPattern: "#" is subst itself;
// otherwise the first '*' of pattern is replaced by subst and the key
// read, a string, or with "->field" after the '*' a field of a hash.
// Like Redis it searches for '*' and "->" as in a C string (up to a NUL)
// but builds the key and field from the whole pattern. found is false
// when the pattern has no '*' or the key, field or type is not there.
func (c *Ctx) lookupByPattern(pattern, subst []byte) (val []byte, found bool) {
	text := cString(pattern)
	if len(text) == 1 && text[0] == '#' {
		return subst, true
	}
	star := bytes.IndexByte(text, '*')
	if star < 0 {
		return nil, false
	}
	keyEnd, field := len(pattern), []byte(nil)
	if f := bytes.Index(text[star+1:], []byte("->")); f >= 0 && star+1+f+2 < len(text) {
		keyEnd = star + 1 + f
		field = pattern[keyEnd+2:]
	}
	key := make([]byte, 0, keyEnd-1+len(subst))
	key = append(append(append(key, pattern[:star]...), subst...), pattern[star+1:keyEnd]...)
	it, ok := c.lookup(key)
	if !ok {
		return nil, false
	}
	if field != nil {
		h, isHash := it.val.(*hashValue)
		if !isHash {
			return nil, false
		}
		return h.get(field)
	}
	s, isString := it.val.(stringValue)
	return s, isString
}

// sortKeys is COMMAND GETKEYS for SORT, as Redis's sortGetKeys finds
// them: the key, and the destination of the last STORE, skipping the
// arguments of LIMIT, GET and BY (but not STORE's).
func sortKeys(args [][]byte) [][]byte {
	if len(args) < 2 {
		return nil
	}
	keys := [][]byte{args[1]}
	var store []byte
	for i := 2; i < len(args); i++ {
		switch {
		case equalFold(args[i], "limit"):
			i += 2
		case equalFold(args[i], "get"), equalFold(args[i], "by"):
			i++
		case equalFold(args[i], "store") && i+1 < len(args):
			store = args[i+1]
		}
	}
	if store != nil {
		keys = append(keys, store)
	}
	return keys
}

// sortScore parses a weight as SORT does: strtod on the C string, which
// must end where the number ends ("" is 0), no NaN, and no range error
// (glibc reports one for an overflow and for a result below the smallest
// normal double that is not exact).
func sortScore(b []byte) (float64, bool) {
	v, n, rangeErr := scanStrtod(b)
	if n < len(b) && b[n] != 0 || rangeErr || math.IsNaN(v) {
		return 0, false
	}
	if v != 0 && math.Abs(v) < 0x1p-1022 && !exactDouble(b[:n], v) {
		return 0, false
	}
	return v, true
}

// exactDouble reports whether the number text (as strtod read it) is
// exactly v.
func exactDouble(text []byte, v float64) bool {
	s := strings.TrimLeft(string(text), " \t\n\v\f\r")
	f, _, err := big.ParseFloat(s, 0, 1<<16, big.ToNearestEven)
	if err != nil {
		return false
	}
	return f.Cmp(new(big.Float).SetFloat64(v)) == 0
}
