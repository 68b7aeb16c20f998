package server

import (
	"bytes"
	"math/rand/v2"
	"time"

	"github.com/tidwall/redcon"
)

const (
	errStale  = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
	errBehind = "TRYAGAIN this node has not yet applied this connection's last write"
)

// read runs consecutive read-only data commands against the local copy
// and writes their replies at once. Each run of the same command (a
// pipeline of GETs) runs under one read lock and is timed as a whole, so
// the statistics cost two clock readings per run, not per command. conn
// is the batch's connection; the replies go around its replyTap (which is
// for writes) and are counted here.
func (s *Server) read(conn redcon.Conn, sess *session, cmds [][][]byte) {
	client := rawConn(conn)
	rows := sess.takeReads(len(cmds))
	floor, errReply := s.readGate(sess)
	if errReply != "" {
		for i := range cmds {
			client.WriteError(errReply)
			s.stats.countError(errReply)
			if rows != nil {
				rows[i].stats.rejected.Add(1)
			}
		}
		return
	}
	out := sess.readBuf[:0]
	start := time.Now()
	wall := start // one clock reading for the statistics and the reads' now
	if s.cfg.Clock != nil {
		wall = s.cfg.Clock()
	}
	now := max(wall.UnixMilli(), floor) // fsm.Read raises it to the state machine's clock too
	for len(cmds) > 0 {
		n := len(cmds)
		if rows != nil {
			n = sameRowRun(rows)
		}
		from := len(out)
		out = s.data.Read(out, sess.db, now, rand.Uint64(), cmds[:n]...)
		end := time.Now()
		if rows != nil {
			rows[0].stats.record(int64(n), end.Sub(start), s.countErrorReplies(out[from:]))
			rows = rows[n:]
		}
		start = end
		cmds = cmds[n:]
	}
	client.WriteRaw(out) // copies: the buffer is reused for the next reads
	if cap(out) <= maxReadBuf {
		sess.readBuf = out
	}
}

// mayHoldErrorReply reports whether replies may hold an error reply: a
// '-' at the start of a line. Without one (most pipelines of reads) there
// is no need to walk the replies one by one.
func mayHoldErrorReply(replies []byte) bool {
	for i := 0; i < len(replies); i++ {
		j := bytes.IndexByte(replies[i:], '-')
		if j < 0 {
			return false
		}
		i += j
		if i == 0 || replies[i-1] == '\n' {
			return true
		}
	}
	return false
}

// sameRowRun is how many rows at the start of rows are the same command.
func sameRowRun(rows []*command) int {
	n := 1
	for n < len(rows) && rows[n] == rows[0] {
		n++
	}
	return n
}

// countErrorReplies counts the error replies among replies in errorstats
// and returns how many there were.
func (s *Server) countErrorReplies(replies []byte) int64 {
	if !mayHoldErrorReply(replies) {
		return 0
	}
	failed := int64(0)
	for len(replies) > 0 {
		if replies[0] == '-' {
			failed++
			s.stats.countErrorReply(replies)
		}
		n := replyLen(replies)
		if n == 0 {
			break
		}
		replies = replies[n:]
	}
	return failed
}

// maxReadBuf caps the reply buffer a connection keeps between reads.
const maxReadBuf = 64 << 10

// readAllowed checks that the local copy may serve this connection: it has
// applied the connection's own last write, and (with --max-staleness) its
// data is recent enough.
func (s *Server) readAllowed(sess *session) string {
	if e := s.ownWritesApplied(sess); e != "" {
		return e
	}
	if s.tooStale() {
		return errStale
	}
	return ""
}

// tooStale reports whether --max-staleness is set and this node's data
// is older than it allows.
func (s *Server) tooStale() bool { return s.cfg.MaxStaleness > 0 && s.stale() }

// stale reports whether the data this node has applied may lag what the
// leader has committed by more than --max-staleness: it has not heard from
// a leader for that long, or it has known of committed writes it has not
// applied for that long (raftlog.Node.DataAge).
func (s *Server) stale() bool {
	return s.node.DataAge() > s.cfg.MaxStaleness
}
