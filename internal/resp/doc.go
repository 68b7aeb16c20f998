// Package resp is the raw RESP client of the project's tests. Tests that
// compare replies byte for byte (with a real redis-server as the oracle, or
// with expected bytes) talk to raftis and to redis-server through it: it
// sends commands as RESP arrays of bulk strings, or any raw bytes, and
// returns each reply exactly as the server sent it.
//
// A reply is read whole, whatever its shape: every RESP2 type (simple
// string, error, integer, bulk string, array, their null forms, nesting)
// and the RESP3 types a server speaks after HELLO 3 (null, double, boolean,
// big number, blob error, verbatim string, map, set, push, attribute), so a
// reply the test did not expect never leaves the stream out of step. Parse
// decodes a reply into a Value for assertions on its structure.
//
// Test clients that users run (go-redis, redis-cli) are tested with those;
// this package is for tests that need the bytes.
package resp
