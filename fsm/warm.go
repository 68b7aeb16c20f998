package fsm

import (
	"bytes"
	"strings"
)

// Warming: loading into the CPU's caches what the keys of a batch of
// commands will touch (the index, the record, the key's name, a string's
// bytes) before any of the commands runs.
//
// A lookup in a keyspace much larger than the caches is a chain of
// dependent cache misses: the index, then the record, then the name and
// the value. One key's chain cannot overlap itself, but the keys of a
// pipeline, of a log entry or of one multi-key command are independent:
// walking them a step at a time, each step for up to warmBatch keys,
// keeps that many misses in flight at once, and the commands then find
// their keys cached. Only loads: warming changes nothing, so whatever
// lock the caller holds for the commands is enough.

// warmBatch is how many keys a warmer takes a step further at a time:
// about as many cache misses as a core keeps in flight.
const warmBatch = 16

// warmMinKeys is the size of a database below which its keys are not
// warmed: its records stay in the caches, and warming would only add its
// own walk.
var warmMinKeys = 1 << 14

// warmer walks the keys of commands, at the positions the command table
// gives, in batches of warmBatch.
type warmer struct {
	keys   [warmBatch]string
	spaces [warmBatch]*keyspace
	n      int
	// walked counts the keys of batches already walked.
	walked int
	// sum keeps what the loads read, so that they are not dead code.
	sum uintptr
	// name and cmd are the last command looked up: pipelines repeat one.
	name []byte
	cmd  *Command
}

// add takes the keys of args towards the next batch.
func (w *warmer) add(k *keyspace, args [][]byte) {
	if len(args) < 2 || k.len() < warmMinKeys {
		return
	}
	cmd := w.lookup(args)
	if cmd == nil || cmd.FirstKey <= 0 {
		return
	}
	last := cmd.LastKey
	if last < 0 {
		last += len(args)
	}
	last = min(last, len(args)-1)
	for i := cmd.FirstKey; i <= last; i += max(cmd.KeyStep, 1) {
		w.keys[w.n], w.spaces[w.n] = stringView(args[i]), k
		w.n++
		if w.n == warmBatch {
			w.walk()
		}
	}
}

// lookup is LookupArgs, remembering the last command of a name. A
// subcommand depends on args[1] too, and is looked up every time.
func (w *warmer) lookup(args [][]byte) *Command {
	if w.cmd != nil && bytes.Equal(args[0], w.name) {
		return w.cmd
	}
	cmd := LookupArgs(args)
	if cmd != nil && !strings.Contains(cmd.Name, "|") {
		w.name, w.cmd = args[0], cmd
	}
	return cmd
}

// walk probes the index for the batch's keys, then loads their records,
// then their names and strings.
func (w *warmer) walk() {
	var recs [warmBatch]*item
	m := 0
	for i, key := range w.keys[:w.n] {
		if p := w.spaces[i].index[w.spaces[i].hash(key)]; p != nil {
			recs[m] = p
			m++
		}
	}
	for _, p := range recs[:m] {
		w.sum += uintptr(len(p.key)) // the record
	}
	for _, p := range recs[:m] {
		if len(p.key) > 0 {
			w.sum += uintptr(p.key[0]) // the name
		}
		if s, ok := p.val.(stringValue); ok && len(s) > 0 {
			w.sum += uintptr(s[0]) // a string's bytes
		}
	}
	w.walked += w.n
	clear(w.keys[:w.n])
	clear(w.spaces[:w.n])
	w.n = 0
}

// finish walks what is left of the last batch, unless the whole batch is
// a single key: its command finds it as fast as a walk would.
func (w *warmer) finish() uintptr {
	if w.walked+w.n > 1 {
		w.walk()
	}
	return w.sum
}

// warm warms the keys of reads on the current database.
func (c *Ctx) warm(cmds [][][]byte) {
	var w warmer
	for _, args := range cmds {
		w.add(&c.db.keys, args)
	}
	c.warmed = w.finish()
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
	c.warmed = w.finish()
}
