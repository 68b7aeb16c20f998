package fsm

// Error texts used only by the HyperLogLog commands.
const (
	errNotHLL     = "WRONGTYPE Key is not a valid HyperLogLog string value."
	errHLLCorrupt = "INVALIDOBJ Corrupted HLL object detected"
)

var hyperLogLogCommands = []*Command{
	{Spec: Spec{Name: "pfadd", Arity: -2, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "hyperloglog", Summary: "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist."}, Run: cmdPFAdd},
	{Spec: Spec{Name: "pfcount", Arity: -2, Flags: FlagReadonly, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "hyperloglog", Summary: "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s)."}, Run: cmdPFCount},
	{Spec: Spec{Name: "pfmerge", Arity: -2, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "hyperloglog", Summary: "Merges one or more HyperLogLog values into a single key."}, Run: cmdPFMerge},
}

// hllAt returns the HLL held by it, replying WRONGTYPE if it holds another
// type or a string that is not an HLL.
func (c *Ctx) hllAt(it item) ([]byte, bool) {
	s, isString := it.val.(stringValue)
	if !isString {
		c.Error(ErrWrongType)
		return nil, false
	}
	if !isHLL(s) {
		c.Error(errNotHLL)
		return nil, false
	}
	return s, true
}

// PFADD key [element [element ...]]
func cmdPFAdd(c *Ctx, args [][]byte) {
	it, found := c.lookup(args[1])
	var s []byte
	updated := false
	if found {
		if _, ok := c.hllAt(it); !ok {
			return
		}
		s = c.privateString(it, 0)
	} else {
		it = item{key: string(args[1])}
		s = newHLL()
		updated = true
	}
	for _, ele := range args[2:] {
		var r int
		switch s, r = hllAdd(s, ele); r {
		case 1:
			updated = true
		case -1:
			// Redis keeps what the elements before changed (but not the
			// cache): so do we, byte for byte.
			c.storeString(it, s)
			c.Error(errHLLCorrupt)
			return
		}
	}
	if updated {
		hllInvalidateCache(s)
		c.storeString(it, s)
		c.Int(1)
		return
	}
	c.storeString(it, s)
	c.Int(0)
}

// PFCOUNT key [key ...]
//
// PFCOUNT is a read: it runs on any node and writes no log entry, so unlike
// Redis it does not store the cardinality it computed in the value's
// cache. A later PFCOUNT computes it again; GET shows the cache bytes as
// PFADD left them (see docs/DESIGN.md).
func cmdPFCount(c *Ctx, args [][]byte) {
	if len(args) > 2 {
		c.pfCountUnion(args[1:])
		return
	}
	it, found := c.lookup(args[1])
	if !found {
		c.Int(0)
		return
	}
	s, ok := c.hllAt(it)
	if !ok {
		return
	}
	if card, valid := hllCachedCard(s); valid {
		c.Int(int64(card))
		return
	}
	card, valid := hllCount(s)
	if !valid {
		c.Error(errHLLCorrupt)
		return
	}
	c.Int(int64(card))
}

// pfCountUnion is PFCOUNT of several keys: the cardinality of their union,
// missing keys counting as empty HLLs.
func (c *Ctx) pfCountUnion(keys [][]byte) {
	regs := new([hllRegisters]uint8)
	for _, key := range keys {
		if _, ok := c.mergeHLLInto(regs, key); !ok {
			return
		}
	}
	var h hllHisto
	h.addRaw(regs)
	c.Int(int64(h.estimate()))
}

// mergeHLLInto raises regs to the registers of the HLL at key (if any),
// replying the error and returning false if it is not a valid HLL. dense
// reports whether it is a dense one.
func (c *Ctx) mergeHLLInto(regs *[hllRegisters]uint8, key []byte) (dense, ok bool) {
	it, found := c.lookup(key)
	if !found {
		return false, true
	}
	s, ok := c.hllAt(it)
	if !ok {
		return false, false
	}
	if !hllMerge(regs, s) {
		c.Error(errHLLCorrupt)
		return false, false
	}
	return s[4] == hllDense, true
}

// PFMERGE destkey [sourcekey [sourcekey ...]]
func cmdPFMerge(c *Ctx, args [][]byte) {
	// The destination is merged too: it is the first of the sources.
	regs := new([hllRegisters]uint8)
	useDense := false
	for _, key := range args[1:] {
		dense, ok := c.mergeHLLInto(regs, key)
		if !ok {
			return
		}
		useDense = useDense || dense
	}
	it, found := c.lookup(args[1])
	var s []byte
	if found {
		s = c.privateString(it, 0)
	} else {
		it = item{key: string(args[1])}
		s = newHLL()
	}
	if useDense {
		// The destination was checked as a source: it converts.
		s, _ = hllSparseToDense(s)
	}
	// Register by register, as Redis does, so a sparse destination ends
	// up with the very opcodes (or the promotion to dense) Redis's has.
	for i, v := range regs {
		if v == 0 {
			continue
		}
		if s[4] == hllDense {
			hllDenseRaise(s[hllHdrSize:], i, v)
		} else {
			s, _ = hllSparseSet(s, i, v)
		}
	}
	hllInvalidateCache(s)
	c.storeString(it, s)
	c.OK()
}
