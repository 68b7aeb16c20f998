package fsm

import (
	"bytes"
	"math"
)

var keyCommands = []*Command{
	{Spec: Spec{Name: "del", Arity: -2, Flags: FlagWrite, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "generic", Summary: "Deletes one or more keys.", Tips: tipsMultiShard}, Run: cmdDel},
	{Spec: Spec{Name: "unlink", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "generic", Summary: "Asynchronously deletes one or more keys.", Tips: tipsMultiShard}, Run: cmdUnlink},
	{Spec: Spec{Name: "exists", Arity: -2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "generic", Summary: "Determines whether one or more keys exist.", Tips: tipsMultiShard}, Run: cmdExists},
	{Spec: Spec{Name: "type", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Determines the type of value stored at a key."}, Run: cmdType},
	{Spec: Spec{Name: "keys", Arity: 2, Flags: FlagReadonly, Group: "generic", Summary: "Returns all key names that match a pattern.", ACL: aclKeyspaceDangerous, Tips: []string{"request_policy:all_shards", "nondeterministic_output_order"}}, Run: cmdKeys},
	{Spec: Spec{Name: "scan", Arity: -2, Flags: FlagReadonly, Group: "generic", Summary: "Iterates over the key names in the database.", Tips: []string{"nondeterministic_output", "request_policy:special"}}, Run: cmdScan},
	{Spec: Spec{Name: "randomkey", Arity: 1, Flags: FlagReadonly, Group: "generic", Summary: "Returns a random key name from the database.", Tips: []string{"request_policy:all_shards", "nondeterministic_output"}}, Run: cmdRandomKey},
	{Spec: Spec{Name: "rename", Arity: 3, Flags: FlagWrite, FirstKey: 1, LastKey: 2, KeyStep: 1, Group: "generic", Summary: "Renames a key and overwrites the destination."}, Run: cmdRename},
	{Spec: Spec{Name: "renamenx", Arity: 3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 2, KeyStep: 1, Group: "generic", Summary: "Renames a key only when the target key name doesn't exist."}, Run: cmdRenameNX},
	{Spec: Spec{Name: "move", Arity: 3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic", Summary: "Moves a key to another database."}, Run: cmdMove},
	{Spec: Spec{Name: "copy", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, KeyStep: 1, Group: "generic", Summary: "Copies the value of a key to a new key."}, Run: cmdCopy},
	{Spec: Spec{Name: "touch", Arity: -2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: -1, KeyStep: 1, Group: "generic", Summary: "Returns the number of existing keys out of those specified after updating the time they were last accessed.", Tips: tipsMultiShard}, Run: cmdTouch},
	// Redis files these four under "server", not "generic".
	{Spec: Spec{Name: "dbsize", Arity: 1, Flags: FlagReadonly | FlagFast, Group: "server", Summary: "Returns the number of keys in the database.", ACL: []string{"keyspace"}, Tips: []string{"request_policy:all_shards", "response_policy:agg_sum"}}, Run: cmdDBSize},
	{Spec: Spec{Name: "flushdb", Arity: -1, Flags: FlagWrite, Group: "server", Summary: "Removes all keys from the current database.", ACL: aclKeyspaceDangerous, Tips: tipsAllShardsSucceeded}, Run: cmdFlushDB},
	{Spec: Spec{Name: "flushall", Arity: -1, Flags: FlagWrite, Group: "server", Summary: "Removes all keys from all databases.", ACL: aclKeyspaceDangerous, Tips: tipsAllShardsSucceeded}, Run: cmdFlushAll},
	{Spec: Spec{Name: "swapdb", Arity: 3, Flags: FlagWrite | FlagFast, Group: "server", Summary: "Swaps two Redis databases.", ACL: aclKeyspaceDangerous}, Run: cmdSwapDB},
}

// COMMAND INFO's tips and ACL categories shared by the key commands.
var (
	tipsMultiShard         = []string{"request_policy:multi_shard", "response_policy:agg_sum"}
	tipsAllShardsSucceeded = []string{"request_policy:all_shards", "response_policy:all_succeeded"}
	aclKeyspaceDangerous   = []string{"keyspace", "dangerous"}
)

// errIntRange is Redis's reply to an argument parsed as a C int (a DB
// index) that is an integer outside int's range.
const errIntRange = "ERR value is out of range, value must between -2147483648 and 2147483647"

// DEL key [key ...]
func cmdDel(c *Ctx, args [][]byte) {
	var n int64
	for _, key := range args[1:] {
		if _, found := c.lookup(key); found {
			c.db.delete(string(key))
			n++
		}
	}
	c.Int(n)
}

// UNLINK key [key ...]
func cmdUnlink(c *Ctx, args [][]byte) { cmdDel(c, args) }

// EXISTS key [key ...]
func cmdExists(c *Ctx, args [][]byte) {
	var n int64
	for _, key := range args[1:] {
		if _, found := c.lookup(key); found {
			n++
		}
	}
	c.Int(n)
}

// TOUCH key [key ...]
func cmdTouch(c *Ctx, args [][]byte) { cmdExists(c, args) }

// TYPE key
func cmdType(c *Ctx, args [][]byte) {
	it, found := c.lookup(args[1])
	if !found {
		c.Status("none")
		return
	}
	c.Status(it.val.Type())
}

// KEYS pattern
func cmdKeys(c *Ctx, args [][]byte) {
	pattern := args[1]
	// As in Redis, "*" matches every key without the matcher, which
	// would not match the empty key.
	all := len(pattern) == 1 && pattern[0] == '*'
	var keys []string
	c.db.keys.each(func(it *item) bool {
		if !it.expired(c.now) && (all || stringMatch(pattern, it.key, false)) {
			keys = append(keys, it.key)
		}
		return true
	})
	c.Array(len(keys))
	for _, k := range keys {
		c.BulkString(k)
	}
}

// RANDOMKEY
func cmdRandomKey(c *Ctx, _ [][]byte) {
	n := c.db.Len()
	if n == 0 {
		c.Null()
		return
	}
	// Pick a position, then take the first live key from there on,
	// wrapping around once.
	start := int(c.rand() % uint64(n))
	var key string
	found := false
	pick := func(it *item) bool {
		if it.expired(c.now) {
			return true
		}
		key, found = it.key, true
		return false
	}
	c.db.keys.ascendAt(start, pick)
	if !found {
		i := 0
		c.db.keys.each(func(it *item) bool {
			if i >= start {
				return false
			}
			i++
			return pick(it)
		})
	}
	if !found {
		c.Null()
		return
	}
	c.BulkString(key)
}

// RENAME key newkey
func cmdRename(c *Ctx, args [][]byte) { c.rename(args[1], args[2], false) }

// RENAMENX key newkey
func cmdRenameNX(c *Ctx, args [][]byte) { c.rename(args[1], args[2], true) }

func (c *Ctx) rename(src, dst []byte, nx bool) {
	it, found := c.lookup(src)
	if !found {
		c.Error(ErrNoSuchKey)
		return
	}
	if bytes.Equal(src, dst) {
		// Nothing to do; Redis still requires the key to exist.
		c.renameReply(nx, false)
		return
	}
	if _, exists := c.lookup(dst); exists && nx {
		c.renameReply(nx, false)
		return
	}
	c.db.delete(it.key)
	// The value moves, it is not copied: its sharing with snapshots (gen)
	// is unchanged. The deadline moves with it.
	c.put(c.db, item{key: string(dst), val: it.val, expireAt: it.expireAt, gen: it.gen})
	c.signalIfBlocking(c.dbi, string(dst), it.val)
	c.renameReply(nx, true)
}

func (c *Ctx) renameReply(nx, renamed bool) {
	switch {
	case !nx:
		c.OK()
	case renamed:
		c.Int(1)
	default:
		c.Int(0)
	}
}

// MOVE key db
func cmdMove(c *Ctx, args [][]byte) {
	dbi, ok := c.dbIndexArg(args[2])
	if !ok {
		return
	}
	if dbi == c.dbi {
		c.Error(ErrSameObject)
		return
	}
	it, found := c.lookup(args[1])
	if !found {
		c.Int(0)
		return
	}
	dst := c.fsm.dbs[dbi]
	if _, exists := c.lookupIn(dst, it.key); exists {
		c.Int(0)
		return
	}
	c.db.delete(it.key)
	c.put(dst, it)
	c.signalIfBlocking(dbi, it.key, it.val)
	c.Int(1)
}

// COPY source destination [DB destination-db] [REPLACE]
func cmdCopy(c *Ctx, args [][]byte) {
	dbi, replace := c.dbi, false
	for j := 3; j < len(args); j++ {
		switch {
		case equalFold(args[j], "replace"):
			replace = true
		case equalFold(args[j], "db") && j+1 < len(args):
			j++
			n, ok := c.dbIndexArg(args[j])
			if !ok {
				return
			}
			dbi = n
		default:
			c.Error(ErrSyntax)
			return
		}
	}
	if dbi == c.dbi && bytes.Equal(args[1], args[2]) {
		c.Error(ErrSameObject)
		return
	}
	it, found := c.lookup(args[1])
	if !found {
		c.Int(0)
		return
	}
	dst, key := c.fsm.dbs[dbi], string(args[2])
	if _, exists := c.lookupIn(dst, key); exists && !replace {
		c.Int(0)
		return
	}
	// The copy is a new value, private to this generation.
	val := it.val.clone()
	c.put(dst, item{key: key, val: val, expireAt: it.expireAt, gen: c.fsm.gen})
	c.signalIfBlocking(dbi, key, val)
	c.Int(1)
}

// dbIndexArg parses a database index as MOVE and COPY do: a C int, then
// a database that exists.
func (c *Ctx) dbIndexArg(b []byte) (int, bool) {
	n, ok := c.int32Arg(b, "")
	if !ok {
		return 0, false
	}
	if n < 0 || n >= NumDatabases {
		c.Error(ErrDBIndex)
		return 0, false
	}
	return n, true
}

// int32Arg parses b as Redis's getIntFromObjectOrReply does. msg, if not
// empty, replaces both of its errors.
func (c *Ctx) int32Arg(b []byte, msg string) (int, bool) {
	n, ok := parseInt(b)
	switch {
	case ok && n >= math.MinInt32 && n <= math.MaxInt32:
		return int(n), true
	case msg != "":
		c.Error(msg)
	case !ok:
		c.Error(ErrNotInteger)
	default:
		c.Error(errIntRange)
	}
	return 0, false
}

// DBSIZE
func cmdDBSize(c *Ctx, _ [][]byte) {
	// Like Redis, this counts keys whose deadline has passed but that no
	// write or sweep has removed yet.
	c.Int(int64(c.db.Len()))
}

// FLUSHDB [ASYNC | SYNC]
func cmdFlushDB(c *Ctx, args [][]byte) {
	if !c.flushOptionsOK(args) {
		return
	}
	c.fsm.flushDB(c.dbi)
	c.selectDB(c.dbi)
	c.OK()
}

// FLUSHALL [ASYNC | SYNC]
func cmdFlushAll(c *Ctx, args [][]byte) {
	if !c.flushOptionsOK(args) {
		return
	}
	for i := range c.fsm.dbs {
		c.fsm.flushDB(i)
	}
	c.selectDB(c.dbi)
	c.OK()
}

// flushDB replaces database i with an empty one that inherits its WATCH
// bookkeeping: each of its keys as deleted, as Redis touches each watched
// key the flush removes, while the tombstones can hold them all; past
// that, a floor that fails every guard from before the old database's
// last change (safe, and O(1) for a big database).
func (f *FSM) flushDB(i int) {
	old := f.dbs[i]
	db := newDB(&f.index, &f.gen)
	if old.Len() <= goneGeneration {
		db.inheritDeletions(old)
	} else {
		db.inheritWatch(&old.watchState)
	}
	f.dbs[i] = db
}

// flushOptionsOK accepts FLUSHDB's and FLUSHALL's one optional argument.
// Both modes free the data the same way here: snapshots may still share it.
func (c *Ctx) flushOptionsOK(args [][]byte) bool {
	if len(args) == 1 || (len(args) == 2 && (equalFold(args[1], "async") || equalFold(args[1], "sync"))) {
		return true
	}
	c.Error(ErrSyntax)
	return false
}

// SWAPDB index1 index2
func cmdSwapDB(c *Ctx, args [][]byte) {
	id1, ok := c.int32Arg(args[1], "ERR invalid first DB index")
	if !ok {
		return
	}
	id2, ok := c.int32Arg(args[2], "ERR invalid second DB index")
	if !ok {
		return
	}
	if id1 < 0 || id1 >= NumDatabases || id2 < 0 || id2 >= NumDatabases {
		c.Error(ErrDBIndex)
		return
	}
	dbs := &c.fsm.dbs
	if id1 != id2 {
		dbs[id1], dbs[id2] = dbs[id2], dbs[id1]
		// A WATCH on either database from before now must fail.
		dbs[id1].swapped, dbs[id2].swapped = c.fsm.index, c.fsm.index
		// Clients blocked in either database may now find lists there.
		c.fsm.signalReady(id1, "")
		c.fsm.signalReady(id2, "")
	}
	c.selectDB(c.dbi)
	c.OK()
}
