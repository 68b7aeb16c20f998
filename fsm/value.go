package fsm

import (
	"bytes"

	"github.com/raftis/raftis/fsm/rdb"
)

// Value is what a key holds. Every Redis type implements it.
//
// Values are shared with snapshots: Snapshot copies the keyspace trees
// lazily and Persist reads the values while Apply goes on. So a value that a
// snapshot may see is never changed in place: a command changes a value in
// place only once it is private to the current snapshot generation (see
// item.gen, and privateString for strings).
type Value interface {
	// Type is the reply of TYPE: "string", "list", "set", "zset", "hash".
	Type() string
	// clone returns a deep copy the caller may change in place.
	clone() Value
	// writeRDB writes the key and value as one RDB record.
	writeRDB(w *rdb.Writer, key []byte, expireAtMs int64) error
}

// stringValue is a Redis string. Most commands replace it with a new one;
// those that change part of it (SETBIT, APPEND, PFADD, ...) change it in
// place once privateString has made it private to this generation.
type stringValue []byte

func (stringValue) Type() string { return "string" }

// clone copies the bytes: the copy may be changed in place later.
func (s stringValue) clone() Value { return stringValue(bytes.Clone(s)) }

func (s stringValue) writeRDB(w *rdb.Writer, key []byte, expireAtMs int64) error {
	return w.WriteString(key, s, expireAtMs)
}
