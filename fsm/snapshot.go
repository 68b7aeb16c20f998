package fsm

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"strconv"

	"github.com/cespare/xxhash/v2"
	"github.com/hashicorp/raft"
	"github.com/tidwall/btree"

	"github.com/raftis/raftis/fsm/rdb"
)

// RDB aux fields that carry raftis state besides the keys. Redis ignores
// aux fields it does not know, so a stock redis-server still loads the file.
const (
	auxFormat = "raftis-format" // snapshot layout version, "1"
	auxClock  = "raftis-clock"  // FSM.clock, ms
	auxNodes  = "raftis-nodes"  // JSON object: member id → client address
	auxIndex  = "raftis-index"  // index of the last log entry applied
	auxEpoch  = "raftis-txn-epoch"
	auxWatch  = "raftis-watch" // one per database, before its keys (watchsnap.go)
)

// snapshot is a point-in-time, copy-on-write view of the data set. Its trees
// share nodes with the live ones until Apply changes them, so taking it costs
// O(databases) and Persist may read it while Apply goes on.
type snapshot struct {
	dbs      [NumDatabases]*btree.BTreeG[slot]
	volatile [NumDatabases]int
	watch    [NumDatabases]watchState // copies, without at
	nodes    map[string]string
	clock    int64
	index    uint64
	epoch    uint64
}

// Snapshot captures the data set. It runs on the FSM goroutine, so no Apply
// is in progress; the write lock keeps concurrent readers out while the
// trees are re-rooted for copy-on-write.
func (f *FSM) Snapshot() (raft.FSMSnapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snapshotLocked(), nil
}

func (f *FSM) snapshotLocked() *snapshot {
	s := &snapshot{nodes: maps.Clone(f.nodes), clock: f.clock, index: f.applied.Load(), epoch: f.txnEpoch}
	for i, db := range f.dbs {
		s.dbs[i] = db.copyForSnapshot()
		s.volatile[i] = len(db.volatile)
		s.watch[i] = db.watchState.copyForSnapshot()
	}
	// Values stored so far may now be shared with s: a collection changed
	// from here on must be copied first (see item.gen).
	f.gen++
	return s
}

// Persist streams the snapshot to sink as an RDB file.
func (s *snapshot) Persist(sink raft.SnapshotSink) error {
	if err := s.writeRDB(sink, false); err != nil {
		_ = sink.Cancel()
		return err
	}
	// Raft calls Close again after a nil return and ignores that result,
	// so the error of this first Close is the one that counts.
	return sink.Close()
}

// Release is a no-op: the copied trees are garbage once unreferenced.
func (s *snapshot) Release() {}

// writeRDB writes the data set as an RDB file (version 10). canonical
// writes the elements of sets and hashes in an order that depends only on
// their contents (see Value.writeRDB), and no idle times.
func (s *snapshot) writeRDB(out io.Writer, canonical bool) error {
	bw := bufio.NewWriterSize(yieldingWriter{out}, 64<<10)
	w := rdb.NewWriter(bw)
	nodes, err := json.Marshal(s.nodes)
	if err != nil {
		return err
	}
	if err := errors.Join(
		w.WriteHeader(),
		w.WriteAux(auxFormat, "1"),
		w.WriteAux(auxClock, strconv.FormatInt(s.clock, 10)),
		w.WriteAux(auxNodes, string(nodes)),
		w.WriteAux(auxIndex, strconv.FormatUint(s.index, 10)),
		w.WriteAux(auxEpoch, strconv.FormatUint(s.epoch, 10)),
	); err != nil {
		return err
	}
	clock := lruClock(s.clock)
	for i, keys := range s.dbs {
		if !s.watch[i].empty() || keys.Len() > 0 {
			if err := w.WriteAux(auxWatch, stringView(encodeWatch(i, &s.watch[i], keys))); err != nil {
				return err
			}
		}
		if keys.Len() == 0 {
			continue
		}
		if err := errors.Join(w.WriteSelectDB(i), w.WriteResizeDB(uint64(keys.Len()), uint64(s.volatile[i]))); err != nil {
			return err
		}
		scanSlots(keys, func(it *item) bool {
			if !canonical {
				// Redis writes idle times only under an LRU policy but
				// loads them always: the keys keep their OBJECT IDLETIME
				// across a restart or a full sync.
				w.SetIdle(uint64(idleSeconds(clock, it.lru)))
			}
			if werr := it.val.writeRDB(w, bytesView(it.key), it.expireAt, canonical); werr != nil { // the writer copies what it is given
				err = fmt.Errorf("write key %q: %w", it.key, werr)
			}
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// Restore replaces the data set with the RDB file read from rc. The new
// state is built aside and swapped in at once, so a failed restore leaves
// the old data set untouched.
func (f *FSM) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	st, err := readRDB(bufio.NewReaderSize(rc, 64<<10), f.limits.Load(), &f.index, &f.gen)
	if err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	f.mu.Lock()
	f.dbs, f.nodes, f.clock, f.txnEpoch = st.dbs, st.nodes, st.clock, st.epoch
	if st.index > 0 {
		f.index = st.index
	}
	f.gen++
	// Any database may now hold lists that blocked clients wait for.
	for i := range f.dbs {
		f.signalReady(i, "")
	}
	f.mu.Unlock()
	f.deliverReady()
	// A snapshot from before raftis-index existed leaves the index as it
	// was; it only serves waits for entries that are applied after it.
	if st.index > 0 {
		f.setApplied(st.index)
	}
	return nil
}

// restored is the state read back from an RDB file.
type restored struct {
	dbs   [NumDatabases]*DB
	nodes map[string]string
	clock int64
	index uint64
	epoch uint64
	// mods are the keys' mods of each database from its raftis-watch
	// field, in the order its keys follow; loaded counts the keys read.
	mods   [NumDatabases][]uint64
	loaded [NumDatabases]int
}

// readRDB loads an RDB stream into fresh databases, whose changes will be
// stamped with *at and whose records belong to generation *gen.
func readRDB(r io.Reader, lim *Limits, at *uint64, gen *uint32) (*restored, error) {
	st := &restored{nodes: make(map[string]string)}
	for i := range st.dbs {
		st.dbs[i] = newDB(at, gen)
	}
	rr, err := rdb.NewReader(r)
	if err != nil {
		return nil, err
	}
	dbi := 0
	for {
		rec, err := rr.Next()
		if errors.Is(err, io.EOF) {
			return st, st.checkMods()
		}
		if err != nil {
			return nil, err
		}
		switch rec.Kind {
		case rdb.RecordAux:
			if err := st.readAux(rec); err != nil {
				return nil, err
			}
		case rdb.RecordSelectDB:
			if rec.DB < 0 || rec.DB >= NumDatabases {
				return nil, fmt.Errorf("database %d out of range", rec.DB)
			}
			dbi = rec.DB
		case rdb.RecordKey:
			val, err := valueFromRecord(lim, rec)
			if err != nil {
				return nil, fmt.Errorf("key %q: %w", rec.Key, err)
			}
			st.dbs[dbi].put(item{key: string(rec.Key), val: val, expireAt: rec.ExpireAtMs, lru: restoredLRU(st.clock, rec), mod: st.nextMod(dbi)})
		}
	}
}

func (st *restored) readAux(rec *rdb.Record) error {
	var err error
	switch rec.AuxKey {
	case auxClock:
		st.clock, err = strconv.ParseInt(rec.AuxValue, 10, 64)
	case auxIndex:
		st.index, err = strconv.ParseUint(rec.AuxValue, 10, 64)
	case auxNodes:
		err = json.Unmarshal([]byte(rec.AuxValue), &st.nodes)
	case auxEpoch:
		st.epoch, err = strconv.ParseUint(rec.AuxValue, 10, 64)
	case auxWatch:
		err = st.readWatch([]byte(rec.AuxValue))
	}
	if err != nil {
		return fmt.Errorf("aux %s: %w", rec.AuxKey, err)
	}
	return nil
}

// restoredLRU is the LRU stamp of a key loaded at time clock (ms): as old
// as the IDLE opcode before it says, as Redis does when it loads a file,
// or fresh.
func restoredLRU(clock int64, rec *rdb.Record) uint32 {
	if rec.HasIdle {
		return lruForIdle(lruClock(clock), int64(min(rec.Idle, math.MaxInt64)))
	}
	return lruClock(clock)
}

// valueFromRecord converts a decoded RDB value into the Value that holds
// it, choosing encodings under lim as Redis does when it loads a file.
func valueFromRecord(lim *Limits, rec *rdb.Record) (Value, error) {
	switch rec.Type {
	case rdb.TypeString:
		return newString(rec.String), nil
	case rdb.TypeSet:
		return setFromRecord(lim, rec.Set)
	case rdb.TypeHash:
		return hashFromRecord(lim, rec.Hash)
	case rdb.TypeList:
		return listFromRecord(lim, rec.List), nil
	case rdb.TypeZSet:
		return zsetFromRecord(lim, rec.ZSet)
	default:
		return nil, fmt.Errorf("value type %v is not supported yet", rec.Type)
	}
}

// WriteRDB writes the current data set as an RDB file. It takes a snapshot
// first, so it holds the lock only for O(databases) time.
func (f *FSM) WriteRDB(w io.Writer) error { return f.writeRDB(w, false) }

func (f *FSM) writeRDB(w io.Writer, canonical bool) error {
	f.mu.Lock()
	s := f.snapshotLocked()
	f.mu.Unlock()
	return s.writeRDB(w, canonical)
}

// Digest is a hash of the whole data set (its RDB image, with the elements
// of sets and hashes in canonical order). Nodes that applied the same
// entries have equal digests, whatever encodings their limits chose.
func (f *FSM) Digest() (uint64, error) {
	h := xxhash.New()
	if err := f.writeRDB(h, true); err != nil {
		return 0, err
	}
	return h.Sum64(), nil
}

// yieldingWriter hands its processor to other goroutines after each write
// it passes on. Persist runs beside Apply, and on a small machine the two
// share the processors with the garbage collector's mark workers: without
// yielding, the scheduler let Persist run for its whole 10–20 ms time
// slice while Apply, woken by the next entry, waited to run (execution
// traces of BenchmarkApplyDuringPersist). Writes come from a 64 KiB
// buffer, so Persist yields every 64 KiB of output, often enough for
// Apply and at no measurable cost to Persist.
type yieldingWriter struct{ w io.Writer }

func (y yieldingWriter) Write(p []byte) (int, error) {
	n, err := y.w.Write(p)
	runtime.Gosched()
	return n, err
}
