package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/raftis/raftis/raftlog"
)

func TestFlagDefaultsDeriveFromAddr(t *testing.T) {
	t.Setenv("RAFTIS_ADDR", "") // keep the test independent of the caller's environment
	cfg, err := parseFlags([]string{"--addr", "127.0.0.1:7000"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.raftAddr != "127.0.0.1:8000" || cfg.httpAddr != "127.0.0.1:17000" {
		t.Errorf("raft %q http %q, want RESP port +1000 and +10000", cfg.raftAddr, cfg.httpAddr)
	}
	if cfg.id != "127.0.0.1:7000" || cfg.dir != "data/127.0.0.1_7000" {
		t.Errorf("id %q dir %q", cfg.id, cfg.dir)
	}
	if len(cfg.join) != 0 {
		t.Errorf("join = %v, want none", cfg.join)
	}
	if cfg.maxMemory != 0 {
		t.Errorf("maxmemory = %d, want 0 (no limit)", cfg.maxMemory)
	}
	if cfg.readConsistency != "stale" {
		t.Errorf("read-consistency = %q, want stale, as before the levels existed", cfg.readConsistency)
	}
	// What raftlog receives defaults to raftlog's own settings, which
	// tests' clusters use too: checked on raftConfig, so a flag mapped to
	// the wrong field fails.
	rc, def := cfg.raftConfig(), raftlog.DefaultConfig()
	if rc.SnapshotThreshold != def.SnapshotThreshold || rc.SnapshotInterval != def.SnapshotInterval ||
		rc.SnapshotRetain != def.SnapshotRetain || rc.TrailingLogs != def.TrailingLogs ||
		rc.HeartbeatTimeout != def.HeartbeatTimeout || rc.ElectionTimeout != def.ElectionTimeout ||
		rc.WALSegmentSize != def.WALSegmentSize {
		t.Errorf("raftConfig %+v differs from raftlog.DefaultConfig %+v", rc, def)
	}
	if rc.ID != "127.0.0.1:7000" || rc.RaftAddr != "127.0.0.1:8000" || rc.Dir != "data/127.0.0.1_7000" || !rc.Bootstrap {
		t.Errorf("raftConfig id %q raft %q dir %q bootstrap %v, want the derived values and bootstrap without --join",
			rc.ID, rc.RaftAddr, rc.Dir, rc.Bootstrap)
	}
}

func TestEnvironmentSetsFlagsAndCommandLineWins(t *testing.T) {
	t.Setenv("RAFTIS_ADDR", "127.0.0.1:7100")
	t.Setenv("RAFTIS_MAX_STALENESS", "2s")
	t.Setenv("RAFTIS_JOIN", "a:1, b:2")
	t.Setenv("RAFTIS_FOLLOWER_WRITES", "reject")
	t.Setenv("RAFTIS_RAFT_STORE", "boltdb")
	t.Setenv("RAFTIS_READ_CONSISTENCY", "linearizable")
	cfg, err := parseFlags([]string{"--follower-writes", "forward"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.addr != "127.0.0.1:7100" || cfg.maxStaleness != 2*time.Second {
		t.Errorf("addr %q staleness %v: environment not applied", cfg.addr, cfg.maxStaleness)
	}
	if len(cfg.join) != 2 || cfg.join[0] != "a:1" || cfg.join[1] != "b:2" {
		t.Errorf("join = %q", cfg.join)
	}
	if cfg.raftStore != raftlog.StoreBoltDB {
		t.Errorf("raft store = %q, want boltdb from RAFTIS_RAFT_STORE", cfg.raftStore)
	}
	if cfg.readConsistency != "linearizable" {
		t.Errorf("read-consistency = %q, want linearizable from RAFTIS_READ_CONSISTENCY", cfg.readConsistency)
	}
	if cfg.followerWrites != "forward" {
		t.Errorf("follower-writes = %q, want the command line's forward", cfg.followerWrites)
	}
}

func TestBadFlagsAreRejected(t *testing.T) {
	for _, args := range [][]string{
		{"--follower-writes", "maybe"},
		{"--read-consistency", "strong"},
		{"--addr", "nonsense"},
		{"--apply-timeout", "0s"},
		{"--proto-max-bulk-len", "1000"},
		{"--raft-store", "bolt"},
		{"--raft-wal-segment-mb", "0"},
		{"--maxmemory", "1tb"},
		{"--maxmemory", "-1"},
		{"stray"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
	t.Setenv("RAFTIS_MAX_STALENESS", "soon")
	if _, err := parseFlags(nil); err == nil {
		t.Error("a bad RAFTIS_MAX_STALENESS was accepted")
	}
}

func TestMaxmemoryFlagTakesUnits(t *testing.T) {
	cfg, err := parseFlags([]string{"--maxmemory", "2gb"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.maxMemory != 2<<30 || cfg.serverConfig(nil).MaxMemory != 2<<30 {
		t.Errorf("--maxmemory 2gb = %d, want %d", cfg.maxMemory, 2<<30)
	}
}

func TestClusterSecretFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte("hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := parseFlags([]string{"--cluster-secret-file", path})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.clusterSecret != "hunter2" || cfg.serverConfig(nil).ClusterSecret != "hunter2" {
		t.Errorf("secret %q, want the file's line without its newline", cfg.clusterSecret)
	}
	for _, args := range [][]string{
		{"--cluster-secret-file", path, "--cluster-secret", "x"},
		{"--cluster-secret-file", filepath.Join(t.TempDir(), "missing")},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
	if err := os.WriteFile(path, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := parseFlags([]string{"--cluster-secret-file", path}); err == nil {
		t.Error("an empty secret file was accepted")
	}
}

// --raft-advertise reaches raftlog; without it a member advertises the
// address it listens on.
func TestRaftAdvertiseFlag(t *testing.T) {
	t.Setenv("RAFTIS_RAFT_ADVERTISE", "")
	cfg, err := parseFlags([]string{"--addr", "127.0.0.1:7000", "--raft-advertise", "127.0.0.1:9100"})
	if err != nil {
		t.Fatal(err)
	}
	if rc := cfg.raftConfig(); rc.RaftAddr != "127.0.0.1:8000" || rc.RaftAdvertise != "127.0.0.1:9100" {
		t.Errorf("raft config listens on %q and advertises %q, want 127.0.0.1:8000 and 127.0.0.1:9100", rc.RaftAddr, rc.RaftAdvertise)
	}
	cfg, err = parseFlags([]string{"--addr", "127.0.0.1:7000"})
	if err != nil {
		t.Fatal(err)
	}
	if rc := cfg.raftConfig(); rc.RaftAdvertise != "" {
		t.Errorf("RaftAdvertise = %q without the flag, want empty (the listen address)", rc.RaftAdvertise)
	}
}
