package fsm

import "bytes"

// Error texts used only by the list commands.
const (
	errIndexRange     = "ERR index out of range"
	errMustBePositive = "ERR value is out of range, must be positive"
	errRankZero       = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
	errCountNegative  = "ERR COUNT can't be negative"
	errMaxlenNegative = "ERR MAXLEN can't be negative"
)

var listCommands = []*Command{
	{Spec: Spec{Name: "lpush", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Prepends one or more elements to a list. Creates the key if it doesn't exist."}, Run: cmdLPush},
	{Spec: Spec{Name: "rpush", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Appends one or more elements to a list. Creates the key if it doesn't exist."}, Run: cmdRPush},
	{Spec: Spec{Name: "lpushx", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Prepends one or more elements to a list only when the list exists."}, Run: cmdLPushX},
	{Spec: Spec{Name: "rpushx", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Appends one or more elements to a list only when the list exists."}, Run: cmdRPushX},
	{Spec: Spec{Name: "lpop", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Returns the first elements in a list after removing it. Deletes the list if the last element was popped."}, Run: cmdLPop},
	{Spec: Spec{Name: "rpop", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Returns and removes the last elements of a list. Deletes the list if the last element was popped."}, Run: cmdRPop},
	{Spec: Spec{Name: "llen", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Returns the length of a list."}, Run: cmdLLen},
	{Spec: Spec{Name: "lrange", Arity: 4, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Returns a range of elements from a list."}, Run: cmdLRange},
	{Spec: Spec{Name: "lindex", Arity: 3, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Returns an element from a list by its index."}, Run: cmdLIndex},
	{Spec: Spec{Name: "lset", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Sets the value of an element in a list by its index."}, Run: cmdLSet},
	{Spec: Spec{Name: "linsert", Arity: 5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Inserts an element before or after another element in a list."}, Run: cmdLInsert},
	{Spec: Spec{Name: "lrem", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Removes elements from a list. Deletes the list if the last element was removed."}, Run: cmdLRem},
	{Spec: Spec{Name: "ltrim", Arity: 4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Removes elements from both ends a list. Deletes the list if all elements were trimmed."}, Run: cmdLTrim},
	{Spec: Spec{Name: "lpos", Arity: -3, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "list", Summary: "Returns the index of matching elements in a list."}, Run: cmdLPos},
	{Spec: Spec{Name: "lmove", Arity: 5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, KeyStep: 1, Group: "list", Summary: "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved."}, Run: cmdLMove},
	{Spec: Spec{Name: "rpoplpush", Arity: 3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, KeyStep: 1, Group: "list", Summary: "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped."}, Run: cmdRPopLPush},
	{Spec: Spec{Name: "lmpop", Arity: -4, Flags: FlagWrite | FlagMovableKeys, NumKeysAt: 1, Group: "list", Summary: "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped."}, Run: cmdLMPop},
	{Spec: Spec{Name: "blpop", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: -2, KeyStep: 1, Group: "list", Summary: "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped."}, Run: cmdBPop, block: parseBPop},
	{Spec: Spec{Name: "brpop", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: -2, KeyStep: 1, Group: "list", Summary: "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped."}, Run: cmdBPop, block: parseBPop},
	{Spec: Spec{Name: "blmove", Arity: 6, Flags: FlagWrite | FlagDenyOOM | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: 2, KeyStep: 1, Group: "list", Summary: "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved."}, Run: cmdBLMove, block: parseBLMove},
	{Spec: Spec{Name: "brpoplpush", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: 2, KeyStep: 1, Group: "list", Summary: "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped."}, Run: cmdBLMove, block: parseBRPopLPush},
	{Spec: Spec{Name: "blmpop", Arity: -5, Flags: FlagWrite | FlagBlocking | FlagMovableKeys, NumKeysAt: 2, Group: "list", Summary: "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped."}, Run: cmdBLMPop, block: parseBLMPop},
}

// listMaker returns the constructor writable uses for a missing key: a
// list whose chunks follow the node's limit in force now.
func (c *Ctx) listMaker() func() *listValue {
	fill := c.lim.ListMaxListpackSize
	return func() *listValue { return newList(fill) }
}

// LPUSH key element [element ...]
func cmdLPush(c *Ctx, args [][]byte) { c.push(args, true, c.listMaker()) }

// RPUSH key element [element ...]
func cmdRPush(c *Ctx, args [][]byte) { c.push(args, false, c.listMaker()) }

// LPUSHX key element [element ...]
func cmdLPushX(c *Ctx, args [][]byte) { c.push(args, true, nil) }

// RPUSHX key element [element ...]
func cmdRPushX(c *Ctx, args [][]byte) { c.push(args, false, nil) }

// push adds args[2:] one by one at the head (left) or the tail; a nil
// create pushes only onto an existing list.
func (c *Ctx) push(args [][]byte, left bool, create func() *listValue) {
	l, found, ok := writable(c, args[1], create)
	if !ok {
		return
	}
	if !found {
		c.Int(0)
		return
	}
	for _, e := range args[2:] {
		l.push(e, left)
	}
	c.Int(int64(l.count))
}

// LPOP key [count]
func cmdLPop(c *Ctx, args [][]byte) { c.pop(args, true, "lpop") }

// RPOP key [count]
func cmdRPop(c *Ctx, args [][]byte) { c.pop(args, false, "rpop") }

func (c *Ctx) pop(args [][]byte, left bool, name string) {
	if len(args) > 3 {
		c.Error(ErrArity(name))
		return
	}
	hasCount := len(args) == 3
	var count int64
	if hasCount {
		n, ok := parseInt(args[2])
		if !ok || n < 0 {
			c.Error(errMustBePositive)
			return
		}
		count = n
	}
	l, found, ok := writable[*listValue](c, args[1], nil)
	switch {
	case !ok:
	case !found && hasCount:
		c.NullArray()
	case !found:
		c.Null()
	case !hasCount:
		e := l.end(left)
		c.Bulk(e)
		l.popN(left, 1)
	default:
		n := int(min(count, int64(l.count)))
		c.Array(n)
		c.popReply(l, left, n)
		if n == 0 {
			c.unchanged(l) // COUNT 0: Redis touches nothing
		}
	}
}

// popReply writes n elements from one end, in the order they are popped,
// then removes them. The caller writes the array header.
func (c *Ctx) popReply(l *listValue, left bool, n int) {
	seq := l.ascend(0)
	if !left {
		seq = l.descend(l.count - 1)
	}
	i := 0
	for _, e := range seq {
		if i == n {
			break
		}
		c.Bulk(e)
		i++
	}
	l.popN(left, n)
}

// LLEN key
func cmdLLen(c *Ctx, args [][]byte) {
	if l, found, ok := lookupAs[*listValue](c, args[1]); ok {
		c.Int(int64(lengthOr0(l, found)))
	}
}

// clampRange turns LRANGE/LTRIM's start and stop into a range of a list
// of n elements, as Redis does: negative indexes count from the end, and
// the range is empty (ok false) when start is past stop or the end.
func clampRange(start, stop int64, n int) (from, to int, ok bool) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if stop < 0 {
		stop += ln
	}
	start = max(start, 0)
	if start > stop || start >= ln {
		return 0, 0, false
	}
	stop = min(stop, ln-1)
	return int(start), int(stop), true
}

// LRANGE key start stop
func cmdLRange(c *Ctx, args [][]byte) {
	start, ok := c.intArg(args[2])
	if !ok {
		return
	}
	stop, ok := c.intArg(args[3])
	if !ok {
		return
	}
	l, found, ok := lookupAs[*listValue](c, args[1])
	if !ok {
		return
	}
	if !found {
		c.Array(0)
		return
	}
	from, to, ok := clampRange(start, stop, l.count)
	if !ok {
		c.Array(0)
		return
	}
	n := to - from + 1
	c.Array(n)
	for _, e := range l.ascend(from) {
		if n == 0 {
			break
		}
		c.Bulk(e)
		n--
	}
}

// LTRIM key start stop
func cmdLTrim(c *Ctx, args [][]byte) {
	start, ok := c.intArg(args[2])
	if !ok {
		return
	}
	stop, ok := c.intArg(args[3])
	if !ok {
		return
	}
	l, found, ok := writable[*listValue](c, args[1], nil)
	if !ok {
		return
	}
	if found {
		from, to, keep := clampRange(start, stop, l.count)
		if !keep {
			from, to = l.count, l.count-1 // remove everything
		}
		tail := l.count - 1 - to
		l.deleteRange(to+1, tail)
		l.deleteRange(0, from)
	}
	c.OK()
}

// LINDEX key index
func cmdLIndex(c *Ctx, args [][]byte) {
	l, found, ok := lookupAs[*listValue](c, args[1])
	if !ok {
		return
	}
	if !found {
		c.Null()
		return
	}
	idx, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if e, _, ok := l.get(idx); ok {
		c.Bulk(e)
		return
	}
	c.Null()
}

// LSET key index element
func cmdLSet(c *Ctx, args [][]byte) {
	l, found, ok := writable[*listValue](c, args[1], nil)
	if !ok {
		return
	}
	if !found {
		c.Error(ErrNoSuchKey)
		return
	}
	idx, ok := c.intArg(args[2])
	if !ok {
		return
	}
	_, pos, ok := l.get(idx)
	if !ok {
		c.Error(errIndexRange)
		return
	}
	l.replace(pos, args[3])
	c.OK()
}

// LINSERT key BEFORE|AFTER pivot element
func cmdLInsert(c *Ctx, args [][]byte) {
	var after bool
	switch {
	case equalFold(args[2], "after"):
		after = true
	case equalFold(args[2], "before"):
	default:
		c.Error(ErrSyntax)
		return
	}
	l, found, ok := lookupAs[*listValue](c, args[1])
	if !ok {
		return
	}
	if !found {
		c.Int(0)
		return
	}
	for pos, e := range l.ascend(0) {
		if bytes.Equal(e, args[3]) {
			// A clone keeps the chunk layout, so pos holds in it.
			l, _, _ = writable[*listValue](c, args[1], nil)
			l.insert(pos, after, args[4])
			c.Int(int64(l.count))
			return
		}
	}
	c.Int(-1)
}

// LREM key count element
func cmdLRem(c *Ctx, args [][]byte) {
	count, ok := c.intArg(args[2])
	if !ok {
		return
	}
	l, found, ok := writable[*listValue](c, args[1], nil)
	if !ok {
		return
	}
	if !found {
		c.Int(0)
		return
	}
	fromTail := count < 0
	// -LONG_MIN stays negative in Redis, which then removes without limit.
	limit := max(count, -count)
	if limit < 0 || limit > int64(l.count) {
		limit = 0
	}
	removed := l.removeMatches(args[3], int(limit), fromTail)
	if removed == 0 {
		c.unchanged(l)
	}
	c.Int(int64(removed))
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
func cmdLPos(c *Ctx, args [][]byte) {
	rank, count, maxlen := int64(1), int64(-1), int64(0) // count -1: not given
	for j := 3; j < len(args); j++ {
		more := j < len(args)-1
		switch {
		case equalFold(args[j], "rank") && more:
			j++
			r, ok := c.intArg(args[j])
			if !ok {
				return
			}
			if r == 0 {
				c.Error(errRankZero)
				return
			}
			rank = r
		case equalFold(args[j], "count") && more:
			j++
			n, ok := parseInt(args[j])
			if !ok || n < 0 {
				c.Error(errCountNegative)
				return
			}
			count = n
		case equalFold(args[j], "maxlen") && more:
			j++
			n, ok := parseInt(args[j])
			if !ok || n < 0 {
				c.Error(errMaxlenNegative)
				return
			}
			maxlen = n
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	l, found, ok := lookupAs[*listValue](c, args[1])
	if !ok {
		return
	}
	if !found {
		if count != -1 {
			c.Array(0)
		} else {
			c.Null()
		}
		return
	}
	matches := l.positions(args[2], rank, count, maxlen)
	if count != -1 {
		c.Array(len(matches))
		for _, m := range matches {
			c.Int(m)
		}
		return
	}
	if len(matches) == 0 {
		c.Null()
		return
	}
	c.Int(matches[0])
}

// positions finds LPOS's matches of e: from the rank-th match on (a
// negative rank searches from the tail), at most count of them (0: all;
// -1: just one), looking at no more than maxlen elements (0: all).
//
// The arithmetic is Redis's, wraparound included: a rank of LONG_MIN
// stays negative when negated, so every match counts as past the rank.
func (l *listValue) positions(e []byte, rank, count, maxlen int64) []int64 {
	seq := l.ascend(0)
	fromTail := rank < 0
	if fromTail {
		rank = -rank
		seq = l.descend(l.count - 1)
	}
	llen := int64(l.count)
	var out []int64
	var index, matches int64
	for _, elem := range seq {
		if maxlen != 0 && index >= maxlen {
			break
		}
		if bytes.Equal(elem, e) {
			matches++
			if matches >= rank {
				at := index
				if fromTail {
					at = llen - index - 1
				}
				out = append(out, at)
				if count == -1 || (count != 0 && matches-rank+1 >= count) {
					break
				}
			}
		}
		index++
	}
	return out
}

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
func cmdLMove(c *Ctx, args [][]byte) {
	from, ok := c.directionArg(args[3])
	if !ok {
		return
	}
	to, ok := c.directionArg(args[4])
	if !ok {
		return
	}
	c.move(args[1], args[2], from, to)
}

// RPOPLPUSH source destination
func cmdRPopLPush(c *Ctx, args [][]byte) { c.move(args[1], args[2], false, true) }

// directionArg parses LEFT (true) or RIGHT (false).
func (c *Ctx) directionArg(b []byte) (left, ok bool) {
	left, ok = parseDirection(b)
	if !ok {
		c.Error(ErrSyntax)
	}
	return left, ok
}

func parseDirection(b []byte) (left, ok bool) {
	switch {
	case equalFold(b, "left"):
		return true, true
	case equalFold(b, "right"):
		return false, true
	}
	return false, false
}

// move pops an element from src's head (fromLeft) or tail and pushes it
// onto dst's head (toLeft) or tail, creating dst: LMOVE. A missing src
// replies nil; a dst of another type fails before anything moves.
func (c *Ctx) move(src, dst []byte, fromLeft, toLeft bool) {
	if _, found, ok := lookupAs[*listValue](c, src); !ok || !found {
		if ok {
			c.Null()
		}
		return
	}
	if _, _, ok := lookupAs[*listValue](c, dst); !ok {
		return
	}
	sl, _, _ := writable[*listValue](c, src, nil)
	// A copy: pushing onto the same list may reuse the popped bytes.
	e := bytes.Clone(sl.end(fromLeft))
	sl.popN(fromLeft, 1)
	dl, _, _ := writable(c, dst, c.listMaker())
	dl.push(e, toLeft)
	c.Bulk(e)
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
func cmdLMPop(c *Ctx, args [][]byte) {
	p, errMsg := parseMPop(args, 1)
	if errMsg != "" {
		c.Error(errMsg)
		return
	}
	c.mpop(p)
}

// mpop pops from the first non-empty list among p.keys and replies
// [key, [elements]], or a null array when every list is empty.
func (c *Ctx) mpop(p blockingCall) {
	for _, key := range p.keys {
		l, found, ok := writable[*listValue](c, key, nil)
		if !ok {
			return
		}
		if !found {
			continue
		}
		n := int(min(p.count, int64(l.count)))
		c.Array(2)
		c.Bulk(key)
		c.Array(n)
		c.popReply(l, p.left, n)
		return
	}
	c.NullArray()
}

// parseMPop parses LMPOP's arguments from numkeys (at args[at]) on, in
// Redis's order: numkeys, the direction, then COUNT.
func parseMPop(args [][]byte, at int) (blockingCall, string) {
	numkeys, ok := parseInt(args[at])
	if !ok || numkeys < 1 {
		return blockingCall{}, "ERR numkeys should be greater than 0"
	}
	// The direction must follow the keys (compared so as not to overflow).
	if numkeys >= int64(len(args)-at-1) {
		return blockingCall{}, ErrSyntax
	}
	whereAt := at + int(numkeys) + 1
	left, ok := parseDirection(args[whereAt])
	if !ok {
		return blockingCall{}, ErrSyntax
	}
	count := int64(-1)
	for j := whereAt + 1; j < len(args); j++ {
		if count != -1 || !equalFold(args[j], "count") || j == len(args)-1 {
			return blockingCall{}, ErrSyntax
		}
		j++
		n, ok := parseInt(args[j])
		if !ok || n < 1 {
			return blockingCall{}, "ERR count should be greater than 0"
		}
		count = n
	}
	return blockingCall{keys: args[at+1 : whereAt], left: left, count: max(count, 1)}, ""
}
