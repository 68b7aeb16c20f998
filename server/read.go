package server

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/tidwall/redcon"
)

const (
	errStale  = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
	errBehind = "TRYAGAIN this node has not yet applied this connection's last write"
)

// read runs consecutive read-only data commands against the local copy,
// under one read lock.
func (s *Server) read(conn redcon.Conn, sess *session, cmds [][][]byte) {
	if errReply := s.readAllowed(sess); errReply != "" {
		for range cmds {
			conn.WriteError(errReply)
		}
		return
	}
	out := s.data.Read(sess.readBuf[:0], sess.db, time.Now().UnixMilli(), rand.Uint64(), cmds...)
	conn.WriteRaw(out) // copies: the buffer is reused for the next reads
	if cap(out) <= maxReadBuf {
		sess.readBuf = out
	}
}

// maxReadBuf caps the reply buffer a connection keeps between reads.
const maxReadBuf = 64 << 10

// readAllowed checks that the local copy may serve this connection: it has
// applied the connection's own last write, and (with --max-staleness) its
// data is recent enough.
func (s *Server) readAllowed(sess *session) string {
	if sess.minIndex > s.data.AppliedIndex() {
		ctx, cancel := context.WithTimeout(s.ctx, s.cfg.ApplyTimeout)
		err := s.data.WaitApplied(ctx, sess.minIndex)
		cancel()
		if err != nil {
			return errBehind
		}
	}
	if s.cfg.MaxStaleness > 0 && s.stale() {
		return errStale
	}
	return ""
}

// stale reports whether the data this node has applied may lag what the
// leader has committed by more than --max-staleness: it has not heard from
// a leader for that long, or it has known of committed writes it has not
// applied for that long (raftlog.Node.DataAge).
func (s *Server) stale() bool {
	return s.node.DataAge() > s.cfg.MaxStaleness
}
