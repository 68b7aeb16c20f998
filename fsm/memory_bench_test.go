package fsm

import (
	"runtime"
	"testing"
)

// Memory benchmarks build one large collection through commands, in
// raftis's command layer and in a real redis-server, and compare the bytes
// each takes per element.

// bulkCommands returns the commands name key args... that add elements 0
// to n-1, per elements to a command; elem gives an element's arguments
// (a member, a field and its value, ...).
func bulkCommands(name, key string, n, per int, elem func(i int) []string) [][]string {
	var cmds [][]string
	for i := 0; i < n; i += per {
		cmd := []string{name, key}
		for j := i; j < min(i+per, n); j++ {
			cmd = append(cmd, elem(j)...)
		}
		cmds = append(cmds, cmd)
	}
	return cmds
}

// fsmGrowth runs cmds through the command layer of a new FSM and returns
// the live heap they added, and the FSM (for its UsedMemory).
func fsmGrowth(cmds [][]string) (int64, *FSM) {
	f := New()
	c := &Ctx{fsm: f, write: true, rng: 1, lim: f.limits.Load()}
	c.selectDB(0)
	before := heapInUse()
	for _, cmd := range cmds {
		c.exec(toArgs(cmd))
		c.out = c.out[:0]
	}
	used := heapInUse() - before
	runtime.KeepAlive(f)
	runtime.KeepAlive(cmds) // live in both readings: not counted
	return used, f
}

// redisGrowth sends cmds to a private redis-server, 50 to a pipeline,
// requires the reply want to each, and returns how much INFO's used_memory
// grew.
func redisGrowth(b testing.TB, cmds [][]string, want string) int64 {
	o := newOracle(b)
	before := redisUsedMemory(b, o)
	pending := 0
	flush := func() {
		for range pending {
			if reply, err := o.c.Receive(); err != nil || string(reply) != want {
				b.Fatalf("reply %q, %v; want %q", reply, err, want)
			}
		}
		pending = 0
	}
	for _, cmd := range cmds {
		o.c.Send(cmd...)
		if pending++; pending == 50 {
			flush()
		}
	}
	flush()
	return redisUsedMemory(b, o) - before
}
