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

// read runs a read-only data command against the local copy.
func (s *Server) read(conn redcon.Conn, sess *session, args [][]byte) {
	if errReply := s.readAllowed(sess); errReply != "" {
		conn.WriteError(errReply)
		return
	}
	out := s.data.Read(nil, sess.db, time.Now().UnixMilli(), rand.Uint64(), args)
	conn.WriteRaw(out)
}

// readAllowed checks that the local copy may serve this connection: it has
// applied the connection's own last write, and (with --max-staleness) it has
// heard from a leader recently enough.
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

// stale reports whether this node has been out of touch with a leader for
// longer than --max-staleness.
func (s *Server) stale() bool {
	if s.node.IsLeader() {
		return false
	}
	last := s.node.LastContact()
	return last.IsZero() || time.Since(last) > s.cfg.MaxStaleness
}
