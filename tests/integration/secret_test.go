package integration

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	tc "github.com/raftis/raftis/internal/testcluster"
)

const (
	replyNeedSecret  = "-NOAUTH this command is for cluster members: send RAFT AUTH <cluster-secret> first\r\n"
	replyWrongSecret = "-WRONGPASS invalid cluster secret\r\n"
)

// httpCall sends method path (with body as JSON, if any) to addr, with the
// bearer token if not empty, and returns the status code.
func httpCall(t *testing.T, method, addr, path string, body any, token string) int {
	t.Helper()
	var data []byte
	if body != nil {
		data, _ = json.Marshal(body)
	}
	req, err := http.NewRequest(method, "http://"+addr+path, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestClusterSecret runs a three-node cluster with a secret: nodes join
// with it and followers forward writes with it, while calls between
// members without it, or with a wrong one, are refused.
func TestClusterSecret(t *testing.T) {
	const secret = "s3cret"
	c := tc.Start(t, 3, tc.Options{ClusterSecret: secret})
	leader, follower := c.Leader(), c.Followers()[0]

	// End to end: a follower forwards a write, presenting the secret.
	f := dialRaw(t, follower.RedisAddr)
	if got := f.do("SET", "k", "v"); got != "+OK\r\n" {
		t.Fatalf("SET through a follower: %q", got)
	}
	l := dialRaw(t, leader.RedisAddr)
	if got := l.do("GET", "k"); got != "$1\r\nv\r\n" {
		t.Fatalf("GET on the leader: %q", got)
	}
	// A linearizable read on a follower asks the leader (RAFT READINDEX).
	if got := f.do("RAFT", "CONSISTENCY", "linearizable"); got != "+OK\r\n" {
		t.Fatalf("RAFT CONSISTENCY: %q", got)
	}
	if got := f.do("GET", "k"); got != "$1\r\nv\r\n" {
		t.Fatalf("linearizable GET on a follower: %q", got)
	}

	// RESP: refused without the secret and with a wrong one.
	self := []string{"RAFT", "JOIN", follower.ID, follower.RaftAddr, follower.RedisAddr}
	for _, args := range [][]string{
		{"RAFT", "FORWARD", "x"}, self, {"RAFT", "REMOVE", "nobody"}, {"RAFT", "TRANSFER"},
		{"RAFT", "READINDEX"}, {"RAFT", "WAIT", "1", "1", "1", "x"},
	} {
		if got := l.do(args...); got != replyNeedSecret {
			t.Errorf("%q without the secret: %q, want %q", args, got, replyNeedSecret)
		}
	}
	if got := l.do("RAFT", "AUTH", "wrong"); got != replyWrongSecret {
		t.Errorf("RAFT AUTH wrong: %q", got)
	}
	if got := l.do("RAFT", "FORWARD", "x"); got != replyNeedSecret {
		t.Errorf("RAFT FORWARD after a wrong secret: %q", got)
	}
	// Reads and RAFT INFO need nothing.
	if got := l.do("RAFT", "LEADER"); got == replyNeedSecret {
		t.Errorf("RAFT LEADER needs the secret")
	}
	// The right secret: a join of a member that is there already is OK,
	// on the leader and through a follower (which asks the leader).
	for _, r := range []rawConn{l, f} {
		if got := r.do("RAFT", "AUTH", secret); got != "+OK\r\n" {
			t.Fatalf("RAFT AUTH: %q", got)
		}
		if got := r.do(self...); got != "+OK\r\n" {
			t.Errorf("RAFT JOIN with the secret: %q", got)
		}
	}
	if got := l.do("RAFT", "FORWARD", "x"); got != "-ERR invalid forwarded entry\r\n" {
		t.Errorf("RAFT FORWARD of garbage with the secret: %q", got)
	}

	// HTTP.
	join := map[string]string{"id": follower.ID, "raft_addr": follower.RaftAddr, "redis_addr": follower.RedisAddr}
	for _, tok := range []string{"", "wrong"} {
		for _, call := range []struct {
			method, path string
			body         any
		}{
			{"POST", "/join", join}, {"POST", "/remove", map[string]string{"id": "nobody"}},
			{"GET", "/debug/pprof/", nil},
		} {
			if code := httpCall(t, call.method, leader.HTTPAddr, call.path, call.body, tok); code != http.StatusUnauthorized {
				t.Errorf("%s %s with token %q: %d, want 401", call.method, call.path, tok, code)
			}
		}
	}
	if code := httpCall(t, "POST", follower.HTTPAddr, "/join", join, secret); code != http.StatusOK {
		t.Errorf("POST /join with the secret through a follower: %d", code)
	}
	if code := httpCall(t, "GET", leader.HTTPAddr, "/debug/pprof/", nil, secret); code != http.StatusOK {
		t.Errorf("GET /debug/pprof/ with the secret: %d", code)
	}
	for _, path := range []string{"/status", "/healthz", "/readyz"} {
		if code := httpCall(t, "GET", leader.HTTPAddr, path, nil, ""); code != http.StatusOK {
			t.Errorf("GET %s without a secret: %d, want 200", path, code)
		}
	}
	// A node with a wrong secret cannot join.
	if code := httpCall(t, "POST", leader.HTTPAddr, "/join",
		map[string]string{"id": "intruder", "raft_addr": "127.0.0.1:1", "redis_addr": "127.0.0.1:2"}, "guess"); code != http.StatusUnauthorized {
		t.Errorf("join with a wrong secret: %d", code)
	}
}

// TestNoClusterSecret: without a secret the calls between members are
// open, and RAFT AUTH says there is nothing to present.
func TestNoClusterSecret(t *testing.T) {
	c := tc.Start(t, 1, tc.Options{})
	r := dialRaw(t, c.Leader().RedisAddr)
	if got := r.do("RAFT", "AUTH", "x"); got != "-ERR RAFT AUTH called but no cluster secret is configured\r\n" {
		t.Errorf("RAFT AUTH without a secret: %q", got)
	}
	if got := r.do("RAFT", "FORWARD", "x"); got != "-ERR invalid forwarded entry\r\n" {
		t.Errorf("RAFT FORWARD without a secret configured: %q", got)
	}
	if code := httpCall(t, "GET", c.Leader().HTTPAddr, "/debug/pprof/", nil, ""); code != http.StatusOK {
		t.Errorf("pprof without a secret configured: %d", code)
	}
}
