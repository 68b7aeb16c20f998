package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/raftis/raftis/raftlog"
	"github.com/raftis/raftis/server"
)

type config struct {
	id, addr, raftAddr, httpAddr, dir string
	raftAdvertise                     string
	join                              []string
	snapshotThreshold, trailingLogs   uint64
	snapshotInterval                  time.Duration
	snapshotRetain                    int
	applyTimeout, maxStaleness        time.Duration
	heartbeatTimeout, electionTimeout time.Duration
	followerWrites                    string
	readConsistency                   string
	protoMaxBulkLen                   int64
	maxMemory                         uint64
	clusterSecret                     string
	bootstrapExpect                   int
	logLevel                          string
	raftStore                         raftlog.StoreKind
	walSegmentMB                      int
}

// parseFlags reads the command line, with RAFTIS_* environment variables
// as defaults for every flag.
func parseFlags(args []string) (*config, error) {
	c := &config{}
	def := raftlog.DefaultConfig()
	var join, raftStore, maxMemory, secretFile string
	fs := flag.NewFlagSet("raftis", flag.ContinueOnError)
	fs.StringVar(&c.id, "id", "", "member id, unique and stable across restarts (default: the --addr value)")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:6379", "RESP (Redis protocol) listen address")
	fs.StringVar(&c.raftAddr, "raft-addr", "", "Raft listen and advertise address (default: RESP port + 1000)")
	fs.StringVar(&c.raftAdvertise, "raft-advertise", "", "Raft address peers are told to dial, when it is not --raft-addr (a port mapping or proxy in front of it)")
	fs.StringVar(&c.httpAddr, "http-addr", "", "HTTP API listen address (default: RESP port + 10000)")
	fs.StringVar(&c.dir, "dir", "", "directory for the Raft log, stable store and snapshots (default: data/<id>)")
	fs.StringVar(&join, "join", "", "comma-separated HTTP addresses of existing members to join through")
	fs.IntVar(&c.bootstrapExpect, "bootstrap-expect", 0, "with --join: bootstrap a new cluster together once this many nodes (this one included) know each other through --join; 0 = only join an existing cluster")
	fs.Uint64Var(&c.snapshotThreshold, "snapshot-threshold", def.SnapshotThreshold, "log entries between snapshots")
	fs.DurationVar(&c.snapshotInterval, "snapshot-interval", def.SnapshotInterval, "how often to check whether a snapshot is due")
	fs.IntVar(&c.snapshotRetain, "snapshot-retain", def.SnapshotRetain, "snapshots kept on disk")
	fs.Uint64Var(&c.trailingLogs, "trailing-logs", def.TrailingLogs, "log entries kept after a snapshot, for followers that lag")
	fs.DurationVar(&c.applyTimeout, "apply-timeout", 10*time.Second, "longest wait for a write to commit (or for a leader)")
	fs.DurationVar(&c.maxStaleness, "max-staleness", 0, "refuse reads on a node cut off from the leader for longer than this (0 = serve stale reads)")
	fs.DurationVar(&c.heartbeatTimeout, "raft-heartbeat-timeout", def.HeartbeatTimeout, "Raft heartbeat timeout (failure detection; a leader steps down after half of it without a quorum)")
	fs.DurationVar(&c.electionTimeout, "raft-election-timeout", def.ElectionTimeout, "Raft election timeout")
	fs.StringVar(&c.readConsistency, "read-consistency", server.ReadStale, "read level of new connections: stale (local copy, any node), leader (the leader's data under its lease) or linearizable (confirmed with a quorum); RAFT CONSISTENCY changes a connection's")
	fs.StringVar(&c.followerWrites, "follower-writes", server.FollowerWritesForward, "what a follower does with writes: forward (to the leader) or reject (-READONLY)")
	fs.Int64Var(&c.protoMaxBulkLen, "proto-max-bulk-len", 512<<20, "largest bulk string a request may carry, in bytes")
	fs.StringVar(&maxMemory, "maxmemory", "0", "data set size (INFO used_memory) over which writes that add data get -OOM, in bytes or with a unit (100mb, 2gb); 0 = no limit")
	fs.StringVar(&c.clusterSecret, "cluster-secret", "", "secret members present to each other (RAFT FORWARD, JOIN, REMOVE, TRANSFER, POST /join, /remove, /debug/pprof); the same on every node")
	fs.StringVar(&secretFile, "cluster-secret-file", "", "file holding the cluster secret (instead of --cluster-secret, which shows in the process list)")
	fs.StringVar(&raftStore, "raft-store", "", "log store of a new --dir: wal or boltdb (default: the store --dir holds, wal for a new one)")
	fs.IntVar(&c.walSegmentMB, "raft-wal-segment-mb", def.WALSegmentSize>>20, "size of the wal store's segment files, in MiB; the log is truncated a whole segment at a time")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	if err := applyEnv(fs, os.LookupEnv); err != nil {
		return nil, err
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	var err error
	if c.raftStore, err = raftlog.ParseStoreKind(raftStore); err != nil {
		return nil, fmt.Errorf("--raft-store: %w", err)
	}
	if err := c.readSecretFile(secretFile); err != nil {
		return nil, err
	}
	var ok bool
	if c.maxMemory, ok = server.ParseMemory(maxMemory); !ok {
		return nil, fmt.Errorf("--maxmemory %q: not a memory size (bytes, or a number with k, kb, m, mb, g, gb)", maxMemory)
	}
	for _, a := range strings.Split(join, ",") {
		if a = strings.TrimSpace(a); a != "" {
			c.join = append(c.join, a)
		}
	}
	return c, c.complete()
}

// applyEnv sets each flag from RAFTIS_<NAME> (dashes become underscores)
// before the command line is parsed, so the command line wins.
func applyEnv(fs *flag.FlagSet, lookup func(string) (string, bool)) error {
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name := "RAFTIS_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := lookup(name); ok {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
	})
	return errors.Join(errs...)
}

// complete fills in the defaults derived from --addr and checks values.
func (c *config) complete() error {
	host, portStr, err := net.SplitHostPort(c.addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", c.addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return fmt.Errorf("--addr %q: bad port", c.addr)
	}
	if c.raftAddr == "" {
		c.raftAddr = net.JoinHostPort(host, strconv.Itoa(port+1000))
	}
	if c.httpAddr == "" {
		c.httpAddr = net.JoinHostPort(host, strconv.Itoa(port+10000))
	}
	if c.id == "" {
		c.id = c.addr
	}
	if c.dir == "" {
		c.dir = filepath.Join("data", strings.NewReplacer(":", "_", "/", "_").Replace(c.id))
	}
	switch c.followerWrites {
	case server.FollowerWritesForward, server.FollowerWritesReject:
	default:
		return fmt.Errorf("--follower-writes must be forward or reject, not %q", c.followerWrites)
	}
	if err := server.CheckReadConsistency(c.readConsistency); err != nil {
		return fmt.Errorf("--read-consistency: %w", err)
	}
	if c.applyTimeout <= 0 {
		return errors.New("--apply-timeout must be positive")
	}
	if c.walSegmentMB < 1 || c.walSegmentMB > 1024 {
		return errors.New("--raft-wal-segment-mb must be between 1 and 1024")
	}
	if c.bootstrapExpect < 0 {
		return errors.New("--bootstrap-expect must not be negative")
	}
	if c.bootstrapExpect > 1 && len(c.join) == 0 {
		return errors.New("--bootstrap-expect needs --join with the other nodes' HTTP addresses")
	}
	if c.protoMaxBulkLen < 1<<20 {
		return errors.New("--proto-max-bulk-len must be at least 1 MiB, as in Redis")
	}
	return nil
}

// readSecretFile sets the cluster secret from path, its first line (a
// trailing newline is not part of it).
func (c *config) readSecretFile(path string) error {
	if path == "" {
		return nil
	}
	if c.clusterSecret != "" {
		return errors.New("--cluster-secret and --cluster-secret-file are exclusive")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("--cluster-secret-file: %w", err)
	}
	c.clusterSecret = strings.TrimRight(string(data), "\r\n")
	if c.clusterSecret == "" || strings.ContainsAny(c.clusterSecret, "\r\n") {
		return fmt.Errorf("--cluster-secret-file %s: want one non-empty line", path)
	}
	return nil
}
