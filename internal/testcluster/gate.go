package testcluster

import (
	"sync"
	"testing"

	"github.com/hashicorp/raft"

	"github.com/raftis/raftis/fsm"
)

// applyGate stands between raft and a node's FSM when Options.GateApply is
// set: while it is closed, raft's applies wait, as they would behind a slow
// disk or CPU, while the node keeps receiving appends and heartbeats.
type applyGate struct {
	*fsm.FSM
	mu   sync.Mutex
	open chan struct{} // closed while applies may run
}

func newApplyGate(f *fsm.FSM) *applyGate {
	g := &applyGate{FSM: f, open: make(chan struct{})}
	close(g.open)
	return g
}

func (g *applyGate) wait() {
	g.mu.Lock()
	open := g.open
	g.mu.Unlock()
	<-open
}

func (g *applyGate) Apply(l *raft.Log) interface{} {
	g.wait()
	return g.FSM.Apply(l)
}

func (g *applyGate) ApplyBatch(logs []*raft.Log) []interface{} {
	g.wait()
	return g.FSM.ApplyBatch(logs)
}

func (g *applyGate) pause() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.open:
		g.open = make(chan struct{})
	default:
	}
}

func (g *applyGate) resume() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.open:
	default:
		close(g.open)
	}
}

// PauseApply holds back everything raft applies on nd until ResumeApply
// (or the end of the test). The cluster must have been started with
// Options.GateApply.
func (nd *Node) PauseApply(t testing.TB) {
	t.Helper()
	if nd.gate == nil {
		t.Fatal("PauseApply needs a cluster started with Options.GateApply")
	}
	nd.gate.pause()
	t.Cleanup(nd.gate.resume) // raft cannot shut down while an apply waits
}

// ResumeApply lets raft apply on nd again.
func (nd *Node) ResumeApply() {
	if nd.gate != nil {
		nd.gate.resume()
	}
}
