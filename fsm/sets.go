package fsm

import "bytes"

// Error texts used only by the set commands.
const (
	errNotPositive     = "ERR value is out of range, must be positive"
	errNumKeys         = "ERR numkeys should be greater than 0"
	errNumKeysTooMany  = "ERR Number of keys can't be greater than number of args"
	errLimitIsNegative = "ERR LIMIT can't be negative"
)

var setCommands = []*Command{
	{Spec: Spec{Name: "sadd", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "set", Summary: "Adds one or more members to a set. Creates the key if it doesn't exist."}, Run: cmdSAdd},
	{Spec: Spec{Name: "srem", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "set", Summary: "Removes one or more members from a set. Deletes the set if the last member was removed."}, Run: cmdSRem},
	{Spec: Spec{Name: "scard", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "set", Summary: "Returns the number of members in a set."}, Run: cmdSCard},
	{Spec: Spec{Name: "sismember", Arity: 3, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "set", Summary: "Determines whether a member belongs to a set."}, Run: cmdSIsMember},
	{Spec: Spec{Name: "smismember", Arity: -3, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "set", Summary: "Determines whether multiple members belong to a set."}, Run: cmdSMIsMember},
	{Spec: Spec{Name: "smembers", Arity: 2, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "set", Summary: "Returns all members of a set."}, Run: cmdSMembers},
	{Spec: Spec{Name: "spop", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "set", Summary: "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped."}, Run: cmdSPop},
	{Spec: Spec{Name: "srandmember", Arity: -2, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "set", Summary: "Get one or multiple random members from a set"}, Run: cmdSRandMember},
	{Spec: Spec{Name: "smove", Arity: 4, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 2, KeyStep: 1, Group: "set", Summary: "Moves a member from one set to another."}, Run: cmdSMove},
	{Spec: Spec{Name: "sinter", Arity: -2, Flags: FlagReadonly, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "set", Summary: "Returns the intersect of multiple sets."}, Run: cmdSInter},
	{Spec: Spec{Name: "sintercard", Arity: -3, Flags: FlagReadonly | FlagMovableKeys, NumKeysAt: 1, Group: "set", Summary: "Returns the number of members of the intersect of multiple sets."}, Run: cmdSInterCard},
	{Spec: Spec{Name: "sunion", Arity: -2, Flags: FlagReadonly, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "set", Summary: "Returns the union of multiple sets."}, Run: cmdSUnion},
	{Spec: Spec{Name: "sdiff", Arity: -2, Flags: FlagReadonly, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "set", Summary: "Returns the difference of multiple sets."}, Run: cmdSDiff},
	{Spec: Spec{Name: "sinterstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "set", Summary: "Stores the intersect of multiple sets in a key."}, Run: cmdSInterStore},
	{Spec: Spec{Name: "sunionstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "set", Summary: "Stores the union of multiple sets in a key."}, Run: cmdSUnionStore},
	{Spec: Spec{Name: "sdiffstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "set", Summary: "Stores the difference of multiple sets in a key."}, Run: cmdSDiffStore},
	{Spec: Spec{Name: "sscan", Arity: -3, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "set", Summary: "Iterates over members of a set."}, Run: cmdSScan},
}

// SADD key member [member ...]
func cmdSAdd(c *Ctx, args [][]byte) {
	s, _, ok := writable(c, args[1], newSet)
	if !ok {
		return
	}
	var added int64
	for _, m := range args[2:] {
		if s.add(c.lim, m) {
			added++
		}
	}
	if added == 0 {
		c.unchanged(s) // every member was there: no write a WATCH sees
	}
	c.Int(added)
}

// SREM key member [member ...]
func cmdSRem(c *Ctx, args [][]byte) {
	s, found, ok := writable[*setValue](c, args[1], nil)
	if !ok {
		return
	}
	var removed int64
	if found {
		for _, m := range args[2:] {
			if s.remove(m) {
				removed++
				if s.n == 0 {
					break
				}
			}
		}
		if removed == 0 {
			c.unchanged(s)
		}
	}
	c.Int(removed)
}

// SCARD key
func cmdSCard(c *Ctx, args [][]byte) {
	if s, found, ok := lookupAs[*setValue](c, args[1]); ok {
		c.Int(int64(lengthOr0(s, found)))
	}
}

// SISMEMBER key member
func cmdSIsMember(c *Ctx, args [][]byte) {
	if s, found, ok := lookupAs[*setValue](c, args[1]); ok {
		c.Bool(found && s.has(args[2]))
	}
}

// SMISMEMBER key member [member ...]
func cmdSMIsMember(c *Ctx, args [][]byte) {
	s, found, ok := lookupAs[*setValue](c, args[1])
	if !ok {
		return
	}
	c.Array(len(args) - 2)
	for _, m := range args[2:] {
		c.Bool(found && s.has(m))
	}
}

// SMEMBERS key
func cmdSMembers(c *Ctx, args [][]byte) {
	s, found, ok := lookupAs[*setValue](c, args[1])
	if !ok {
		return
	}
	if !found {
		c.Array(0)
		return
	}
	c.replySet(s)
}

// replySet writes every member, in the representation's order.
func (c *Ctx) replySet(s *setValue) {
	c.Array(s.n)
	for m := range s.all() {
		c.Bulk(m)
	}
}

// SPOP key [count]
//
// SPOP picks by position in the canonical order (see setValue), so every
// node pops the same members whatever representation its limits chose.
func cmdSPop(c *Ctx, args [][]byte) {
	switch {
	case len(args) == 3:
		c.spopCount(args)
		return
	case len(args) > 3:
		c.Error(ErrSyntax)
		return
	}
	s, found, ok := writable[*setValue](c, args[1], nil)
	switch {
	case !ok:
	case !found:
		c.Null()
	default:
		s.pop(1, c.randN, c.Bulk)
	}
}

// spopCount is SPOP key count.
func (c *Ctx) spopCount(args [][]byte) {
	count, ok := parseInt(args[2])
	if !ok || count < 0 {
		c.Error(errNotPositive)
		return
	}
	s, found, ok := lookupAs[*setValue](c, args[1])
	switch {
	case !ok:
		return
	case !found || count == 0:
		c.Array(0)
		return
	case count >= int64(s.n):
		// The whole set, and the key is gone. Redis replies in the
		// order of the union of the set alone: ascending when that
		// union is an intset, which it cannot be past the limit.
		if s.isIntset() || int64(s.n) > intsetMax(c.lim) {
			c.replySet(s)
		} else {
			c.replySet(unionOf([]*setValue{s}, c.lim))
		}
		c.db.delete(string(args[1]))
		return
	}
	s, _, _ = writable[*setValue](c, args[1], nil)
	// When few members stay, Redis builds a new set of them rather than
	// removing the others one by one, and that new set takes the
	// representation its members call for: an intset again if they are
	// few integers. So does raftis, so that OBJECT ENCODING agrees.
	rebuild := (int64(s.n)-count)*5 <= count
	c.Array(int(count))
	s.pop(int(count), c.randN, c.Bulk)
	if rebuild {
		s.rebuild(c.lim)
	}
}

// SRANDMEMBER key [count]
//
// A read: picks in the representation's own order, so replies may differ
// between nodes, as they differ between calls.
func cmdSRandMember(c *Ctx, args [][]byte) {
	if len(args) > 3 {
		c.Error(ErrSyntax)
		return
	}
	if len(args) == 2 {
		s, found, ok := lookupAs[*setValue](c, args[1])
		switch {
		case !ok:
		case !found:
			c.Null()
		default:
			var buf [20]byte
			c.Bulk(s.indexer()(c.randN(s.n), buf[:0]))
		}
		return
	}
	count, ok := c.randCountArg(args[2])
	if !ok {
		return
	}
	s, found, ok := lookupAs[*setValue](c, args[1])
	if !ok {
		return
	}
	if !found {
		c.Array(0)
		return
	}
	at := s.indexer()
	var buf [20]byte
	c.randomPicks(s.n, count, 1, func(i int) { c.Bulk(at(i, buf[:0])) })
}

// SMOVE source destination member
func cmdSMove(c *Ctx, args [][]byte) {
	src, found, ok := lookupAs[*setValue](c, args[1])
	if !ok {
		return
	}
	if !found {
		c.Int(0)
		return
	}
	dst, dstFound, ok := lookupAs[*setValue](c, args[2])
	if !ok {
		return
	}
	member := args[3]
	if dstFound && dst == src {
		c.Bool(src.has(member))
		return
	}
	if !src.has(member) {
		c.Int(0)
		return
	}
	src, _, _ = writable[*setValue](c, args[1], nil)
	src.remove(member)
	dst, _, _ = writable(c, args[2], newSet)
	if !dst.add(c.lim, member) {
		c.unchanged(dst) // as in Redis, only the source changed
	}
	c.Int(1)
}

// SSCAN key cursor [MATCH pattern] [COUNT count]
func cmdSScan(c *Ctx, args [][]byte) {
	s, cursor, opts, ok := collectionScan[*setValue](c, args)
	if !ok {
		return
	}
	var out [][]byte
	var next uint64
	if s.isFlat() {
		// A small set: all of it in one call, as Redis does for its
		// compact encodings.
		for m := range s.all() {
			if opts.match(stringView(m)) {
				out = append(out, bytes.Clone(m))
			}
		}
	} else {
		next = scanPage(opts.count, func(yield func(uint64) bool) {
			for e := range s.big.AscendFrom(setEntry{hash: cursor}) {
				if !yield(e.hash) {
					return
				}
				if opts.match(e.member) {
					out = append(out, bytesView(e.member))
				}
			}
		})
	}
	c.scanReply(next, out)
}
