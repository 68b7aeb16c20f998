package fsm

import "github.com/raftis/raftis/fsm/rdb"

// Value is what a key holds. Every Redis type implements it.
//
// Values are shared with snapshots: Snapshot copies the keyspace trees
// lazily and Persist reads the values while Apply goes on. So a value that a
// snapshot may see is never changed in place. Strings are immutable byte
// slices; a collection type changes itself in place only after DB.mutable
// has handed it a private copy (see item.gen).
type Value interface {
	// Type is the reply of TYPE: "string", "list", "set", "zset", "hash".
	Type() string
	// clone returns a deep copy the caller may change in place.
	clone() Value
	// writeRDB writes the key and value as one RDB record.
	writeRDB(w *rdb.Writer, key []byte, expireAtMs int64) error
}

// stringValue is a Redis string. Its bytes are never modified after it is
// stored; commands that change a string build a new one.
type stringValue []byte

func (stringValue) Type() string   { return "string" }
func (s stringValue) clone() Value { return s }

func (s stringValue) writeRDB(w *rdb.Writer, key []byte, expireAtMs int64) error {
	return w.WriteString(key, s, expireAtMs)
}
