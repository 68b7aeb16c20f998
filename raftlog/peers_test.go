package raftlog

import (
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

func TestPeerTrackerQuorumSent(t *testing.T) {
	p := newPeerTracker()
	at := func(ms int) time.Time { return p.base.Add(time.Duration(ms) * time.Millisecond) }
	voters := []raft.ServerID{"a", "b", "c", "d", "e"}
	now := at(1000)
	if _, ok := p.quorumSent(voters, "a", 7, now); ok {
		t.Fatal("a quorum with only the leader itself")
	}
	p.answered("b", 7, at(900), true, 10)
	p.answered("c", 7, at(950), true, 12)
	p.answered("d", 7, at(990), false, 0) // refused: its log did not match
	p.answered("e", 6, at(999), true, 15) // a previous term's answer
	got, ok := p.quorumSent(voters, "a", 7, now)
	if !ok || got != 900*time.Millisecond {
		t.Fatalf("quorumSent = %v, %v; want the third newest, b's 900ms (a now, c 950, b 900)", got, ok)
	}
	// A late answer to an older request moves nothing back.
	p.answered("c", 7, at(800), true, 11)
	if st := p.progress("c", 7); st.sent != 950*time.Millisecond || st.match != 12 {
		t.Fatalf("c after a late answer: sent %v match %d, want 950ms and 12", st.sent, st.match)
	}
	// A newer term starts afresh; answers of the older one no longer count.
	p.answered("b", 8, at(1001), true, 0)
	if st := p.progress("b", 8); st.match != 0 || st.sent != 1001*time.Millisecond {
		t.Fatalf("b in term 8: %+v", st)
	}
	p.answered("b", 7, at(1002), true, 20)
	if st := p.progress("b", 8); st.match != 0 {
		t.Fatalf("an answer of term 7 changed term 8's state: %+v", st)
	}
	if _, ok := p.quorumSent(voters, "a", 8, at(1003)); ok {
		t.Fatal("term 8 has a quorum with a and b only")
	}
	if st := p.progress("c", 8); st.match != 0 || st.term != 8 {
		t.Fatalf("c has not answered in term 8: %+v", st)
	}
}

func TestPeerTrackerWakesWaiters(t *testing.T) {
	p := newPeerTracker()
	ch := p.next()
	select {
	case <-ch:
		t.Fatal("woken before any answer")
	default:
	}
	p.answered("b", 1, time.Now(), true, 1)
	select {
	case <-ch:
	default:
		t.Fatal("not woken by an answer")
	}
}
