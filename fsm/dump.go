package fsm

import (
	"errors"

	"github.com/raftis/raftis/fsm/rdb"
)

// DUMP and RESTORE carry a value in Redis's own payload (fsm/rdb): an RDB
// value, the RDB version and a CRC-64. DUMP writes each type in the
// simple encodings every Redis since 2.x reads; RESTORE reads every
// encoding Redis 7.0 writes and builds the value in the encoding its size
// calls for, as Redis does.
var dumpCommands = []*Command{
	{Spec: Spec{Name: "dump", Arity: 2, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic",
		Summary: "Return a serialized version of the value stored at the specified key.",
		Tips:    []string{"nondeterministic_output"}}, Run: cmdDump},
	{Spec: Spec{Name: "restore", Arity: -4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, KeyStep: 1, Group: "generic",
		Summary: "Create a key using the provided serialized value, previously obtained using DUMP.",
		ACL:     []string{"keyspace", "dangerous"}}, Run: cmdRestore},
}

// RESTORE's replies, as Redis words them.
const (
	errBusyKey      = "BUSYKEY Target key name already exists."
	errBadTTL       = "ERR Invalid TTL value, must be >= 0"
	errBadIdle      = "ERR Invalid IDLETIME value, must be >= 0"
	errBadFreq      = "ERR Invalid FREQ value, must be >= 0 and <= 255"
	errDumpPayload  = "ERR DUMP payload version or checksum are wrong"
	errBadDumpValue = "ERR Bad data format"
)

// DUMP key
func cmdDump(c *Ctx, args [][]byte) {
	it, found := c.lookup(args[1])
	if !found {
		c.Null()
		return
	}
	payload, err := dumpPayload(it.val)
	if err != nil {
		// A stored value always encodes; this would be a bug.
		c.Error("ERR " + err.Error())
		return
	}
	c.Bulk(payload)
}

// dumpPayload is v's DUMP payload.
func dumpPayload(v Value) ([]byte, error) {
	w := rdb.NewDumpWriter()
	if err := v.writeRDB(w, nil, 0, false); err != nil {
		return nil, err
	}
	return w.Payload()
}

// restoreOptions are RESTORE's options after the payload.
type restoreOptions struct {
	replace, absTTL bool
	idle, freq      int64 // -1: not given
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
func cmdRestore(c *Ctx, args [][]byte) {
	o, ok := c.parseRestoreOptions(args[4:])
	if !ok {
		return
	}
	key := args[1]
	// Redis checks, in this order: the options, the key, the TTL, the
	// payload's footer, the value.
	if _, found := c.lookup(key); found && !o.replace {
		c.Error(errBusyKey)
		return
	}
	ttl, ok := c.intArg(args[2])
	if !ok {
		return
	}
	if ttl < 0 {
		c.Error(errBadTTL)
		return
	}
	val, errReply := restoredValue(c.lim, args[3])
	if errReply != "" {
		c.Error(errReply)
		return
	}
	if o.replace {
		c.db.delete(string(key))
	}
	if ttl != 0 && !o.absTTL {
		ttl = int64(uint64(ttl) + uint64(c.now)) // wraps as Redis's does
	}
	if ttl != 0 && ttl <= c.now {
		// Already expired: Redis answers OK and creates nothing (a
		// replaced key stays deleted).
		c.OK()
		return
	}
	it := item{key: string(key), val: val, expireAt: ttl, gen: c.fsm.gen, lru: c.lru()}
	if o.idle >= 0 {
		// FREQ is kept by Redis only under an LFU policy; raftis answers
		// as under noeviction, where IDLETIME sets the LRU clock.
		it.lru = lruForIdle(it.lru, o.idle)
	}
	c.db.set(it)
	c.signalIfBlocking(c.dbi, it.key, val)
	c.OK()
}

// parseRestoreOptions parses RESTORE's options as Redis does: IDLETIME and
// FREQ exclude each other (the second is a syntax error), and a bad value
// is reported at once.
func (c *Ctx) parseRestoreOptions(opts [][]byte) (restoreOptions, bool) {
	o := restoreOptions{idle: -1, freq: -1}
	for j := 0; j < len(opts); j++ {
		more := j+1 < len(opts)
		switch {
		case equalFold(opts[j], "replace"):
			o.replace = true
		case equalFold(opts[j], "absttl"):
			o.absTTL = true
		case equalFold(opts[j], "idletime") && more && o.freq == -1:
			j++
			n, ok := c.intArg(opts[j])
			if !ok {
				return o, false
			}
			if n < 0 {
				c.Error(errBadIdle)
				return o, false
			}
			o.idle = n
		case equalFold(opts[j], "freq") && more && o.idle == -1:
			j++
			n, ok := c.intArg(opts[j])
			if !ok {
				return o, false
			}
			if n < 0 || n > 255 {
				c.Error(errBadFreq)
				return o, false
			}
			o.freq = n
		default:
			c.Error(ErrSyntax)
			return o, false
		}
	}
	return o, true
}

// restoredValue decodes a DUMP payload into a new value, or returns
// RESTORE's error reply. Nothing is stored before the whole payload has
// decoded, so a corrupt one changes nothing.
func restoredValue(lim *Limits, payload []byte) (Value, string) {
	rec, err := rdb.DecodeDump(payload)
	switch {
	case errors.Is(err, rdb.ErrDumpTooShort), errors.Is(err, rdb.ErrDumpVersion), errors.Is(err, rdb.ErrDumpChecksum):
		return nil, errDumpPayload
	case err != nil:
		return nil, errBadDumpValue
	}
	val, err := valueFromRecord(lim, rec)
	if err != nil {
		return nil, errBadDumpValue
	}
	return val, ""
}
