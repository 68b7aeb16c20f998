package raftlog

import (
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	got := Config{ID: "n1"}.withDefaults()
	want := DefaultConfig()
	want.ID, want.LeaderLeaseTimeout, want.Logger = "n1", want.HeartbeatTimeout/2, got.Logger
	if got != want {
		t.Fatalf("zero config with defaults:\n%+v\nwant\n%+v", got, want)
	}
	// Set fields stay; the lease follows a shorter heartbeat.
	got = Config{HeartbeatTimeout: 400 * time.Millisecond, MaxAppendEntries: 1}.withDefaults()
	if got.LeaderLeaseTimeout != 200*time.Millisecond || got.MaxAppendEntries != 1 || got.CommitTimeout != want.CommitTimeout {
		t.Fatalf("lease %v, max append entries %d, commit timeout %v", got.LeaderLeaseTimeout, got.MaxAppendEntries, got.CommitTimeout)
	}
	rc := got.raftConfig()
	if rc.LeaderLeaseTimeout != 200*time.Millisecond || rc.MaxAppendEntries != 1 || !rc.BatchApplyCh || !rc.RestoreCommittedLogs {
		t.Fatalf("raft config %+v", rc)
	}
}
