package fsm

import (
	"strconv"
	"strings"
)

// Ctx is the context one command runs in: the selected database, the time
// and randomness it may use, and the buffer its reply is appended to.
type Ctx struct {
	fsm   *FSM
	dbi   int
	db    *DB
	now   int64  // ms: the entry's time on writes, the local clock on reads
	write bool   // applying a log entry (may mutate) rather than reading
	rng   uint64 // splitmix64 state, seeded from the entry
	lim   *Limits
	out   []byte
	// warmed keeps what warm loaded, so that its loads are not dead code.
	warmed uintptr
	// touched are the collections the running command changes in place
	// (writable); settle accounts for them once it returns.
	touched []touch
}

func (c *Ctx) selectDB(i int) {
	c.dbi = i
	c.db = c.fsm.dbs[i]
}

// exec runs args as a command, checking name and arity against the table.
// The server checks both before proposing; checking again here keeps Apply
// total: any entry yields a reply, never a panic.
func (c *Ctx) exec(args [][]byte) {
	if len(args) == 0 {
		c.Error("ERR empty command")
		return
	}
	cmd := LookupArgs(args)
	if cmd == nil || cmd.Run == nil {
		c.Error("ERR unknown command '" + string(args[0]) + "'")
		return
	}
	if !cmd.ArityOK(len(args)) {
		c.Error(ErrArity(cmd.Name))
		return
	}
	if !c.write && cmd.Flags&FlagWrite != 0 {
		c.Error("ERR write command '" + cmd.Name + "' cannot run as a read")
		return
	}
	start := len(c.out)
	cmd.Run(c, args)
	if len(c.touched) > 0 {
		c.settle(len(c.out) > start && c.out[start] == '-')
	}
}

// rand returns the next deterministic pseudo-random number (splitmix64).
func (c *Ctx) rand() uint64 {
	c.rng += 0x9e3779b97f4a7c15
	z := c.rng
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// lookup returns the live item of key. A write removes an expired key it
// meets (every node does so at the same entry time); a read only hides it.
func (c *Ctx) lookup(key []byte) (item, bool) {
	return c.lookupIn(c.db, stringView(key))
}

func (c *Ctx) lookupIn(db *DB, key string) (item, bool) {
	it, ok := db.get(key)
	if !ok {
		return item{}, false
	}
	if it.expired(c.now) {
		if c.write {
			// A copy: the deletion keeps the name, and lookup's key is
			// the caller's bytes, converted without a copy of its own.
			db.delete(strings.Clone(key))
		}
		return item{}, false
	}
	return it, true
}

// lookupString returns the string at key. It replies WRONGTYPE and returns
// ok=false when the key holds another type.
func (c *Ctx) lookupString(key []byte) (val []byte, found, ok bool) {
	it, found := c.lookup(key)
	if !found {
		return nil, false, true
	}
	s, isString := it.val.(stringValue)
	if !isString {
		c.Error(ErrWrongType)
		return nil, true, false
	}
	return s, true, true
}

// ParseInt parses an integer argument the way Redis does (string2ll):
// canonical decimal int64 only, no sign '+', no leading zeros or spaces.
func ParseInt(b []byte) (int64, bool) { return parseInt(b) }

func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if b[0] == '+' || (b[0] == '0' && len(b) > 1) || (b[0] == '-' && (len(b) == 1 || b[1] == '0')) {
		return 0, false
	}
	// Digits only past the sign, checked here: strconv's error for text
	// allocates, and most values a SET stores are not numbers.
	for _, ch := range b[1:] {
		if ch < '0' || ch > '9' {
			return 0, false
		}
	}
	if ch := b[0]; ch != '-' && (ch < '0' || ch > '9') {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	return n, err == nil
}

// intArg parses args[i] as an integer, replying the Redis error if it is not.
func (c *Ctx) intArg(b []byte) (int64, bool) {
	n, ok := parseInt(b)
	if !ok {
		c.Error(ErrNotInteger)
	}
	return n, ok
}
