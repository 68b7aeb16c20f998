package raftlog

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb/v2"
	wal "github.com/hashicorp/raft-wal"
	"go.etcd.io/bbolt"
)

// StoreKind names the store that holds a member's Raft log and its stable
// state (term, vote).
type StoreKind string

const (
	// StoreWAL is hashicorp/raft-wal: segment files appended with one fsync
	// per append. The default for a new directory.
	StoreWAL StoreKind = "wal"
	// StoreBoltDB is hashicorp/raft-boltdb/v2: one BoltDB file, two fsyncs
	// per append (a B+tree commit). Directories created before raft-wal
	// became the default hold this one.
	StoreBoltDB StoreKind = "boltdb"
)

// ParseStoreKind accepts "wal" and "boltdb"; "" means: whatever the
// directory holds, or wal for a new one.
func ParseStoreKind(s string) (StoreKind, error) {
	switch k := StoreKind(s); k {
	case "", StoreWAL, StoreBoltDB:
		return k, nil
	}
	return "", fmt.Errorf("unknown raft store %q: want %s or %s", s, StoreWAL, StoreBoltDB)
}

// ErrStoreMismatch: the store asked for is not the one the directory holds.
// Opening the other kind would start a second, empty log beside the real
// one, so Open refuses.
var ErrStoreMismatch = errors.New("raft store mismatch")

// Where each store keeps its files inside Config.Dir. They are what tells
// an existing directory's store.
const (
	boltFile = "raft.db"
	walDir   = "wal"
	walMeta  = "wal-meta.db" // inside walDir, written when the WAL is created
)

// detectStore reports which store dir holds, or "" if it holds none.
func detectStore(dir string) (StoreKind, error) {
	hasBolt, err := exists(filepath.Join(dir, boltFile))
	if err != nil {
		return "", err
	}
	hasWAL, err := exists(filepath.Join(dir, walDir, walMeta))
	if err != nil {
		return "", err
	}
	switch {
	case hasBolt && hasWAL:
		return "", fmt.Errorf("%s holds both a %s store (%s) and a %s store (%s/): remove the one that is not in use",
			dir, StoreBoltDB, boltFile, StoreWAL, walDir)
	case hasBolt:
		return StoreBoltDB, nil
	case hasWAL:
		return StoreWAL, nil
	}
	return "", nil
}

func exists(path string) (bool, error) {
	_, err := os.Stat(path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, os.ErrNotExist):
		return false, nil
	}
	return false, err
}

// chooseStore picks the store for dir: the one it holds, which want (if
// set) must name, or want (wal if unset) for a directory without one.
func chooseStore(dir string, want StoreKind) (StoreKind, error) {
	found, err := detectStore(dir)
	if err != nil {
		return "", err
	}
	switch {
	case found == "" && want == "":
		return StoreWAL, nil
	case found == "":
		return want, nil
	case want == "" || want == found:
		return found, nil
	}
	return "", fmt.Errorf("%w: %s holds a %s log store, not %s; start it with the %s store, or move the directory aside to start a new member",
		ErrStoreMismatch, dir, found, want, found)
}

// logStore is what both stores are: raft's log and stable store in one.
type logStore interface {
	raft.LogStore
	raft.StableStore
	io.Closer
}

// openStore opens (creating if need be) the store of kind in dir;
// walSegment is the segment size of a WAL (0: raft-wal's default, 64 MiB).
func openStore(kind StoreKind, dir string, walSegment int, logger hclog.Logger) (logStore, error) {
	switch kind {
	case StoreBoltDB:
		return raftboltdb.New(raftboltdb.Options{
			Path: filepath.Join(dir, boltFile),
			// Without a timeout bbolt waits forever for a file another
			// process holds; the directory lock makes that unlikely.
			BoltOptions: &bbolt.Options{Timeout: time.Second, NoFreelistSync: true},
		})
	case StoreWAL:
		path := filepath.Join(dir, walDir)
		if err := os.MkdirAll(path, 0o755); err != nil {
			return nil, err
		}
		if walSegment == 0 {
			walSegment = wal.DefaultSegmentSize
		}
		return wal.Open(path, wal.WithLogger(logger.Named("wal")), wal.WithSegmentSize(walSegment))
	}
	return nil, fmt.Errorf("unknown raft store %q", kind)
}
