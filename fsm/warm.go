package fsm

import "bytes"

// Warming: loading into the CPU's caches what the keys of a batch of
// commands will touch (the index, the record, the key's name, a string's
// bytes) before any of the commands runs.
//
// A lookup in a keyspace much larger than the caches is a chain of
// dependent cache misses: the index, then the record, then the name and
// the value. One command's chain cannot overlap itself, but the commands
// of a pipeline, or of a log entry, are independent: walking their keys a
// step at a time, each step for up to warmBatch keys, keeps that many
// misses in flight at once, and the commands then find their keys cached.
// Only loads: warming changes nothing, so whatever lock the caller holds
// for the commands is enough.

// warmBatch is how many keys a warmer takes a step further at a time:
// about as many cache misses as a core keeps in flight.
const warmBatch = 16

// warmMinKeys is the size of a database below which its keys are not
// warmed: its records stay in the caches, and warming would only add its
// own walk.
var warmMinKeys = 1 << 14

// warmer walks the first keys of commands in batches of warmBatch.
type warmer struct {
	recs [warmBatch]*item
	n    int
	// sum keeps what the loads read, so that they are not dead code.
	sum uintptr
	// name and cmd are the last command looked up: pipelines repeat one.
	name []byte
	cmd  *Command
}

// add takes the first key of args, if its command has one, towards the
// next batch.
func (w *warmer) add(k *keyspace, args [][]byte) {
	if len(args) < 2 || k.len() < warmMinKeys {
		return
	}
	if w.cmd == nil || !bytes.Equal(args[0], w.name) {
		w.name, w.cmd = args[0], LookupArgs(args)
	}
	if w.cmd == nil || w.cmd.FirstKey != 1 {
		return
	}
	if p := k.index[k.hash(stringView(args[1]))]; p != nil {
		w.recs[w.n] = p
		w.n++
		if w.n == warmBatch {
			w.flush()
		}
	}
}

// flush loads the records of the batch, then their names and strings.
func (w *warmer) flush() {
	recs := w.recs[:w.n]
	for _, p := range recs {
		w.sum += uintptr(len(p.key)) // the record
	}
	for _, p := range recs {
		if len(p.key) > 0 {
			w.sum += uintptr(p.key[0]) // the name
		}
		if s, ok := p.val.(stringValue); ok && len(s) > 0 {
			w.sum += uintptr(s[0]) // a string's bytes
		}
	}
	clear(recs)
	w.n = 0
}

// warm warms the keys of a pipeline of reads on the current database.
func (c *Ctx) warm(cmds [][][]byte) {
	var w warmer
	for _, args := range cmds {
		w.add(&c.db.keys, args)
	}
	w.flush()
	c.warmed = w.sum
}

// warmEntry warms the keys of a log entry's commands, each on its own
// database. Transaction blocks are left to run cold.
func (c *Ctx) warmEntry(cmds []Cmd) {
	var w warmer
	for i := range cmds {
		if cmd := &cmds[i]; cmd.Block == nil && cmd.DB >= 0 && cmd.DB < len(c.fsm.dbs) {
			w.add(&c.fsm.dbs[cmd.DB].keys, cmd.Args)
		}
	}
	w.flush()
	c.warmed = w.sum
}
