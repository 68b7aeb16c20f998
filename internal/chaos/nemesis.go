package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"syscall"
	"time"
)

// The kinds of fault the nemesis injects.
const (
	FaultKill      = "kill"      // SIGKILL a node (the leader half the time), restart it
	FaultPause     = "pause"     // SIGSTOP a node (the leader half the time), SIGCONT it
	FaultPartition = "partition" // split the nodes into a majority and a minority
	FaultOneWay    = "oneway"    // drop one direction: a node's RPCs to others, or others' to it
	FaultDelay     = "delay"     // hold back every Raft byte into some nodes
	FaultMember    = "member"    // remove a follower, then re-add it (alive, or wiped and restarted)
	FaultTransfer  = "transfer"  // RAFT TRANSFER leadership
)

// AllFaults are every fault kind.
var AllFaults = []string{FaultKill, FaultPause, FaultPartition, FaultOneWay, FaultDelay, FaultMember, FaultTransfer}

// event is one thing the nemesis did, for the round's log.
type event struct {
	At     time.Duration `json:"at"`
	Fault  string        `json:"fault"`
	Detail string        `json:"detail"`
}

// nemesis injects one fault at a time, holds it for a bounded time and
// heals it.
type nemesis struct {
	c      *cluster
	h      *history
	rng    *rand.Rand
	kinds  []string
	mu     sync.Mutex
	events []event
	counts map[string]int
}

func newNemesis(c *cluster, h *history, kinds []string, seed uint64) *nemesis {
	return &nemesis{c: c, h: h, kinds: kinds, rng: rand.New(rand.NewPCG(seed, 0x6e656d)), counts: map[string]int{}}
}

func (n *nemesis) log(fault, format string, args ...any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.events = append(n.events, event{At: time.Duration(n.h.now()), Fault: fault, Detail: fmt.Sprintf(format, args...)})
}

// run injects faults until ctx ends; every fault is healed before it
// returns.
func (n *nemesis) run(ctx context.Context) {
	if len(n.kinds) == 0 {
		return
	}
	for {
		sleep(ctx, n.between(500*time.Millisecond, 2*time.Second))
		if ctx.Err() != nil {
			return
		}
		kind := n.kinds[n.rng.IntN(len(n.kinds))]
		n.mu.Lock()
		n.counts[kind]++
		n.mu.Unlock()
		n.inject(ctx, kind)
	}
}

func (n *nemesis) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(n.rng.Int64N(int64(hi-lo)))
}

// hold waits for the fault's duration; the fault is healed even when ctx
// ends meanwhile.
func (n *nemesis) hold(ctx context.Context) {
	sleep(ctx, n.between(time.Second, 4*time.Second))
}

// target is the leader half the time (when there is one), else a random
// node.
func (n *nemesis) target(ctx context.Context) int {
	if n.rng.IntN(2) == 0 {
		if l := n.c.leader(ctx); l >= 0 {
			return l
		}
	}
	return n.rng.IntN(len(n.c.nodes))
}

func (n *nemesis) inject(ctx context.Context, kind string) {
	switch kind {
	case FaultKill:
		n.kill(ctx)
	case FaultPause:
		n.pause(ctx)
	case FaultPartition:
		n.partition(ctx)
	case FaultOneWay:
		n.oneWay(ctx)
	case FaultDelay:
		n.delay(ctx)
	case FaultMember:
		n.member(ctx)
	case FaultTransfer:
		n.transfer(ctx)
	}
}

// kill kills a node, or a majority one time in five, and restarts them.
func (n *nemesis) kill(ctx context.Context) {
	victims := []int{n.target(ctx)}
	if n.rng.IntN(5) == 0 {
		victims = n.rng.Perm(len(n.c.nodes))[:len(n.c.nodes)/2+1]
	}
	for _, i := range victims {
		n.log(FaultKill, "kill -9 %s", n.c.nodes[i].id)
		n.c.nodes[i].kill()
	}
	n.hold(ctx)
	for _, i := range victims {
		n.log(FaultKill, "restart %s", n.c.nodes[i].id)
		if err := n.c.restart(i); err != nil {
			n.log(FaultKill, "restart %s: %v", n.c.nodes[i].id, err)
		}
	}
}

func (n *nemesis) pause(ctx context.Context) {
	i := n.target(ctx)
	n.log(FaultPause, "SIGSTOP %s", n.c.nodes[i].id)
	_ = n.c.nodes[i].signal(syscall.SIGSTOP)
	n.hold(ctx)
	n.log(FaultPause, "SIGCONT %s", n.c.nodes[i].id)
	_ = n.c.nodes[i].signal(syscall.SIGCONT)
}

// partition cuts a minority (holding the leader half the time) from the
// majority, both ways.
func (n *nemesis) partition(ctx context.Context) {
	size := len(n.c.nodes)
	minority := []int{n.target(ctx)}
	for _, i := range n.rng.Perm(size) {
		if len(minority) < (size-1)/2 && !slices.Contains(minority, i) && n.rng.IntN(2) == 0 {
			minority = append(minority, i)
		}
	}
	var majority []int
	for i := range size {
		if !slices.Contains(minority, i) {
			majority = append(majority, i)
		}
	}
	n.log(FaultPartition, "partition %s | %s", n.ids(minority), n.ids(majority))
	n.c.net.partition(minority, majority)
	n.hold(ctx)
	n.log(FaultPartition, "heal")
	n.c.net.heal()
}

// oneWay drops a node's connections to every other node (it cannot send
// heartbeats or votes, yet hears them), or every other node's to it.
func (n *nemesis) oneWay(ctx context.Context) {
	i := n.target(ctx)
	outbound := n.rng.IntN(2) == 0
	for j := range n.c.nodes {
		if j == i {
			continue
		}
		if outbound {
			n.c.net.block(i, j)
		} else {
			n.c.net.block(j, i)
		}
	}
	dir := "inbound to"
	if outbound {
		dir = "outbound from"
	}
	n.log(FaultOneWay, "drop Raft traffic %s %s", dir, n.c.nodes[i].id)
	n.hold(ctx)
	n.log(FaultOneWay, "heal")
	n.c.net.heal()
}

// delay slows the Raft traffic into some nodes by 20-300 ms.
func (n *nemesis) delay(ctx context.Context) {
	var slowed []int
	for i := range n.c.nodes {
		if n.rng.IntN(2) == 0 {
			d := n.between(20*time.Millisecond, 300*time.Millisecond)
			n.c.net.setDelay(i, d)
			slowed = append(slowed, i)
			n.log(FaultDelay, "delay Raft traffic into %s by %v", n.c.nodes[i].id, d.Round(time.Millisecond))
		}
	}
	n.hold(ctx)
	n.log(FaultDelay, "heal %s", n.ids(slowed))
	n.c.net.heal()
}

// member removes a follower and adds it back: either at once, alive and
// with its data, or after killing it and wiping its directory, so it
// joins as a new member and receives a snapshot.
func (n *nemesis) member(ctx context.Context) {
	l := n.c.leader(ctx)
	if l < 0 {
		n.log(FaultMember, "no leader: skipped")
		return
	}
	i := (l + 1 + n.rng.IntN(len(n.c.nodes)-1)) % len(n.c.nodes)
	id := n.c.nodes[i].id
	if err := n.c.remove(ctx, i); err != nil {
		n.log(FaultMember, "remove %s: %v", id, err)
		return
	}
	n.log(FaultMember, "removed %s", id)
	if n.rng.IntN(2) == 0 {
		n.hold(ctx)
		n.log(FaultMember, "re-add %s with its data", id)
		n.rejoin(ctx, i)
		return
	}
	n.c.nodes[i].kill()
	if err := n.c.wipe(i); err != nil {
		n.log(FaultMember, "wipe %s: %v", id, err)
	}
	n.hold(ctx)
	n.log(FaultMember, "restart %s empty, joining", id)
	if err := n.c.restart(i); err != nil {
		n.log(FaultMember, "restart %s: %v", id, err)
	}
}

// rejoin adds node i back through the leader, retrying for a while.
func (n *nemesis) rejoin(ctx context.Context, i int) {
	err := poll(context.Background(), 20*time.Second, func() (bool, string) {
		err := n.c.join(context.Background(), i)
		if err != nil {
			return false, err.Error()
		}
		return true, ""
	})
	if err != nil {
		n.log(FaultMember, "re-add %s: %v", n.c.nodes[i].id, err)
	}
}

func (n *nemesis) transfer(ctx context.Context) {
	to := -1
	if l := n.c.leader(ctx); l >= 0 && n.rng.IntN(2) == 0 {
		to = (l + 1 + n.rng.IntN(len(n.c.nodes)-1)) % len(n.c.nodes)
	}
	err := n.c.transfer(ctx, to)
	who := "any follower"
	if to >= 0 {
		who = n.c.nodes[to].id
	}
	n.log(FaultTransfer, "transfer leadership to %s: %v", who, err)
}

// healAll undoes everything: network, pauses, dead nodes, members that
// are missing.
func (n *nemesis) healAll(ctx context.Context) error {
	n.c.net.heal()
	for _, nd := range n.c.nodes {
		if nd.isPaused() {
			_ = nd.signal(syscall.SIGCONT)
		}
		if !nd.running() {
			n.log("heal", "restart %s", nd.id)
			if err := n.c.restart(nd.index); err != nil {
				return err
			}
		}
	}
	return poll(ctx, 60*time.Second, func() (bool, string) {
		members := n.c.members(ctx)
		if members == nil {
			return false, "no leader"
		}
		for _, nd := range n.c.nodes {
			if !slices.Contains(members, nd.id) {
				n.log("heal", "re-add %s", nd.id)
				if err := n.c.join(ctx, nd.index); err != nil {
					return false, err.Error()
				}
			}
		}
		return len(members) == len(n.c.nodes), fmt.Sprintf("members %v", members)
	})
}

func (n *nemesis) ids(idx []int) string {
	var s []string
	for _, i := range idx {
		s = append(s, n.c.nodes[i].id)
	}
	return fmt.Sprint(s)
}

func (n *nemesis) snapshot() ([]event, map[string]int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	counts := map[string]int{}
	for k, v := range n.counts {
		counts[k] = v
	}
	return append([]event(nil), n.events...), counts
}
