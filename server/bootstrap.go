package server

import (
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/raftis/raftis/raftlog"
)

// Bootstrapping a cluster of several nodes together (--bootstrap-expect N,
// as Consul and rqlite do it). Each node is started with --join naming the
// others; until it belongs to a cluster it posts its id and Raft address
// to each of them (POST /notify). A node that has heard of N members,
// itself included, bootstraps a cluster of those N. Every node hears the
// same N, so every one that bootstraps proposes the same configuration;
// one that a leader reaches first has state by then and does nothing. A
// node never bootstraps on its own unless started with neither --join nor
// --bootstrap-expect.

// bootstrapper collects the members heard of until there are expect.
type bootstrapper struct {
	mu      sync.Mutex
	expect  int
	members map[string]raftlog.Server // by id
	done    bool
}

func newBootstrapper(expect int, self raftlog.Server) *bootstrapper {
	return &bootstrapper{expect: expect, members: map[string]raftlog.Server{self.ID: self}}
}

// add records m and returns the members to bootstrap with once there are
// enough of them (only once), sorted by id; else nil. A member with a new
// address replaces its old one.
func (b *bootstrapper) add(m raftlog.Server) []raftlog.Server {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done || b.expect < 2 {
		return nil
	}
	b.members[m.ID] = m
	if len(b.members) < b.expect {
		return nil
	}
	b.done = true
	out := make([]raftlog.Server, 0, len(b.members))
	for _, m := range b.members {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b raftlog.Server) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// retry lets the next notification bootstrap again (the last attempt
// failed).
func (b *bootstrapper) retry() {
	b.mu.Lock()
	b.done = false
	b.mu.Unlock()
}

type notifyRequest struct {
	ID       string `json:"id"`
	RaftAddr string `json:"raft_addr"`
}

// handleNotify: POST /notify {"id","raft_addr"}, a node waiting to
// bootstrap tells this one it exists. 200 whatever this node does with it.
func (s *Server) handleNotify(w http.ResponseWriter, r *http.Request) {
	var req notifyRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.ID == "" || req.RaftAddr == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "notify needs id and raft_addr"})
		return
	}
	if s.boot == nil || s.node.HasConfiguration() {
		writeJSON(w, http.StatusOK, map[string]string{"status": "not bootstrapping"})
		return
	}
	members := s.boot.add(raftlog.Server{ID: req.ID, RaftAddr: req.RaftAddr, Suffrage: "Voter"})
	if members == nil {
		writeJSON(w, http.StatusOK, map[string]string{"status": "waiting"})
		return
	}
	ok, err := s.node.BootstrapWith(members)
	if err != nil {
		s.boot.retry()
		s.cfg.Logger.Error("bootstrap", "members", members, "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
		return
	}
	if ok {
		s.cfg.Logger.Info("bootstrapped a cluster", "members", members)
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "bootstrapped"})
}
