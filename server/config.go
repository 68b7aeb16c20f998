package server

import (
	"log/slog"
	"time"
)

// Follower write modes (--follower-writes).
const (
	FollowerWritesForward = "forward"
	FollowerWritesReject  = "reject"
)

// Config configures a Server.
type Config struct {
	ID        string // Raft member id
	RedisAddr string // RESP listen address, also advertised to peers
	HTTPAddr  string // HTTP API listen address

	// ApplyTimeout bounds every wait of a write: for a leader, for the
	// commit, and for a follower to apply its forwarded write.
	ApplyTimeout time.Duration
	// MaxStaleness refuses reads on a node whose applied data may lag the
	// leader's committed data by longer than this: it has not heard from a
	// leader, or has not applied what it knows is committed, for that long.
	// 0 serves reads whatever their age.
	MaxStaleness time.Duration
	// FollowerWrites is FollowerWritesForward or FollowerWritesReject.
	FollowerWrites string
	// ReadConsistency is the read level of a new connection: ReadStale
	// (the default), ReadLeader or ReadLinearizable.
	ReadConsistency string
	// ProtoMaxBulkLen is the largest bulk string a request may carry, at
	// start (CONFIG SET proto-max-bulk-len changes it).
	ProtoMaxBulkLen int64
	// MaxMemory is the data set size (used_memory) over which the leader
	// refuses denyoom commands, at start (CONFIG SET maxmemory changes
	// it); 0, the default, sets no limit, as in Redis.
	MaxMemory uint64
	// ClusterSecret, if set, is what members present to each other for
	// the calls between members (secret.go).
	ClusterSecret string
	// BootstrapExpect, over 1, makes a node without state bootstrap a
	// cluster once it has heard of that many members, itself included
	// (POST /notify, bootstrap.go).
	BootstrapExpect int
	// ExpireInterval is how often the leader looks for expired keys.
	ExpireInterval time.Duration
	// Clock is the node's wall clock: the time it stamps on the entries it
	// proposes and the time its reads expire keys by. nil is time.Now;
	// tests give nodes clocks that disagree.
	Clock func() time.Time

	Logger *slog.Logger
}

func (c *Config) setDefaults() {
	if c.ApplyTimeout == 0 {
		c.ApplyTimeout = 10 * time.Second
	}
	if c.ReadConsistency == "" {
		c.ReadConsistency = ReadStale
	}
	if c.FollowerWrites == "" {
		c.FollowerWrites = FollowerWritesForward
	}
	if c.ProtoMaxBulkLen == 0 {
		c.ProtoMaxBulkLen = 512 << 20
	}
	if c.ExpireInterval == 0 {
		c.ExpireInterval = 100 * time.Millisecond
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}
