package server

import (
	"testing"
	"time"

	"github.com/raftis/raftis/fsm"
)

func newTestProposals(n int) []*proposal {
	out := make([]*proposal, n)
	for i := range out {
		out[i] = &proposal{cmds: []fsm.Cmd{{Args: [][]byte{[]byte("SET")}}}, done: make(chan struct{})}
	}
	return out
}

func TestGatherTakesWhatIsQueued(t *testing.T) {
	p := &proposer{queue: make(chan *proposal, 16), linger: time.Hour}
	prs := newTestProposals(4)
	for _, pr := range prs[1:] {
		p.queue <- pr
	}
	// Light load (last entry small): no lingering, even with linger = 1h.
	batch, n := p.gather(prs[0], lingerMinBatch-1)
	if len(batch) != 4 || n != 4 {
		t.Fatalf("gathered %d proposals (%d cmds), want 4", len(batch), n)
	}
}

func TestGatherLingersUnderLoad(t *testing.T) {
	p := &proposer{queue: make(chan *proposal, 16), linger: 5 * time.Second}
	prs := newTestProposals(7)
	p.queue <- prs[1]
	go func() {
		for _, pr := range prs[2:] {
			p.queue <- pr
		}
	}()
	// The last entry had 5 commands, so gather waits (up to the linger) for
	// about that many more: the writes sent after it started are included.
	// It stops early once the target is met, or after at most 5 s if the
	// sender was fast enough that the first drain already took everything.
	batch, n := p.gather(prs[0], 5)
	if len(batch) != 7 || n != 7 {
		t.Fatalf("gathered %d proposals (%d cmds), want 7", len(batch), n)
	}
}

func TestGatherLingerIsBounded(t *testing.T) {
	p := &proposer{queue: make(chan *proposal, 16), linger: 5 * time.Millisecond}
	prs := newTestProposals(1)
	batch, n := p.gather(prs[0], 100)
	if len(batch) != 1 || n != 1 {
		t.Fatalf("gathered %d proposals, want 1 once the linger ran out", len(batch))
	}
}

func sizedProposals(sizes ...int) []*proposal {
	out := newTestProposals(len(sizes))
	for i, size := range sizes {
		out[i].size = size
	}
	return out
}

func TestGatherStopsAtTheByteCap(t *testing.T) {
	p := &proposer{queue: make(chan *proposal, 16), linger: time.Hour}
	prs := sizedProposals(100<<10, 100<<10, 100<<10, 1)
	for _, pr := range prs[1:] {
		p.queue <- pr
	}
	batch, n := p.gather(prs[0], 0)
	if len(batch) != 2 || n != 2 {
		t.Fatalf("gathered %d proposals, want 2 (a third would pass %d bytes)", len(batch), maxBatchBytes)
	}
	if p.held != prs[2] {
		t.Fatalf("held %v, want the third proposal kept for the next entry", p.held)
	}
	if len(p.queue) != 1 {
		t.Fatalf("%d proposals left queued, want 1", len(p.queue))
	}
}

func TestGatherSendsABigProposalAlone(t *testing.T) {
	p := &proposer{queue: make(chan *proposal, 16), linger: time.Hour}
	prs := sizedProposals(4<<20, 10, 10)
	for _, pr := range prs[1:] {
		p.queue <- pr
	}
	// Even under load (lastSize ≥ lingerMinBatch) it neither waits nor adds.
	batch, _ := p.gather(prs[0], 100)
	if len(batch) != 1 || p.held != nil || len(p.queue) != 2 {
		t.Fatalf("big proposal: batch of %d, held %v, %d left queued; want it alone", len(batch), p.held, len(p.queue))
	}
	// A big one behind small ones waits for the next entry.
	p = &proposer{queue: make(chan *proposal, 16), linger: time.Hour}
	prs = sizedProposals(10, 4<<20)
	p.queue <- prs[1]
	if batch, _ := p.gather(prs[0], 0); len(batch) != 1 || p.held != prs[1] {
		t.Fatalf("small then big: batch of %d, held %v; want the big one held", len(batch), p.held)
	}
}
