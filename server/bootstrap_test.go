package server

import (
	"testing"

	"github.com/raftis/raftis/raftlog"
)

func TestBootstrapperWaitsForExpectedMembers(t *testing.T) {
	m := func(id string) raftlog.Server { return raftlog.Server{ID: id, RaftAddr: id + ":1", Suffrage: "Voter"} }
	b := newBootstrapper(3, m("b"))
	if got := b.add(m("c")); got != nil {
		t.Fatalf("bootstrap with 2 of 3: %v", got)
	}
	if got := b.add(m("c")); got != nil {
		t.Fatalf("a member heard twice counted twice: %v", got)
	}
	got := b.add(m("a"))
	if len(got) != 3 || got[0].ID != "a" || got[1].ID != "b" || got[2].ID != "c" {
		t.Fatalf("members %v, want a, b, c", got)
	}
	if again := b.add(m("d")); again != nil {
		t.Errorf("bootstrapped twice: %v", again)
	}
	b.retry()
	if again := b.add(m("c")); len(again) != 3 {
		t.Errorf("after a failed attempt, the next notification bootstraps with what is known: %v", again)
	}
	if got := newBootstrapper(1, m("a")).add(m("b")); got != nil {
		t.Errorf("--bootstrap-expect 1 bootstraps through notifications: %v", got)
	}
}
