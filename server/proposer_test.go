package server

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/raftis/raftis/fsm"
	"github.com/raftis/raftis/raftlog"
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
	batch, n, held := p.gather(prs[0], lingerMinBatch-1)
	if len(batch) != 4 || n != 4 || held != nil {
		t.Fatalf("gathered %d proposals (%d cmds, held %v), want 4", len(batch), n, held)
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
	batch, n, _ := p.gather(prs[0], 5)
	if len(batch) != 7 || n != 7 {
		t.Fatalf("gathered %d proposals (%d cmds), want 7", len(batch), n)
	}
}

func TestGatherLingerIsBounded(t *testing.T) {
	p := &proposer{queue: make(chan *proposal, 16), linger: 5 * time.Millisecond}
	prs := newTestProposals(1)
	batch, n, _ := p.gather(prs[0], 100)
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
	batch, n, held := p.gather(prs[0], 0)
	if len(batch) != 2 || n != 2 {
		t.Fatalf("gathered %d proposals, want 2 (a third would pass %d bytes)", len(batch), maxBatchBytes)
	}
	if held != prs[2] {
		t.Fatalf("held %v, want the third proposal kept for the next entry", held)
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
	batch, _, held := p.gather(prs[0], 100)
	if len(batch) != 1 || held != nil || len(p.queue) != 2 {
		t.Fatalf("big proposal: batch of %d, held %v, %d left queued; want it alone", len(batch), held, len(p.queue))
	}
	// A big one behind small ones waits for the next entry.
	p = &proposer{queue: make(chan *proposal, 16), linger: time.Hour}
	prs = sizedProposals(10, 4<<20)
	p.queue <- prs[1]
	if batch, _, held := p.gather(prs[0], 0); len(batch) != 1 || held != prs[1] {
		t.Fatalf("small then big: batch of %d, held %v; want the big one held", len(batch), held)
	}
}

// fakeLog stands in for Raft and the FSM: each entry gets the next index,
// and each command the reply +<its last argument>.
type fakeLog struct {
	mu      sync.Mutex
	entries [][]fsm.Cmd
	calls   atomic.Int32  // applies begun
	gate    chan struct{} // if set, each apply waits for a receive on it
	err     error         // if set, every apply fails with it
}

func (f *fakeLog) apply(cmds []fsm.Cmd) (raftlog.Applied, error) {
	f.calls.Add(1)
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return raftlog.Applied{}, f.err
	}
	f.entries = append(f.entries, cmds)
	res := &fsm.Result{Count: len(cmds)}
	for _, c := range cmds {
		res.Replies = fmt.Appendf(res.Replies, "+%s\r\n", c.Args[len(c.Args)-1])
		res.Ends = append(res.Ends, len(res.Replies))
	}
	return raftlog.Applied{Index: uint64(len(f.entries)), Term: 7, Response: res}, nil
}

func startProposer(t *testing.T, apply applyFunc) *proposer {
	t.Helper()
	stop := make(chan struct{})
	p := newProposer(apply, 5*time.Second, stop)
	done := make(chan struct{})
	go func() { p.run(); close(done) }()
	t.Cleanup(func() { close(stop); <-done })
	return p
}

func setCmds(vals ...string) []fsm.Cmd {
	var out []fsm.Cmd
	for _, v := range vals {
		out = append(out, fsm.Cmd{Args: [][]byte{[]byte("SET"), []byte("k"), []byte(v)}})
	}
	return out
}

// Writes submitted while an entry commits go out together in the next
// one, and each writer gets its own replies and the entry's index.
func TestProposerMergesWritesIntoOneEntry(t *testing.T) {
	log := &fakeLog{gate: make(chan struct{})}
	p := startProposer(t, log.apply)
	type result struct {
		replies string
		at      position
		err     error
	}
	results := make([]chan result, 4)
	submit := func(i int, cmds []fsm.Cmd) {
		results[i] = make(chan result, 1)
		go func() {
			r, idx, err := p.submit(cmds, 10)
			results[i] <- result{string(r), idx, err}
		}()
	}
	submit(0, setCmds("a"))
	waitFor(t, func() bool { return log.calls.Load() == 1 }) // the worker holds it, waiting on the gate
	submit(1, setCmds("b", "c"))
	submit(2, setCmds("d"))
	submit(3, setCmds("e"))
	waitFor(t, func() bool { return len(p.queue) == 3 })
	log.gate <- struct{}{} // entry 1: a
	log.gate <- struct{}{} // entry 2: b c d e
	want := []result{{"+a\r\n", position{1, 7}, nil}, {"+b\r\n+c\r\n", position{2, 7}, nil}, {"+d\r\n", position{2, 7}, nil}, {"+e\r\n", position{2, 7}, nil}}
	for i, ch := range results {
		if got := <-ch; got != want[i] {
			t.Errorf("write %d: %+v, want %+v", i, got, want[i])
		}
	}
	if len(log.entries) != 2 || len(log.entries[1]) != 4 {
		t.Fatalf("entries %v, want [a] then [b c d e]", log.entries)
	}
}

func TestProposerFailsEveryWriteOfAFailedEntry(t *testing.T) {
	for _, wantErr := range []error{raftlog.ErrNotLeader, raftlog.ErrUnknownOutcome} {
		p := startProposer(t, (&fakeLog{err: wantErr}).apply)
		if _, _, err := p.submit(setCmds("a"), 10); !errors.Is(err, wantErr) {
			t.Errorf("submit with apply failing with %v: %v", wantErr, err)
		}
	}
	// An FSM answer without one reply per command: the entry was applied,
	// so the outcome is unknown to the writer.
	p := startProposer(t, func([]fsm.Cmd) (raftlog.Applied, error) {
		return raftlog.Applied{Index: 1, Response: &fsm.Result{Count: 5}}, nil
	})
	if _, _, err := p.submit(setCmds("a"), 10); !errors.Is(err, raftlog.ErrUnknownOutcome) || !errors.Is(err, errBadResult) {
		t.Errorf("submit with a bad result: %v, want ErrUnknownOutcome and errBadResult", err)
	}
}

func TestProposerStopsWithShutdown(t *testing.T) {
	stop := make(chan struct{})
	log := &fakeLog{}
	p := newProposer(log.apply, 50*time.Millisecond, stop)
	close(stop)
	p.run() // returns at once: stopped
	if _, _, err := p.submit(setCmds("a"), 10); !errors.Is(err, raftlog.ErrShutdown) && !errors.Is(err, raftlog.ErrUnknownOutcome) {
		t.Fatalf("submit after shutdown: %v, want ErrShutdown (or an unknown outcome if it got queued)", err)
	}
	if len(log.entries) != 0 {
		t.Fatalf("a stopped proposer applied %v", log.entries)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}
