package chaos

import (
	"sync"
	"time"
)

// network holds the faults between nodes: which node may open Raft
// connections to which, and how long each node's inbound bytes are held
// back. A rule that blocks a pair closes that pair's open connections at
// once, so the cut takes effect now and not at the next reconnect.
type network struct {
	mu      sync.Mutex
	n       int
	cut     [][]bool        // cut[src][dst]: src's connections to dst are refused
	delay   []time.Duration // per receiving node
	conns   map[*proxied]struct{}
	closed  bool
	proxies []*proxy
	// pids tells which process is which node, to identify a connection's
	// source (sourceOf).
	pids func() map[int]int
}

func newNetwork(n int, pids func() map[int]int) *network {
	nw := &network{n: n, conns: map[*proxied]struct{}{}, delay: make([]time.Duration, n), pids: pids}
	nw.cut = make([][]bool, n)
	for i := range nw.cut {
		nw.cut[i] = make([]bool, n)
	}
	return nw
}

// front starts a proxy for node dst in front of its Raft listener target
// and returns the address to advertise.
func (nw *network) front(dst int, target string) (string, error) {
	p, err := newProxy(nw, dst, target)
	if err != nil {
		return "", err
	}
	nw.mu.Lock()
	nw.proxies = append(nw.proxies, p)
	nw.mu.Unlock()
	return p.addr(), nil
}

// close stops every proxy and closes every connection.
func (nw *network) close() {
	nw.mu.Lock()
	nw.closed = true
	for c := range nw.conns {
		c.close()
	}
	proxies := nw.proxies
	nw.mu.Unlock()
	for _, p := range proxies {
		p.close()
	}
}

// blocked reports whether src may not reach dst. A connection whose
// source is unknown (-1) is refused while dst is cut from anyone.
func (nw *network) blocked(src, dst int) bool {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	return nw.blockedLocked(src, dst)
}

func (nw *network) blockedLocked(src, dst int) bool {
	if src < 0 {
		for s := range nw.n {
			if nw.cut[s][dst] {
				return true
			}
		}
		return false
	}
	return nw.cut[src][dst]
}

func (nw *network) delayOf(dst int) time.Duration {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	return nw.delay[dst]
}

func (nw *network) track(c *proxied) bool {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	if nw.closed || nw.blockedLocked(c.src, c.dst) {
		return false
	}
	nw.conns[c] = struct{}{}
	return true
}

func (nw *network) untrack(c *proxied) {
	nw.mu.Lock()
	delete(nw.conns, c)
	nw.mu.Unlock()
}

// block cuts src's connections to dst (one way).
func (nw *network) block(src, dst int) {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	nw.cut[src][dst] = true
	nw.enforceLocked()
}

// partition cuts every link between the groups, both ways; nodes in no
// group are unaffected.
func (nw *network) partition(groups ...[]int) {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	group := make([]int, nw.n)
	for i := range group {
		group[i] = -1
	}
	for g, members := range groups {
		for _, m := range members {
			group[m] = g
		}
	}
	for s := range nw.n {
		for d := range nw.n {
			if group[s] >= 0 && group[d] >= 0 && group[s] != group[d] {
				nw.cut[s][d] = true
			}
		}
	}
	nw.enforceLocked()
}

// setDelay holds back every byte sent to node dst for d.
func (nw *network) setDelay(dst int, d time.Duration) {
	nw.mu.Lock()
	nw.delay[dst] = d
	nw.mu.Unlock()
}

// heal lifts every cut and delay.
func (nw *network) heal() {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	for s := range nw.cut {
		for d := range nw.cut[s] {
			nw.cut[s][d] = false
		}
		nw.delay[s] = 0
	}
}

// enforceLocked closes the open connections the rules now refuse.
func (nw *network) enforceLocked() {
	for c := range nw.conns {
		if nw.blockedLocked(c.src, c.dst) {
			c.close()
			delete(nw.conns, c)
		}
	}
}
