// Command raftis runs one node of a raftis cluster: a Redis-protocol,
// in-memory database whose every write is a Raft log entry.
//
//	raftis --id n1 --addr 127.0.0.1:6379 --dir data/n1            # first node: bootstraps
//	raftis --id n2 --addr 127.0.0.1:6380 --join 127.0.0.1:16379   # joins through any member's HTTP API
//
// or, every node alike, bootstrapping together once three know each other:
//
//	raftis --id n1 --addr 127.0.0.1:6379 --bootstrap-expect 3 --join 127.0.0.1:16380,127.0.0.1:16381
//
// Every flag can also be set through the environment: --max-staleness is
// RAFTIS_MAX_STALENESS, and so on. A flag on the command line wins.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/hashicorp/go-hclog"

	"github.com/raftis/raftis/fsm"
	"github.com/raftis/raftis/raftlog"
	"github.com/raftis/raftis/server"
)

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "raftis:", err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		slog.Error("raftis stopped", "err", err)
		os.Exit(1)
	}
}

func run(cfg *config) error {
	logger := newLogger(cfg.logLevel)
	slog.SetDefault(logger)

	data := fsm.New()
	node, err := raftlog.Open(cfg.raftConfig(), data)
	if err != nil {
		return err
	}
	srv := server.New(cfg.serverConfig(logger), node, data)
	if err := srv.Start(); err != nil {
		_ = node.Close()
		return err
	}
	logger.Info("raftis node started", "id", cfg.id, "redis", srv.RedisAddr(), "raft", node.RaftAddr(), "http", srv.HTTPAddr(), "dir", cfg.dir)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(cfg.join) > 0 {
		if err := joinCluster(ctx, cfg, srv.RedisAddr(), node.RaftAddr(), logger); err != nil {
			_ = srv.Close()
			_ = node.Close()
			return err
		}
	}
	<-ctx.Done()
	logger.Info("shutting down", "id", cfg.id)
	return shutdown(srv, node, logger)
}

// shutdown hands leadership away first when this node leads a cluster of
// several, so clients see a new leader at once instead of after an
// election timeout, then stops serving and closes the Raft node.
func shutdown(srv *server.Server, node *raftlog.Node, logger *slog.Logger) error {
	if node.IsLeader() {
		if servers, err := node.Servers(); err == nil && len(servers) > 1 {
			if err := node.Transfer(""); err != nil {
				logger.Warn("leadership transfer before shutdown failed", "err", err)
			}
		}
	}
	return errors.Join(srv.Close(), node.Close())
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

func (c *config) raftConfig() raftlog.Config {
	return raftlog.Config{
		ID:                c.id,
		RaftAddr:          c.raftAddr,
		RaftAdvertise:     c.raftAdvertise,
		Dir:               c.dir,
		Store:             c.raftStore,
		WALSegmentSize:    c.walSegmentMB << 20,
		Bootstrap:         len(c.join) == 0, // a node given --join never bootstraps alone
		SnapshotThreshold: c.snapshotThreshold,
		SnapshotInterval:  c.snapshotInterval,
		SnapshotRetain:    c.snapshotRetain,
		TrailingLogs:      c.trailingLogs,
		HeartbeatTimeout:  c.heartbeatTimeout,
		ElectionTimeout:   c.electionTimeout,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name: "raft", Level: hclog.LevelFromString(c.logLevel), Output: os.Stderr,
		}),
	}
}

func (c *config) serverConfig(logger *slog.Logger) server.Config {
	return server.Config{
		ID:              c.id,
		RedisAddr:       c.addr,
		HTTPAddr:        c.httpAddr,
		ApplyTimeout:    c.applyTimeout,
		MaxStaleness:    c.maxStaleness,
		FollowerWrites:  c.followerWrites,
		ReadConsistency: c.readConsistency,
		ProtoMaxBulkLen: c.protoMaxBulkLen,
		MaxMemory:       c.maxMemory,
		ClusterSecret:   c.clusterSecret,
		BootstrapExpect: c.bootstrapExpect,
		Logger:          logger,
	}
}
