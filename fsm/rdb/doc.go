// Package rdb writes and reads Redis RDB files (format version 10, as
// written by Redis 7.0) and Redis DUMP payloads.
//
// The Raft state machine persists its snapshots in this format on purpose:
// a snapshot IS an RDB file. An operator can run redis-check-rdb on it, load
// it into a stock redis-server to poke at the data with redis-cli, or feed
// it to any of the many third-party RDB tools, without learning a private
// format. The same file written by Persist() is what Restore() reads back.
//
// The Writer emits only the simplest encodings (plain strings, lists, sets,
// hashes and binary-score sorted sets); redis-server 7.0 and later load
// them and convert to their compact in-memory forms as they see fit.
// The Reader is a full decoder for what Redis 7.0 itself writes: besides
// the plain encodings it understands integer and LZF-compressed strings,
// intsets, ziplists, zipmaps, listpacks and both quicklist generations, so
// it can also read real dump.rdb files and DUMP payloads. Streams, modules
// and functions are reported as unsupported.
//
// The Reader treats its input as untrusted: every length is checked against
// a limit and against what the input can actually hold, buffers grow only
// as data arrives, and nested encodings are validated before use, so corrupt
// or hostile input yields an error wrapping ErrCorrupt rather than a panic or
// an unbounded allocation.
package rdb
