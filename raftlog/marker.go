package raftlog

import "time"

// markInterval is how often markCommits looks at the log.
const markInterval = 20 * time.Millisecond

// markCommits runs on every member, and acts while it leads: once writes
// pause with entries committed but not yet recorded as such (the index
// recorded lags the append that carries it), it appends a barrier, which
// carries the commit index to every member and to its disk.
func (n *Node) markCommits() {
	defer n.bg.Done()
	t := time.NewTicker(markInterval)
	defer t.Stop()
	var seen uint64 // appends at the previous tick
	for {
		select {
		case <-t.C:
		case <-n.stop:
			return
		}
		appends := n.logs.appends.Load()
		quiet := appends == seen
		seen = appends
		last := n.logs.lastData.Load()
		if !quiet || !n.IsLeader() || n.logs.durable.Load() >= last || n.raft.CommitIndex() < last {
			continue
		}
		if err := n.raft.Barrier(markInterval * 50).Error(); err != nil {
			n.cfg.Logger.Debug("commit marker barrier failed", "error", err)
		}
	}
}

// DurableCommitIndex is the highest index recorded on this member's disk as
// committed: a restart serves at least the data set as of that entry.
func (n *Node) DurableCommitIndex() uint64 { return n.logs.durable.Load() }
