package server

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// The cluster secret. Some calls are for members only: RAFT FORWARD (a
// follower's writes), RAFT JOIN, REMOVE, TRANSFER, READINDEX and WAIT,
// POST /join, POST /remove, POST /notify and /debug/pprof. With
// Config.ClusterSecret set they need it: a RESP connection presents it
// once with RAFT AUTH <secret> (the forwarding client does so as it
// connects), an HTTP request in an `Authorization: Bearer <secret>`
// header (a joining node sends it).
// Without a secret they are open, as before: the network must then keep
// strangers away from every port.

// Replies to a RESP call without the secret, and to a wrong RAFT AUTH.
const (
	replyNeedSecret  = "NOAUTH this command is for cluster members: send RAFT AUTH <cluster-secret> first"
	replyWrongSecret = "WRONGPASS invalid cluster secret"
	replyNoSecret    = "ERR RAFT AUTH called but no cluster secret is configured"
)

// secretMatches compares in constant time, so timing tells nothing of the
// secret.
func (s *Server) secretMatches(presented string) bool {
	return subtle.ConstantTimeCompare([]byte(presented), []byte(s.cfg.ClusterSecret)) == 1
}

// membersOnly guards a RAFT subcommand with the cluster secret.
func membersOnly(fn func(*Server, *call)) func(*Server, *call) {
	return func(s *Server, c *call) {
		if s.cfg.ClusterSecret != "" && !c.sess.clusterMember {
			c.reject(replyNeedSecret)
			return
		}
		// A member's pooled connection waits idle between calls, as a
		// replica's does in Redis: no idle timeout for it.
		c.sess.member.Store(true)
		fn(s, c)
	}
}

// RAFT AUTH secret
func cmdRaftAuth(s *Server, c *call) {
	switch {
	case s.cfg.ClusterSecret == "":
		c.conn.WriteError(replyNoSecret)
	case s.secretMatches(string(c.args[2])):
		c.sess.clusterMember = true
		c.conn.WriteString("OK")
	default:
		c.sess.clusterMember = false
		c.conn.WriteError(replyWrongSecret)
	}
}

// requireSecret guards an HTTP handler with the cluster secret.
func (s *Server) requireSecret(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.ClusterSecret != "" {
			token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || !s.secretMatches(token) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="raftis"`)
				writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "cluster secret required"})
				return
			}
		}
		h(w, r)
	}
}
