package testcluster

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/redis/go-redis/v9"

	"github.com/raftis/raftis/fsm"
	"github.com/raftis/raftis/raftlog"
	"github.com/raftis/raftis/server"
)

// Options tune a test cluster.
type Options struct {
	SnapshotThreshold uint64 // 0: raftlog.DefaultConfig's
	TrailingLogs      uint64 // 0: raftlog.DefaultConfig's
	FollowerWrites    string
	MaxStaleness      time.Duration
	ProtoMaxBulkLen   int64             // 0: the server's default (512 MiB)
	Store             raftlog.StoreKind // "": the default for a new directory (wal)
	WALSegmentSize    int               // 0: raftlog.DefaultConfig's (64 MiB)
	// ClusterSecret is every node's cluster secret, which the test
	// cluster's joins present.
	ClusterSecret string
	// GateApply puts each node's FSM behind a gate the test can close
	// (Node.PauseApply).
	GateApply bool
	// ReadConsistency is the nodes' --read-consistency ("": stale).
	ReadConsistency string
	// ExpireInterval is how often the leader sweeps expired keys (0: the
	// server's default).
	ExpireInterval time.Duration
}

// Node is one in-process raftis node.
type Node struct {
	ID        string
	Dir       string
	FSM       *fsm.FSM
	Raft      *raftlog.Node
	Server    *server.Server
	RedisAddr string
	HTTPAddr  string
	RaftAddr  string
	running   bool
	client    *redis.Client
	gate      *applyGate // with Options.GateApply
	// clockOffset is added to the real time to make the node's clock
	// (SetClockOffset).
	clockOffset atomic.Int64
}

// SetClockOffset sets nd's clock to the real time plus d, from now on:
// the time its entries carry and its reads expire keys by.
func (nd *Node) SetClockOffset(d time.Duration) { nd.clockOffset.Store(int64(d)) }

// Cluster is a set of nodes started by a test. Cleanup stops them all.
type Cluster struct {
	t     testing.TB
	opts  Options
	dir   string // the nodes' directories are in here
	Nodes []*Node
}

// Start launches n nodes: the first bootstraps, the others join through the
// HTTP API of the first, and Start returns once every node knows the leader.
func Start(t testing.TB, n int, opts Options) *Cluster {
	t.Helper()
	// The directory first: cleanups run last-registered first, so the nodes
	// stop before their files are removed.
	c := &Cluster{t: t, opts: opts, dir: t.TempDir()}
	t.Cleanup(c.KillAll)
	for i := 0; i < n; i++ {
		c.AddNode()
	}
	return c
}

// AddNode starts a new node and, unless it is the first, joins it to the
// cluster through a running member's HTTP API.
func (c *Cluster) AddNode() *Node {
	c.t.Helper()
	nd := &Node{ID: fmt.Sprintf("n%d", len(c.Nodes)+1), RedisAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", RaftAddr: "127.0.0.1:0"}
	nd.Dir = filepath.Join(c.dir, nd.ID)
	first := len(c.Nodes) == 0
	c.start(nd, first)
	if !first {
		via := c.Running()[0]
		if err := join(via.HTTPAddr, nd, c.opts.ClusterSecret); err != nil {
			c.t.Fatalf("join %s via %s: %v", nd.ID, via.ID, err)
		}
	}
	c.Nodes = append(c.Nodes, nd)
	Poll(c.t, 15*time.Second, nd.ID+" knows the leader's client address", func() bool {
		return nd.Server.Status().LeaderRedisAddr != ""
	})
	return nd
}

func (c *Cluster) start(nd *Node, bootstrap bool) {
	c.t.Helper()
	nd.FSM = fsm.New()
	var data raftlog.FSM = nd.FSM
	if c.opts.GateApply {
		nd.gate = newApplyGate(nd.FSM)
		data = nd.gate
	}
	// raftis's own configuration (raftlog.DefaultConfig, its failure
	// detection included: a shorter lease loses leaders on a machine busy
	// with the race detector and other tests), but for snapshots, checked
	// often.
	raftNode, err := raftlog.Open(raftlog.Config{
		ID: nd.ID, RaftAddr: nd.RaftAddr, Dir: nd.Dir, Bootstrap: bootstrap,
		Store: c.opts.Store, WALSegmentSize: c.opts.WALSegmentSize,
		SnapshotThreshold: c.opts.SnapshotThreshold, TrailingLogs: c.opts.TrailingLogs,
		SnapshotInterval: 200 * time.Millisecond,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: nd.ID, Level: hclog.Error, Output: io.Discard}),
	}, data)
	if err != nil {
		c.t.Fatalf("open raft %s: %v", nd.ID, err)
	}
	nd.Raft = raftNode
	nd.RaftAddr = raftNode.RaftAddr()
	nd.Server = server.New(server.Config{
		ID: nd.ID, RedisAddr: nd.RedisAddr, HTTPAddr: nd.HTTPAddr,
		ApplyTimeout: 5 * time.Second, FollowerWrites: c.opts.FollowerWrites, MaxStaleness: c.opts.MaxStaleness,
		ClusterSecret:   c.opts.ClusterSecret,
		ProtoMaxBulkLen: c.opts.ProtoMaxBulkLen, ReadConsistency: c.opts.ReadConsistency, ExpireInterval: c.opts.ExpireInterval,
		Clock:  func() time.Time { return time.Now().Add(time.Duration(nd.clockOffset.Load())) },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, raftNode, nd.FSM)
	if err := nd.Server.Start(); err != nil {
		_ = raftNode.Close()
		c.t.Fatalf("start server %s: %v", nd.ID, err)
	}
	nd.RedisAddr, nd.HTTPAddr = nd.Server.RedisAddr(), nd.Server.HTTPAddr()
	nd.running = true
}

func join(httpAddr string, nd *Node, secret string) error {
	body, _ := json.Marshal(map[string]string{"id": nd.ID, "raft_addr": nd.RaftAddr, "redis_addr": nd.RedisAddr})
	var lastErr error
	ok := Wait(15*time.Second, func() bool {
		req, err := http.NewRequest(http.MethodPost, "http://"+httpAddr+"/join", bytes.NewReader(body))
		if err != nil {
			lastErr = err
			return false
		}
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("Authorization", "Bearer "+secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			lastErr = err
			return false
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			lastErr = fmt.Errorf("%s: %s", resp.Status, msg)
			return false
		}
		return true
	})
	if !ok {
		return lastErr
	}
	return nil
}

// Kill stops a node abruptly: no leadership transfer, no goodbye. Its
// directory stays for Restart.
func (c *Cluster) Kill(nd *Node) {
	c.t.Helper()
	if !nd.running {
		return
	}
	nd.running = false
	if nd.client != nil {
		_ = nd.client.Close()
		nd.client = nil
	}
	_ = nd.Server.Close()
	if err := nd.Raft.Close(); err != nil {
		c.t.Logf("close raft %s: %v", nd.ID, err)
	}
}

// Restart starts a killed node again from its directory, on its old
// addresses.
func (c *Cluster) Restart(nd *Node) {
	c.t.Helper()
	c.start(nd, false)
}

// KillAll kills every node, as a power cut would.
func (c *Cluster) KillAll() {
	for _, nd := range c.Nodes {
		c.Kill(nd)
	}
}

// RestartAll kills every node and starts them all again from their
// directories.
func (c *Cluster) RestartAll() {
	c.t.Helper()
	c.KillAll()
	for _, nd := range c.Nodes {
		c.Restart(nd)
	}
}

// Running lists the nodes that are up.
func (c *Cluster) Running() []*Node {
	var out []*Node
	for _, nd := range c.Nodes {
		if nd.running {
			out = append(out, nd)
		}
	}
	return out
}

// Leader waits until the running nodes agree on one leader among them and
// returns it.
func (c *Cluster) Leader() *Node {
	c.t.Helper()
	var leader *Node
	Poll(c.t, 15*time.Second, "a leader all running nodes agree on", func() bool {
		leader = nil
		for _, nd := range c.Running() {
			if nd.Raft.IsLeader() {
				leader = nd
			}
		}
		if leader == nil {
			return false
		}
		for _, nd := range c.Running() {
			if id, _ := nd.Raft.Leader(); id != leader.ID || nd.Server.Status().LeaderRedisAddr != leader.RedisAddr {
				return false
			}
		}
		return true
	})
	return leader
}

// Followers are the running nodes other than the current leader.
func (c *Cluster) Followers() []*Node {
	leader := c.Leader()
	var out []*Node
	for _, nd := range c.Running() {
		if nd != leader {
			out = append(out, nd)
		}
	}
	return out
}

// Client is a go-redis client of nd (kept until nd is killed).
func (nd *Node) Client() *redis.Client {
	if nd.client == nil {
		nd.client = redis.NewClient(&redis.Options{Addr: nd.RedisAddr, Protocol: 2, DisableIdentity: true, MaxRetries: -1, ReadTimeout: 10 * time.Second})
	}
	return nd.client
}

// WaitConverged waits until every running node has applied the same index
// as the leader and holds the same data set digest, and returns it.
func (c *Cluster) WaitConverged() uint64 {
	c.t.Helper()
	var digest uint64
	var detail string
	ok := Wait(20*time.Second, func() bool {
		leader := c.Leader()
		want := leader.FSM.AppliedIndex()
		digests := map[uint64][]string{}
		for _, nd := range c.Running() {
			if nd.FSM.AppliedIndex() != want {
				detail = fmt.Sprintf("%s applied %d, leader %d", nd.ID, nd.FSM.AppliedIndex(), want)
				return false
			}
			d, err := nd.FSM.Digest()
			if err != nil {
				detail = err.Error()
				return false
			}
			digests[d] = append(digests[d], nd.ID)
			digest = d
		}
		detail = fmt.Sprintf("digests %v", digests)
		return len(digests) == 1 && leader.FSM.AppliedIndex() == want
	})
	if !ok {
		c.t.Fatalf("cluster did not converge: %s", detail)
	}
	return digest
}

// Ctx is a context for a test's client calls: it bounds the test (each
// call is bounded by its client's timeouts too), so it must outlast the
// restarts and elections the test goes through.
func Ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}
