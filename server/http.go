package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/pprof"
	"strings"
)

// httpHandler serves the operator and membership API:
//
//	POST /join   {"id","raft_addr","redis_addr"}   add a member (any node; followers ask the leader)
//	POST /remove {"id"}                            remove a member
//	POST /notify {"id","raft_addr"}                a node waiting to bootstrap exists (bootstrap.go)
//	GET  /status                                   this node's Raft view and the members
//	GET  /healthz                                  the process serves requests
//	GET  /readyz                                   part of a cluster with a known leader, caught up
//	GET  /digest                                   a hash of this node's data set, to compare nodes
//	GET  /debug/pprof/...                          Go runtime profiles
//
// With a cluster secret, join, remove, notify and the profiles need it
// (secret.go).
func (s *Server) httpHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /join", s.requireSecret(s.handleJoin))
	mux.HandleFunc("POST /remove", s.requireSecret(s.handleRemove))
	mux.HandleFunc("POST /notify", s.requireSecret(s.handleNotify))
	mux.HandleFunc("GET /status", s.handleStatus)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.handleReady)
	mux.HandleFunc("GET /debug/pprof/", s.requireSecret(pprof.Index))
	mux.HandleFunc("GET /debug/pprof/profile", s.requireSecret(pprof.Profile))
	mux.HandleFunc("GET /debug/pprof/trace", s.requireSecret(pprof.Trace))
	mux.HandleFunc("GET /digest", s.handleDigest)
	return mux
}

type joinRequest struct {
	ID        string `json:"id"`
	RaftAddr  string `json:"raft_addr"`
	RedisAddr string `json:"redis_addr"`
}

func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request) {
	var req joinRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ApplyTimeout)
	defer cancel()
	s.writeResult(w, s.join(ctx, req.ID, req.RaftAddr, req.RedisAddr))
}

func (s *Server) handleRemove(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ID string `json:"id"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ApplyTimeout)
	defer cancel()
	s.writeResult(w, s.remove(ctx, req.ID))
}

func (s *Server) writeResult(w http.ResponseWriter, err error) {
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	case errors.Is(err, errBadJoin):
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
	}
}

// Status is the body of GET /status.
type Status struct {
	ID              string   `json:"id"`
	State           string   `json:"state"`
	Leader          string   `json:"leader"`
	LeaderRedisAddr string   `json:"leader_redis_addr"`
	Term            uint64   `json:"term"`
	CommitIndex     uint64   `json:"commit_index"`
	DurableCommit   uint64   `json:"durable_commit_index"`
	AppliedIndex    uint64   `json:"applied_index"`
	LastLogIndex    uint64   `json:"last_log_index"`
	LastSnapshot    uint64   `json:"last_snapshot_index"`
	RedisAddr       string   `json:"redis_addr"`
	HTTPAddr        string   `json:"http_addr"`
	Nodes           []Member `json:"nodes"`
}

// Status reports this node's view of the cluster.
func (s *Server) Status() Status {
	st := s.node.Status()
	members, _ := s.members()
	return Status{
		ID: st.ID, State: strings.ToLower(st.State), Leader: st.LeaderID, LeaderRedisAddr: s.leaderRedisAddr(),
		Term: st.Term, CommitIndex: st.CommitIndex, DurableCommit: st.DurableCommit, AppliedIndex: st.AppliedIndex,
		LastLogIndex: st.LastIndex, LastSnapshot: st.LastSnapshot,
		RedisAddr: s.cfg.RedisAddr, HTTPAddr: s.cfg.HTTPAddr, Nodes: members,
	}
}

func (s *Server) handleStatus(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Status())
}

// handleReady: ready means a leader is known, its client address too, and
// this node has applied everything it knows to be committed.
func (s *Server) handleReady(w http.ResponseWriter, _ *http.Request) {
	st := s.Status()
	switch {
	case st.Leader == "" || st.LeaderRedisAddr == "":
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "no leader"})
	case st.AppliedIndex < st.CommitIndex:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "catching up"})
	default:
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	}
}

func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad JSON: " + err.Error()})
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// Digest is the body of GET /digest.
type Digest struct {
	ID           string `json:"id"`
	AppliedIndex uint64 `json:"applied_index"`
	// Digest is fsm.FSM.Digest in hex: a hash of the data set, its clock,
	// its member addresses and the index it was taken at, so two nodes
	// report the same digest only when they applied the same entries to the
	// same effect. It costs a walk of the whole data set.
	Digest string `json:"digest"`
}

// handleDigest serves the data set's digest, for checking that the nodes
// of a healed cluster hold the same data (the chaos checker does).
func (s *Server) handleDigest(w http.ResponseWriter, _ *http.Request) {
	d, err := s.data.Digest()
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, Digest{ID: s.cfg.ID, AppliedIndex: s.data.AppliedIndex(), Digest: fmt.Sprintf("%016x", d)})
}
