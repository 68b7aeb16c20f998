package raftlog

import (
	"io"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// trackedTransport is raft's TCP transport with every answer to this
// member's AppendEntries and InstallSnapshot requests reported to a
// peerTracker. Embedding keeps the optional interfaces raft looks for
// (WithClose, WithPreVote, WithPeers) and every other RPC as they are.
type trackedTransport struct {
	*raft.NetworkTransport
	peers *peerTracker
}

// AppendEntries carries heartbeats and appends outside the pipeline.
func (t *trackedTransport) AppendEntries(id raft.ServerID, target raft.ServerAddress, args *raft.AppendEntriesRequest, resp *raft.AppendEntriesResponse) error {
	sent := time.Now()
	err := t.NetworkTransport.AppendEntries(id, target, args, resp)
	if err == nil {
		t.appendAnswered(id, sent, args, resp)
	}
	return err
}

func (t *trackedTransport) appendAnswered(id raft.ServerID, sent time.Time, args *raft.AppendEntriesRequest, resp *raft.AppendEntriesResponse) {
	if resp.Term != args.Term {
		return // it knows a newer term: not an answer to this leader
	}
	stored := uint64(0)
	if resp.Success {
		// It holds the entries sent and every one before them.
		stored = args.PrevLogEntry
		if n := len(args.Entries); n > 0 {
			stored = args.Entries[n-1].Index
		}
	}
	t.peers.answered(id, args.Term, sent, resp.Success, stored)
}

// InstallSnapshot: a follower that installed a snapshot holds everything
// up to its last index.
func (t *trackedTransport) InstallSnapshot(id raft.ServerID, target raft.ServerAddress, args *raft.InstallSnapshotRequest, resp *raft.InstallSnapshotResponse, data io.Reader) error {
	sent := time.Now()
	err := t.NetworkTransport.InstallSnapshot(id, target, args, resp, data)
	if err == nil && resp.Term == args.Term {
		stored := uint64(0)
		if resp.Success {
			stored = args.LastLogIndex
		}
		t.peers.answered(id, args.Term, sent, false, stored)
	}
	return err
}

// AppendEntriesPipeline wraps raft's pipeline so its answers are seen too.
func (t *trackedTransport) AppendEntriesPipeline(id raft.ServerID, target raft.ServerAddress) (raft.AppendPipeline, error) {
	p, err := t.NetworkTransport.AppendEntriesPipeline(id, target)
	if err != nil {
		return nil, err
	}
	inner := p.Consumer()
	tp := &trackedPipeline{
		AppendPipeline: p, t: t, id: id, inner: inner,
		out: make(chan raft.AppendFuture, cap(inner)), stop: make(chan struct{}),
	}
	go tp.relay()
	return tp, nil
}

// trackedPipeline passes the pipeline's answers on to raft in order,
// reporting each on the way.
type trackedPipeline struct {
	raft.AppendPipeline
	t         *trackedTransport
	id        raft.ServerID
	inner     <-chan raft.AppendFuture
	out       chan raft.AppendFuture
	stop      chan struct{}
	closeOnce sync.Once
}

func (p *trackedPipeline) relay() {
	for {
		select {
		case f := <-p.inner:
			if f.Error() == nil {
				p.t.appendAnswered(p.id, f.Start(), f.Request(), f.Response())
			}
			select {
			case p.out <- f:
			case <-p.stop:
				return
			}
		case <-p.stop:
			return
		}
	}
}

func (p *trackedPipeline) Consumer() <-chan raft.AppendFuture { return p.out }

func (p *trackedPipeline) Close() error {
	p.closeOnce.Do(func() { close(p.stop) })
	return p.AppendPipeline.Close()
}
