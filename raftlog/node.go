package raftlog

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/raft"
)

// Node is a running Raft member.
type Node struct {
	cfg       Config
	raft      *raft.Raft
	store     logStore
	storeKind StoreKind
	lock      *os.File // the directory's lock, held while open
	transport *raft.NetworkTransport
	peers     *peerTracker // what followers' answers say (transport.go)
	reads     readState    // ReadIndex and leases (reads.go)
	snaps     *raft.FileSnapshotStore
	leader    *leaderWatch
	logs      *commitLog
	fsm       *fsmGate
	lag       applyLag
	// behindSince is when this member first knew of committed entries it
	// has not applied (unix ns), 0 if it has applied all it knows of.
	behindSince atomic.Int64
	stop        chan struct{} // closed by Close: ends background loops
	bg          sync.WaitGroup
	closeOnce   sync.Once
	closeErr    error
}

// Open starts the Raft member described by cfg, applying entries to fsm.
// If the directory holds state, fsm is restored from the newest snapshot
// and the entries recorded as committed after it before Open returns (see
// replay.go).
func Open(cfg Config, fsm FSM) (*Node, error) {
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	n := &Node{cfg: cfg, fsm: newFSMGate(fsm), stop: make(chan struct{})}
	if err := n.open(); err != nil {
		_ = n.Close()
		return nil, err
	}
	return n, nil
}

func (n *Node) open() error {
	cfg := n.cfg
	opened := time.Now()
	lock, err := lockDir(cfg.Dir)
	if err != nil {
		return err
	}
	n.lock = lock
	if n.storeKind, err = chooseStore(cfg.Dir, cfg.Store); err != nil {
		return err
	}
	store, err := openStore(n.storeKind, cfg.Dir, cfg.WALSegmentSize, cfg.Logger)
	if err != nil {
		return fmt.Errorf("open %s raft log in %s: %w", n.storeKind, cfg.Dir, err)
	}
	n.store = store
	cache, err := raft.NewLogCache(512, store)
	if err != nil {
		return err
	}
	logs, err := newCommitLog(cache)
	if err != nil {
		return err
	}
	logs.replay = n.replay
	n.logs = logs
	snaps, err := raft.NewFileSnapshotStoreWithLogger(cfg.Dir, max(cfg.SnapshotRetain, 1), cfg.Logger.Named("snapshot"))
	if err != nil {
		return fmt.Errorf("open snapshot store: %w", err)
	}
	n.snaps = snaps
	advertise, err := advertiseAddr(cfg.RaftAddr, cfg.RaftAdvertise)
	if err != nil {
		return err
	}
	n.transport, err = raft.NewTCPTransportWithLogger(cfg.RaftAddr, advertise, 3, 10*time.Second, cfg.Logger.Named("transport"))
	if err != nil {
		return fmt.Errorf("listen on raft address %s: %w", cfg.RaftAddr, err)
	}
	n.peers = newPeerTracker()
	trans := &trackedTransport{NetworkTransport: n.transport, peers: n.peers}
	rc := cfg.raftConfig()
	existing, err := raft.HasExistingState(logs, store, snaps)
	if err != nil {
		return err
	}
	if cfg.Bootstrap && !existing {
		boot := raft.Configuration{Servers: []raft.Server{{ID: rc.LocalID, Address: n.transport.LocalAddr()}}}
		if err := raft.BootstrapCluster(rc, logs, store, snaps, trans, boot); err != nil && !errors.Is(err, raft.ErrCantBootstrap) {
			return fmt.Errorf("bootstrap: %w", err)
		}
	}
	if existing {
		n.holdOffVotes(opened)
	}
	tracked := &snapshotStore{SnapshotStore: snaps, logs: logs}
	tracked.starting.Store(true)
	n.raft, err = raft.NewRaft(rc, n.fsm, logs, store, tracked, trans)
	tracked.starting.Store(false)
	if err != nil {
		return fmt.Errorf("start raft: %w", err)
	}
	n.leader = watchLeader(n.raft)
	if c := n.raft.GetConfiguration(); c.Error() == nil {
		logs.lastConfig.Store(max(logs.lastConfig.Load(), c.Index()))
	}
	n.bg.Add(2)
	go n.markCommits()
	go n.watchLag()
	return nil
}

// holdOffVotes keeps a restarted member out of elections until a lease
// it may have granted before it stopped has run out: raft forgets the
// leader on restart and would vote at once, letting a new leader be
// elected while the old one still serves reads under its lease (see
// reads.go). The member's previous process acknowledged the old leader
// before opened, so waiting LeaderLeaseTimeout from there is enough.
func (n *Node) holdOffVotes(opened time.Time) {
	select {
	case <-time.After(time.Until(opened.Add(n.cfg.LeaderLeaseTimeout))):
	case <-n.stop:
	}
}

// Close stops the member and closes its stores. It is safe to call twice.
func (n *Node) Close() error {
	n.closeOnce.Do(func() {
		var errs []error
		close(n.stop)
		n.bg.Wait()
		if n.raft != nil {
			n.leader.stop()
			errs = append(errs, n.raft.Shutdown().Error())
		}
		errs = append(errs, n.closeStores())
		n.closeErr = errors.Join(errs...)
	})
	return n.closeErr
}

func (n *Node) closeStores() error {
	var errs []error
	if n.transport != nil {
		errs = append(errs, n.transport.Close())
	}
	if n.store != nil {
		errs = append(errs, n.store.Close())
	}
	if n.lock != nil {
		errs = append(errs, n.lock.Close())
	}
	return errors.Join(errs...)
}

// LastSnapshotTime is when the newest snapshot on disk was taken; zero if
// there is none. The file store names snapshots term-index-unixmillis.
func (n *Node) LastSnapshotTime() time.Time {
	metas, err := n.snaps.List()
	if err != nil || len(metas) == 0 {
		return time.Time{}
	}
	id := metas[0].ID
	ms, err := strconv.ParseInt(id[strings.LastIndexByte(id, '-')+1:], 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// StoreKind is the log store this member runs on.
func (n *Node) StoreKind() StoreKind { return n.storeKind }

// ID is this member's id.
func (n *Node) ID() string { return n.cfg.ID }

// advertiseAddr is the address the transport tells peers: advertised if
// set, else the listen address, or nil (the port the listener picks) when
// that is port 0.
func advertiseAddr(listen, advertised string) (net.Addr, error) {
	if advertised != "" {
		a, err := net.ResolveTCPAddr("tcp", advertised)
		if err != nil {
			return nil, fmt.Errorf("raft advertise address %q: %w", advertised, err)
		}
		if a.IP == nil || a.IP.IsUnspecified() || a.Port == 0 {
			return nil, fmt.Errorf("raft advertise address %q: needs a host and a port peers can dial", advertised)
		}
		return a, nil
	}
	resolved, err := net.ResolveTCPAddr("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("raft address %q: %w", listen, err)
	}
	if resolved.Port == 0 {
		return nil, nil
	}
	return resolved, nil
}

// RaftAddr is the address peers reach this member at.
func (n *Node) RaftAddr() string { return string(n.transport.LocalAddr()) }

// Raft exposes the underlying instance for what this package does not wrap.
func (n *Node) Raft() *raft.Raft { return n.raft }

var _ io.Closer = (*Node)(nil)
