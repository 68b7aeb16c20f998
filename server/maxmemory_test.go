package server

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/raft"

	"github.com/raftis/raftis/fsm"
	"github.com/raftis/raftis/raftlog"
)

// newOOMTestServer is a server whose proposer applies each entry straight
// to its FSM, counting entries, with maxmemory set to limit.
func newOOMTestServer(t *testing.T, limit uint64) (*Server, *int) {
	t.Helper()
	s := &Server{data: fsm.New()}
	s.params.maxMemory.Store(limit)
	entries := 0
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	s.proposer = newProposer(func(cmds []fsm.Cmd) (raftlog.Applied, error) {
		entries++
		e := fsm.Entry{Type: fsm.EntryCommands, Time: 1, Cmds: cmds}
		idx := uint64(entries)
		res := s.data.Apply(&raft.Log{Index: idx, Term: 1, Type: raft.LogCommand, Data: e.Encode(nil)})
		return raftlog.Applied{Index: idx, Term: 1, Response: res}, nil
	}, time.Second, stop)
	go s.proposer.run()
	return s, &entries
}

func submitOne(t *testing.T, s *Server, c fsm.Cmd) string {
	t.Helper()
	replies, _, err := s.submit([]fsm.Cmd{c}, cmdSize(c))
	if err != nil {
		return "error: " + err.Error()
	}
	return string(replies)
}

func TestMaxmemoryRefusesDenyOOMCommands(t *testing.T) {
	s, _ := newOOMTestServer(t, 1000)
	for i := 0; !s.overMaxmemory(); i++ {
		if got := submitOne(t, s, cmdOf("SET", fmt.Sprint("k", i), "0123456789")); got != "+OK\r\n" {
			t.Fatalf("SET under the limit: %q", got)
		}
	}
	oom := "error: " + replyOOM
	for _, c := range []fsm.Cmd{cmdOf("SET", "x", "1"), cmdOf("set", "x", "1"), cmdOf("INCR", "n"), cmdOf("RPUSH", "l", "a"), cmdOf("SADD", "s", "a")} {
		if got := submitOne(t, s, c); got != oom {
			t.Errorf("%s over the limit: %q, want %q", c.Args[0], got, oom)
		}
	}
	// Writes that cannot grow the data set still run: EXPIRE, DEL.
	if got := submitOne(t, s, cmdOf("EXPIRE", "k0", "100")); got != ":1\r\n" {
		t.Errorf("EXPIRE over the limit: %q", got)
	}
	for i := 0; s.overMaxmemory(); i++ {
		if got := submitOne(t, s, cmdOf("DEL", fmt.Sprint("k", i))); got != ":1\r\n" {
			t.Fatalf("DEL over the limit: %q", got)
		}
	}
	if got := submitOne(t, s, cmdOf("SET", "x", "1")); got != "+OK\r\n" {
		t.Errorf("SET back under the limit: %q", got)
	}
}

func TestMaxmemoryRefusesPartOfAPipeline(t *testing.T) {
	s, entries := newOOMTestServer(t, 1)
	s.data.Apply(&raft.Log{Index: 100, Type: raft.LogCommand,
		Data: (&fsm.Entry{Type: fsm.EntryCommands, Cmds: []fsm.Cmd{cmdOf("SET", "a", "big enough")}}).Encode(nil)})
	*entries = 100
	cmds := []fsm.Cmd{cmdOf("SET", "b", "1"), cmdOf("DEL", "a"), cmdOf("EXISTS", "a"), cmdOf("INCR", "c"), cmdOf("DEL", "nope")}
	replies, at, err := s.submit(cmds, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := "-" + replyOOM + "\r\n:1\r\n:0\r\n-" + replyOOM + "\r\n:0\r\n"
	if string(replies) != want {
		t.Errorf("replies %q, want %q", replies, want)
	}
	// Two runs of allowed commands, two entries; the position is the last's.
	if *entries != 102 || at.index != 102 {
		t.Errorf("%d entries proposed, at index %d; want 2, at 102", *entries-100, at.index)
	}
	// Over the limit still (the check is made once per submit, before
	// proposing): all refused, nothing proposed.
	s.params.maxMemory.Store(0)
	submitOne(t, s, cmdOf("SET", "a", "again"))
	s.params.maxMemory.Store(1)
	_, _, err = s.submit([]fsm.Cmd{cmdOf("SET", "x", "1"), cmdOf("LPUSH", "l", "1")}, 0)
	if want := replyError(replyOOM); !errors.Is(err, want) {
		t.Errorf("all refused: err %v, want %v", err, want)
	}
	if *entries != 103 {
		t.Errorf("%d entries after an all-refused submit, want 103", *entries)
	}
}
