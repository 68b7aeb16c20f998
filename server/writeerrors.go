package server

import (
	"errors"
	"strings"

	"github.com/raftis/raftis/raftlog"
)

// A write fails with a Go error, matched with errors.Is and errors.As all
// along the write path; only the connection turns it into a reply
// (writeErrorReply). The outcome of a write that was handed to Raft but not
// confirmed is unknown: it may still commit, so its reply says so instead
// of pretending it failed.
var (
	// errNoLeader: no leader was reachable within --apply-timeout; nothing
	// was written. A retry may succeed once one is.
	errNoLeader = errors.New("no Raft leader")
	// errShuttingDown: this server stopped while the write waited.
	errShuttingDown = errors.New("server is shutting down")
)

// readOnlyError refuses a write on a follower with --follower-writes
// reject.
type readOnlyError struct{ leaderAddr string }

func (e readOnlyError) Error() string {
	return "READONLY You can't write against a read only replica. Leader is at " + e.leaderAddr + "."
}

// replyError is an error reply received from a peer, kept verbatim.
type replyError string

func (e replyError) Error() string { return string(e) }

// The reply texts of write errors. NOTLEADER is what a follower forwarding
// a write hears from a former leader, and retries.
const (
	replyNoLeader  = "CLUSTERDOWN The cluster is down: no Raft leader"
	replyUncertain = "UNCERTAIN write outcome unknown: leadership changed or the commit timed out; it may have been applied"
	replyShutdown  = "ERR server is shutting down"
	replyNotLeader = "NOTLEADER this node is not the Raft leader"
)

// writeErrorReply is the Redis error reply for a failed write.
func writeErrorReply(err error) string {
	var re replyError
	var ro readOnlyError
	switch {
	case errors.As(err, &re):
		return string(re)
	case errors.As(err, &ro):
		return ro.Error()
	case errors.Is(err, errNoLeader), errors.Is(err, raftlog.ErrNotLeader):
		return replyNoLeader
	case errors.Is(err, errShuttingDown), errors.Is(err, raftlog.ErrShutdown):
		return replyShutdown
	}
	return replyUncertain // raftlog.ErrUnknownOutcome, a broken connection to the leader, …
}

// retryable reports whether err guarantees that nothing was written, so the
// write may be tried again (once a leader is known).
func retryable(err error) bool {
	return errors.Is(err, raftlog.ErrNotLeader) || errors.Is(err, errNoLeader) || errors.Is(err, errForwardNotSent)
}

// peerReplyError turns an error reply from the leader a write was
// forwarded to into the error it stands for: the retryable NOTLEADER and
// CLUSTERDOWN become raftlog.ErrNotLeader and errNoLeader; any other reply
// (a command's own error, UNCERTAIN) is passed on verbatim.
func peerReplyError(reply string) error {
	switch {
	case strings.HasPrefix(reply, "NOTLEADER "):
		return raftlog.ErrNotLeader
	case strings.HasPrefix(reply, "CLUSTERDOWN "):
		return errNoLeader
	}
	return replyError(reply)
}
