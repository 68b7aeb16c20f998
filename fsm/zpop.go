package fsm

// ZPOPMIN, ZPOPMAX, ZMPOP and their blocking forms. The state machine
// never blocks: BZPOPMIN, BZPOPMAX and BZMPOP run as Redis runs them inside
// MULTI, popping from the first key that holds a sorted set or replying a
// null array when none does (see blocking.go for how the server blocks).

// zpopCall is a parsed pop: the keys to try in order, which end, and how
// many members (count < 0: the single-member form of ZPOPMIN/ZPOPMAX).
type zpopCall struct {
	keys  [][]byte
	max   bool
	count int64
}

// ZPOPMIN key [count]
func cmdZPopMin(c *Ctx, args [][]byte) { c.zpopMinMax(args, false) }

// ZPOPMAX key [count]
func cmdZPopMax(c *Ctx, args [][]byte) { c.zpopMinMax(args, true) }

func (c *Ctx) zpopMinMax(args [][]byte, fromMax bool) {
	if len(args) > 3 {
		c.Error(ErrSyntax)
		return
	}
	p := zpopCall{keys: args[1:2], max: fromMax, count: -1}
	if len(args) == 3 {
		n, ok := parseInt(args[2])
		if !ok || n < 0 {
			c.Error(errZMustBePos)
			return
		}
		p.count = n
	}
	_, z, ok := c.zpopTarget(p.keys)
	switch {
	case !ok:
	case z == nil:
		c.Array(0)
	case p.count == 0:
		c.unchanged(z) // COUNT 0: Redis touches nothing
		c.Array(0)
	default:
		n := zpopLen(z, p.count)
		c.Array(2 * n)
		c.zpopMembers(z, p.max, n, false)
	}
}

// zpopTarget finds the first of keys that exists, as Redis's
// genericZpopCommand does: missing keys are skipped, and the first
// existing one must hold a sorted set (WRONGTYPE otherwise, ok false). z
// is nil when no key exists.
func (c *Ctx) zpopTarget(keys [][]byte) (key []byte, z *zsetValue, ok bool) {
	for _, key := range keys {
		z, found, ok := writable[*zsetValue](c, key, nil)
		if !ok {
			return nil, nil, false
		}
		if found {
			return key, z, true
		}
	}
	return nil, nil, true
}

// zpopLen is how many members a pop of count takes from z.
func zpopLen(z *zsetValue, count int64) int {
	if count < 0 {
		return 1
	}
	return int(min(count, int64(z.n)))
}

// zpopMembers removes n members from one end of z, replying each member
// and score, as a [member, score] pair when nested.
func (c *Ctx) zpopMembers(z *zsetValue, fromMax bool, n int, nested bool) {
	lo, hi := 0, n
	seq := z.ascend(0)
	if fromMax {
		lo, hi = z.n-n, z.n
		seq = z.descend(z.n - 1)
	}
	i := 0
	for m, s := range seq {
		if i == n {
			break
		}
		if nested {
			c.Array(2)
		}
		c.Bulk(m)
		c.Score(s)
		i++
	}
	z.removeRanks(lo, hi)
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
func cmdZMPop(c *Ctx, args [][]byte) {
	p, errMsg := parseZMPop(args, 1)
	if errMsg != "" {
		c.Error(errMsg)
		return
	}
	c.zmpop(p)
}

// zmpop pops from the first existing key and replies [key, [[member,
// score], ...]], or a null array when no key exists.
func (c *Ctx) zmpop(p zpopCall) {
	key, z, ok := c.zpopTarget(p.keys)
	switch {
	case !ok:
	case z == nil:
		c.NullArray()
	default:
		n := zpopLen(z, p.count)
		c.Array(2)
		c.Bulk(key)
		c.Array(n)
		c.zpopMembers(z, p.max, n, true)
	}
}

// parseZMPop parses the arguments of ZMPOP (numkeys at args[1]) and BZMPOP
// (numkeys at args[2]) after the timeout, in Redis's order.
func parseZMPop(args [][]byte, numKeysAt int) (zpopCall, string) {
	numKeys, ok := parseInt(args[numKeysAt])
	if !ok || numKeys < 1 {
		return zpopCall{}, errZNumKeys
	}
	if numKeys >= int64(len(args)-numKeysAt-1) {
		return zpopCall{}, ErrSyntax
	}
	whereAt := numKeysAt + int(numKeys) + 1
	p := zpopCall{keys: args[numKeysAt+1 : whereAt], count: -1}
	switch {
	case equalFold(args[whereAt], "min"):
	case equalFold(args[whereAt], "max"):
		p.max = true
	default:
		return zpopCall{}, ErrSyntax
	}
	for j := whereAt + 1; j < len(args); j++ {
		if p.count != -1 || !equalFold(args[j], "count") || j+1 >= len(args) {
			return zpopCall{}, ErrSyntax
		}
		j++
		n, ok := parseInt(args[j])
		if !ok || n < 1 {
			return zpopCall{}, errZCount
		}
		p.count = n
	}
	if p.count == -1 {
		p.count = 1
	}
	return p, ""
}

// BZPOPMIN key [key ...] timeout
func cmdBZPopMin(c *Ctx, args [][]byte) { c.bzpop(args, false) }

// BZPOPMAX key [key ...] timeout
func cmdBZPopMax(c *Ctx, args [][]byte) { c.bzpop(args, true) }

// parseBZPop parses BZPOPMIN and BZPOPMAX for BlockingTimeout and
// BlockingKeys: the keys, then the timeout.
func parseBZPop(args [][]byte) (blockingCall, string) {
	ms, errMsg := parseTimeout(args[len(args)-1])
	if errMsg != "" {
		return blockingCall{}, errMsg
	}
	return blockingCall{keys: args[1 : len(args)-1], timeoutMs: ms}, ""
}

// bzpop pops one member from the first key holding a sorted set and
// replies [key, member, score], or a null array.
func (c *Ctx) bzpop(args [][]byte, fromMax bool) {
	b, ok := c.blockingArgs(args)
	if !ok {
		return
	}
	key, z, ok := c.zpopTarget(b.keys)
	switch {
	case !ok:
	case z == nil:
		c.NullArray()
	default:
		c.Array(3)
		c.Bulk(key)
		c.zpopMembers(z, fromMax, 1, false)
	}
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
func cmdBZMPop(c *Ctx, args [][]byte) {
	if _, ok := c.blockingArgs(args); !ok {
		return
	}
	p, _ := parseZMPop(args, 2)
	c.zmpop(p)
}

// parseBZMPop parses BZMPOP: numkeys, the end and COUNT come before the
// timeout, as in Redis.
func parseBZMPop(args [][]byte) (blockingCall, string) {
	p, errMsg := parseZMPop(args, 2)
	if errMsg != "" {
		return blockingCall{}, errMsg
	}
	ms, errMsg := parseTimeout(args[1])
	if errMsg != "" {
		return blockingCall{}, errMsg
	}
	return blockingCall{keys: p.keys, timeoutMs: ms, count: p.count}, ""
}
