package fsm

// Limits are the thresholds under which a collection keeps its compact
// encoding, Redis's *-max-listpack-* and set-max-intset-entries settings.
// As in Redis they are node-local (CONFIG SET on one node changes that node
// only) and they change representations, never contents: whatever the
// limits, every command replies the same and leaves the same elements.
// Where a write's effect could depend on the representation (SPOP picks
// by position), the command works in an order every encoding shares.
type Limits struct {
	HashMaxListpackEntries int64 // hash-max-listpack-entries
	HashMaxListpackValue   int64 // hash-max-listpack-value
	SetMaxIntsetEntries    int64 // set-max-intset-entries
	ZSetMaxListpackEntries int64 // zset-max-listpack-entries
	ZSetMaxListpackValue   int64 // zset-max-listpack-value
	// ListMaxListpackSize is list-max-listpack-size: a positive value is
	// the most elements per chunk of a list, -1 to -5 a chunk size of 4,
	// 8, 16, 32 or 64 KiB.
	ListMaxListpackSize int64
}

// DefaultLimits are Redis 7.0's defaults.
var DefaultLimits = Limits{
	HashMaxListpackEntries: 512,
	HashMaxListpackValue:   64,
	SetMaxIntsetEntries:    512,
	ZSetMaxListpackEntries: 128,
	ZSetMaxListpackValue:   64,
	ListMaxListpackSize:    -2,
}

// SetLimits replaces the encoding limits for collections that grow from
// now on; existing values keep their encodings, as in Redis.
func (f *FSM) SetLimits(l Limits) { f.limits.Store(&l) }

// Limits returns the encoding limits in force.
func (f *FSM) Limits() Limits { return *f.limits.Load() }
