package fsm

import "github.com/raftis/raftis/fsm/rdb"

// Value is what a key holds. Every Redis type implements it.
//
// Values are shared with snapshots: Snapshot copies the keyspace trees
// lazily and Persist reads the values while Apply goes on. So a value that a
// snapshot may see is never changed in place. Strings are byte slices that
// are only changed once private (see privateString); a collection changes
// itself in place only after writable has handed it a private copy (see
// item.gen).
type Value interface {
	// Type is the reply of TYPE: "string", "list", "set", "zset", "hash".
	Type() string
	// Encoding is the reply of OBJECT ENCODING: what Redis 7.0 would
	// report for this value, given how it was built and the limits in
	// force when it grew.
	Encoding() string
	// clone returns a copy of the value. Afterwards each of the two may be
	// changed in place without changing the other (COPY keeps both live).
	// It costs O(1) or O(a small collection): large collections share
	// structure copy-on-write.
	clone() Value
	// memSize estimates the bytes the value holds (INFO used_memory,
	// MEMORY USAGE). Collections keep it up to date as they change, so it
	// is O(1).
	memSize() int
	// writeRDB writes the key and value as one RDB record. canonical asks
	// for an order that depends only on the contents (not on the
	// insertion order small encodings keep), so that nodes whose
	// encodings differ write equal bytes (FSM.Digest).
	writeRDB(w *rdb.Writer, key []byte, expireAtMs int64, canonical bool) error
}

// collection is a Value with elements: list, set, sorted set, hash. Redis
// never keeps an empty one; a command that empties a collection deletes
// its key (settle).
type collection interface {
	Value
	length() int
}

// stringValue is a Redis string. Most commands replace it with a new one;
// those that change part of it (SETBIT, APPEND, PFADD, ...) change it in
// place once privateString has made it private to this generation. Its
// capacity records its Redis encoding (fsm/stringenc.go): make one only
// with newString, intString, floatString or rawString.
type stringValue []byte

func (stringValue) Type() string   { return "string" }
func (s stringValue) memSize() int { return cap(s) }

func (s stringValue) writeRDB(w *rdb.Writer, key []byte, expireAtMs int64, _ bool) error {
	return w.WriteString(key, s, expireAtMs)
}
