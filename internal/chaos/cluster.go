package chaos

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/raftis/raftis/internal/freeport"
	"github.com/raftis/raftis/internal/resp"
)

// nodeFlags are the flags every node runs with: failure detection fast
// enough that a round sees many elections, an apply timeout well inside the
// clients' reply timeout (so most failures come back as replies), and
// snapshots often enough that restarts and joins go through them.
var nodeFlags = []string{
	"--raft-heartbeat-timeout", "500ms",
	"--raft-election-timeout", "500ms",
	"--apply-timeout", "2s",
	"--snapshot-threshold", "256",
	"--snapshot-interval", "1s",
	"--trailing-logs", "128",
	"--log-level", "info",
}

// cluster is a set of raftis processes behind their Raft proxies.
type cluster struct {
	bin   string
	dir   string
	nodes []*node
	net   *network
	http  *http.Client
	logf  func(format string, args ...any)
}

// newCluster prepares n nodes under dir (ports, proxies, directories); start
// runs them.
func newCluster(bin, dir string, n int, logf func(string, ...any)) (*cluster, error) {
	c := &cluster{bin: bin, dir: dir, http: &http.Client{Timeout: 3 * time.Second}, logf: logf}
	c.net = newNetwork(n, c.pids)
	ports, err := freePorts(3 * n)
	if err != nil {
		return nil, err
	}
	for i := range n {
		nd := &node{
			index:     i,
			id:        fmt.Sprintf("n%d", i+1),
			redisAddr: fmt.Sprintf("127.0.0.1:%d", ports[3*i]),
			raftAddr:  fmt.Sprintf("127.0.0.1:%d", ports[3*i+1]),
			httpAddr:  fmt.Sprintf("127.0.0.1:%d", ports[3*i+2]),
		}
		nd.dir = filepath.Join(dir, nd.id)
		nd.logPath = filepath.Join(dir, nd.id+".log")
		if nd.advertise, err = c.net.front(i, nd.raftAddr); err != nil {
			c.net.close()
			return nil, err
		}
		c.nodes = append(c.nodes, nd)
	}
	return c, nil
}

// freePorts returns n distinct free ports below the ephemeral range.
func freePorts(n int) ([]int, error) {
	seen := map[int]bool{}
	var ports []int
	for attempt := 0; len(ports) < n; attempt++ {
		if attempt > 100*n {
			return nil, errors.New("chaos: no free ports")
		}
		p, err := freeport.Port()
		if err != nil {
			return nil, err
		}
		if !seen[p] {
			seen[p] = true
			ports = append(ports, p)
		}
	}
	return ports, nil
}

// pids maps each running node's process id to its index.
func (c *cluster) pids() map[int]int {
	m := map[int]int{}
	for _, n := range c.nodes {
		if pid := n.pid(); pid > 0 {
			m[pid] = n.index
		}
	}
	return m
}

// args are node i's flags; every node but a fresh first one joins through
// the others (a no-op for a member, so restarts may always pass it).
func (c *cluster) args(i int, join bool) []string {
	n := c.nodes[i]
	args := append([]string{
		"--id", n.id, "--addr", n.redisAddr, "--raft-addr", n.raftAddr,
		"--raft-advertise", n.advertise, "--http-addr", n.httpAddr, "--dir", n.dir,
	}, nodeFlags...)
	if join {
		var others []string
		for _, o := range c.nodes {
			if o.index != i {
				others = append(others, o.httpAddr)
			}
		}
		args = append(args, "--join", strings.Join(others, ","))
	}
	return args
}

// start boots node 1, waits until it leads, then starts and joins the
// others one at a time.
func (c *cluster) start(ctx context.Context) error {
	for i := range c.nodes {
		if err := c.nodes[i].start(c.bin, c.args(i, i > 0)); err != nil {
			return err
		}
		if err := c.waitMember(ctx, i, 30*time.Second); err != nil {
			return err
		}
	}
	return c.waitHealthy(ctx, 30*time.Second)
}

// restart starts a stopped node again, joining through the others.
func (c *cluster) restart(i int) error {
	return c.nodes[i].start(c.bin, c.args(i, true))
}

// wipe deletes a stopped node's data, so it comes back as a new member.
func (c *cluster) wipe(i int) error {
	if c.nodes[i].running() {
		return fmt.Errorf("%s is running", c.nodes[i].id)
	}
	return os.RemoveAll(c.nodes[i].dir)
}

// close stops every node and the proxies.
func (c *cluster) close() {
	var wg sync.WaitGroup
	for _, n := range c.nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.stop(syscall.SIGTERM, 5*time.Second)
		}()
	}
	wg.Wait()
	c.net.close()
}

// status is the part of GET /status the harness reads.
type status struct {
	ID           string `json:"id"`
	State        string `json:"state"`
	Leader       string `json:"leader"`
	LeaderRedis  string `json:"leader_redis_addr"`
	Term         uint64 `json:"term"`
	CommitIndex  uint64 `json:"commit_index"`
	AppliedIndex uint64 `json:"applied_index"`
	Nodes        []struct {
		ID       string `json:"id"`
		RaftAddr string `json:"raft_addr"`
		Suffrage string `json:"suffrage"`
	} `json:"nodes"`
}

type digest struct {
	ID           string `json:"id"`
	AppliedIndex uint64 `json:"applied_index"`
	Digest       string `json:"digest"`
}

func (c *cluster) getJSON(ctx context.Context, i int, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+c.nodes[i].httpAddr+path, nil)
	if err != nil {
		return err
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", c.nodes[i].id, path, res.Status)
	}
	return json.NewDecoder(res.Body).Decode(v)
}

func (c *cluster) postJSON(ctx context.Context, i int, path string, body any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+c.nodes[i].httpAddr+path, bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s: %s", c.nodes[i].id, path, res.Status, bytes.TrimSpace(msg))
	}
	return nil
}

func (c *cluster) status(ctx context.Context, i int) (status, error) {
	var st status
	err := c.getJSON(ctx, i, "/status", &st)
	return st, err
}

func (c *cluster) digest(ctx context.Context, i int) (digest, error) {
	var d digest
	err := c.getJSON(ctx, i, "/digest", &d)
	return d, err
}

// leader is the index of the node that says it leads, or -1.
func (c *cluster) leader(ctx context.Context) int {
	for _, n := range c.nodes {
		if !n.running() || n.isPaused() {
			continue
		}
		if st, err := c.status(ctx, n.index); err == nil && st.State == "leader" {
			return n.index
		}
	}
	return -1
}

// members is the leader's list of member ids, or nil without a leader.
func (c *cluster) members(ctx context.Context) []string {
	l := c.leader(ctx)
	if l < 0 {
		return nil
	}
	st, err := c.status(ctx, l)
	if err != nil {
		return nil
	}
	var ids []string
	for _, m := range st.Nodes {
		ids = append(ids, m.ID)
	}
	return ids
}

// remove takes node i out of the configuration, through the leader.
func (c *cluster) remove(ctx context.Context, i int) error {
	l := c.leader(ctx)
	if l < 0 {
		return errors.New("no leader")
	}
	return c.postJSON(ctx, l, "/remove", map[string]string{"id": c.nodes[i].id})
}

// join adds node i back, through the leader.
func (c *cluster) join(ctx context.Context, i int) error {
	l := c.leader(ctx)
	if l < 0 {
		return errors.New("no leader")
	}
	n := c.nodes[i]
	return c.postJSON(ctx, l, "/join", map[string]string{"id": n.id, "raft_addr": n.advertise, "redis_addr": n.redisAddr})
}

// transfer asks the leader to hand leadership to node to (or to whichever
// follower is most up to date when to < 0).
func (c *cluster) transfer(ctx context.Context, to int) error {
	l := c.leader(ctx)
	if l < 0 {
		return errors.New("no leader")
	}
	conn, err := resp.DialTimeout(c.nodes[l].redisAddr, time.Second, resp.WithTimeout(5*time.Second))
	if err != nil {
		return err
	}
	defer conn.Close()
	args := []string{"RAFT", "TRANSFER"}
	if to >= 0 {
		args = append(args, c.nodes[to].id)
	}
	raw, err := conn.Do(args...)
	if err != nil {
		return err
	}
	if v, err := resp.Parse(raw); err != nil || v.Err() != nil {
		return fmt.Errorf("RAFT TRANSFER: %q", raw)
	}
	return nil
}

// waitMember waits until node i is ready (a leader known, caught up).
func (c *cluster) waitMember(ctx context.Context, i int, timeout time.Duration) error {
	return poll(ctx, timeout, func() (bool, string) {
		if !c.nodes[i].running() {
			return false, c.nodes[i].id + " exited"
		}
		st, err := c.status(ctx, i)
		if err != nil {
			return false, err.Error()
		}
		return st.Leader != "" && st.LeaderRedis != "" && st.AppliedIndex >= st.CommitIndex, fmt.Sprintf("%+v", st)
	})
}

// waitHealthy waits until every node runs, belongs to the configuration,
// follows one leader and has applied what it knows is committed.
func (c *cluster) waitHealthy(ctx context.Context, timeout time.Duration) error {
	return poll(ctx, timeout, func() (bool, string) {
		leaders := map[string]bool{}
		for _, n := range c.nodes {
			st, err := c.status(ctx, n.index)
			if err != nil {
				return false, err.Error()
			}
			if st.Leader == "" || st.AppliedIndex < st.CommitIndex {
				return false, fmt.Sprintf("%s: leader %q applied %d commit %d", n.id, st.Leader, st.AppliedIndex, st.CommitIndex)
			}
			leaders[st.Leader] = true
			if st.State == "leader" && len(st.Nodes) != len(c.nodes) {
				return false, fmt.Sprintf("leader %s has %d members", n.id, len(st.Nodes))
			}
		}
		return len(leaders) == 1, fmt.Sprintf("leaders %v", leaders)
	})
}

// poll calls cond every 50 ms until it holds, ctx ends or timeout passes.
func poll(ctx context.Context, timeout time.Duration, cond func() (bool, string)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, detail := cond()
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %v: %s", timeout, detail)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
