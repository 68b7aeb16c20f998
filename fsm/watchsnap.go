package fsm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/tidwall/btree"
)

// The WATCH bookkeeping in snapshots. Each database whose bookkeeping is
// not empty, or that has keys, gets a raftis-watch aux field just before
// its keys:
//
//	db | changed | swapped | floor | recentMax | olderMax |
//	nrecent × ( len key mod ) | nolder × ( len key mod ) |  (counts first)
//	nkeys | nkeys × mod                                      (in key order)
//
// all uvarints; tombstones sorted by key, so equal states write equal
// bytes (Digest). The keys' mods follow the order Persist writes the keys
// in (the keyspace order), so the reader gives each key it loads the
// next one. Redis ignores the field.

// copyForSnapshot copies the bookkeeping for a snapshot. The recent
// tombstones change in place, so they are copied (at most goneGeneration
// keys); the older ones are never written, only replaced whole when
// recent fills up, so the snapshot shares them.
func (w *watchState) copyForSnapshot() watchState {
	c := *w
	c.at = nil
	c.gone.recent = maps.Clone(w.gone.recent)
	return c
}

// empty reports whether w is what a new database starts with.
func (w *watchState) empty() bool {
	g := &w.gone
	return w.changed == 0 && w.swapped == 0 && g.floor == 0 && g.recentMax == 0 && g.olderMax == 0 &&
		len(g.recent) == 0 && len(g.older) == 0
}

// encodeWatch encodes database db's bookkeeping and the mods of keys.
func encodeWatch(db int, w *watchState, keys *btree.BTreeG[slot]) []byte {
	g := &w.gone
	b := binary.AppendUvarint(nil, uint64(db))
	for _, v := range []uint64{w.changed, w.swapped, g.floor, g.recentMax, g.olderMax} {
		b = binary.AppendUvarint(b, v)
	}
	b = appendTombstones(b, g.recent)
	b = appendTombstones(b, g.older)
	b = binary.AppendUvarint(b, uint64(keys.Len()))
	scanSlots(keys, func(it *item) bool {
		b = binary.AppendUvarint(b, it.mod)
		return true
	})
	return b
}

func appendTombstones(b []byte, m map[string]uint64) []byte {
	b = binary.AppendUvarint(b, uint64(len(m)))
	for _, key := range slices.Sorted(maps.Keys(m)) {
		b = binary.AppendUvarint(b, uint64(len(key)))
		b = append(b, key...)
		b = binary.AppendUvarint(b, m[key])
	}
	return b
}

var errWatchField = errors.New("bad " + auxWatch + " field")

// readWatch decodes a raftis-watch field into its database.
func (st *restored) readWatch(data []byte) error {
	d := decoder{buf: data}
	dbi := d.count(NumDatabases - 1)
	db := st.dbs[dbi]
	g := &db.gone
	db.changed, db.swapped, g.floor, g.recentMax, g.olderMax = d.uvarint(), d.uvarint(), d.uvarint(), d.uvarint(), d.uvarint()
	g.recent, g.older = d.tombstones(), d.tombstones()
	n := d.count(len(d.buf))
	mods := make([]uint64, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		mods = append(mods, d.uvarint())
	}
	if d.err == nil && len(d.buf) != 0 {
		d.fail(fmt.Errorf("%d trailing bytes", len(d.buf)))
	}
	if d.err != nil {
		return fmt.Errorf("%w: %w", errWatchField, d.err)
	}
	if st.mods[dbi] != nil {
		return fmt.Errorf("%w: database %d twice", errWatchField, dbi)
	}
	st.mods[dbi] = mods
	return nil
}

func (d *decoder) tombstones() map[string]uint64 {
	n := d.count(len(d.buf))
	m := make(map[string]uint64, n)
	for i := 0; i < n && d.err == nil; i++ {
		key := d.bytes()
		m[string(key)] = d.uvarint()
	}
	return m
}

// nextMod is the mod of the next key loaded into database dbi: from its
// raftis-watch field, or 0 for a file without one (a snapshot from before
// WATCH existed, or Redis's own: no guard from before the first
// transaction entry holds anyway, see txnEpoch).
func (st *restored) nextMod(dbi int) uint64 {
	i := st.loaded[dbi]
	st.loaded[dbi]++
	if i < len(st.mods[dbi]) {
		return st.mods[dbi][i]
	}
	return 0
}

// checkMods verifies that every raftis-watch field listed as many mods as
// its database has keys.
func (st *restored) checkMods() error {
	for i, mods := range st.mods {
		if mods != nil && len(mods) != st.loaded[i] {
			return fmt.Errorf("%w: database %d has %d keys and %d mods", errWatchField, i, st.loaded[i], len(mods))
		}
	}
	return nil
}
