package raftlog

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// The commit index rides in the Extensions of the last log of each append:
// each store must write that field and give it back after a reopen, or a
// restart would replay nothing.
func TestStoreKeepsCommitIndexAcrossReopen(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind StoreKind) {
		dir := t.TempDir()
		store, err := openStore(kind, dir, 0, hclog.NewNullLogger())
		if err != nil {
			t.Fatal(err)
		}
		c := mustCommitLog(t, store)
		_ = c.StageCommitIndex(2)
		if err := c.StoreLogs([]*raft.Log{
			{Index: 1, Term: 1, Type: raft.LogCommand, Data: []byte("a")},
			{Index: 2, Term: 1, Type: raft.LogCommand, Data: []byte("b")},
			{Index: 3, Term: 1, Type: raft.LogCommand, Data: []byte("c")},
		}); err != nil {
			t.Fatal(err)
		}
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}

		store, err = openStore(kind, dir, 0, hclog.NewNullLogger())
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		var l raft.Log
		if err := store.GetLog(3, &l); err != nil {
			t.Fatal(err)
		}
		if string(l.Data) != "c" || decodeCommitExt(l.Extensions) != 2 {
			t.Fatalf("log 3 read back: data %q, extensions %x; want c and the commit index 2", l.Data, l.Extensions)
		}
		if got := mustCommitLog(t, store).durable.Load(); got != 2 {
			t.Fatalf("recorded commit index after reopen = %d, want 2", got)
		}
	})
}

// raft must know that raft-wal refuses gaps (it then empties the log after
// installing a snapshot); commitLog sits in between and must say so.
func TestCommitLogPassesMonotonicThrough(t *testing.T) {
	for kind, want := range map[StoreKind]bool{StoreWAL: true, StoreBoltDB: false} {
		store, err := openStore(kind, t.TempDir(), 0, hclog.NewNullLogger())
		if err != nil {
			t.Fatal(err)
		}
		cache, err := raft.NewLogCache(16, store)
		if err != nil {
			t.Fatal(err)
		}
		if got := mustCommitLog(t, cache).IsMonotonic(); got != want {
			t.Errorf("%s: IsMonotonic = %v, want %v", kind, got, want)
		}
		_ = store.Close()
	}
}

func TestStoreChoiceFollowsTheDirectory(t *testing.T) {
	dir := t.TempDir()
	// A new directory gets the store asked for, or wal.
	if kind, err := chooseStore(dir, ""); err != nil || kind != StoreWAL {
		t.Fatalf("new directory, no choice: %q, %v; want wal", kind, err)
	}
	if kind, err := chooseStore(dir, StoreBoltDB); err != nil || kind != StoreBoltDB {
		t.Fatalf("new directory, boltdb asked: %q, %v", kind, err)
	}

	// A directory with a store keeps it.
	n, err := Open(testConfig(StoreBoltDB, dir, true), &countFSM{})
	if err != nil {
		t.Fatal(err)
	}
	if n.StoreKind() != StoreBoltDB {
		t.Fatalf("StoreKind = %q, want boltdb", n.StoreKind())
	}
	_ = n.Close()
	n, err = Open(testConfig("", dir, true), &countFSM{})
	if err != nil {
		t.Fatal(err)
	}
	if n.StoreKind() != StoreBoltDB {
		t.Fatalf("reopened without a choice: StoreKind = %q, want the directory's boltdb", n.StoreKind())
	}
	_ = n.Close()

	// Asking for the other kind is an error, and creates nothing.
	_, err = Open(testConfig(StoreWAL, dir, true), &countFSM{})
	if !errors.Is(err, ErrStoreMismatch) || !strings.Contains(err.Error(), "holds a boltdb log store, not wal") {
		t.Fatalf("wal asked on a boltdb directory: %v; want ErrStoreMismatch naming both", err)
	}
	if _, err := os.Stat(filepath.Join(dir, walDir)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused open left %s/ behind: %v", walDir, err)
	}

	// Both stores in one directory: refuse to guess.
	if err := os.MkdirAll(filepath.Join(dir, walDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, walDir, walMeta), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := chooseStore(dir, ""); err == nil || !strings.Contains(err.Error(), "holds both") {
		t.Fatalf("directory with both stores: %v, want an error", err)
	}
}

func TestParseStoreKind(t *testing.T) {
	for in, want := range map[string]StoreKind{"": "", "wal": StoreWAL, "boltdb": StoreBoltDB} {
		if got, err := ParseStoreKind(in); err != nil || got != want {
			t.Errorf("ParseStoreKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseStoreKind("bolt"); err == nil {
		t.Error(`ParseStoreKind("bolt") accepted`)
	}
}

func TestADirectoryIsOpenedOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind StoreKind) {
		dir := t.TempDir()
		n, err := Open(testConfig(kind, dir, true), &countFSM{})
		if err != nil {
			t.Fatal(err)
		}
		defer n.Close()
		if _, err := Open(testConfig(kind, dir, true), &countFSM{}); err == nil || !strings.Contains(err.Error(), "in use") {
			t.Fatalf("second Open of %s: %v, want an in-use error", dir, err)
		}
	})
}
