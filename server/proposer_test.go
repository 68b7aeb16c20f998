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
