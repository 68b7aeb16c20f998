package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/freeport"
)

// fastRaft are the Raft timeouts every test node runs with, so elections
// and failovers take about a second, while a leader still keeps its lease
// (half the heartbeat timeout) on a CI machine busy with the race detector.
var fastRaft = []string{
	"--raft-heartbeat-timeout", "400ms",
	"--raft-election-timeout", "400ms",
	"--apply-timeout", "3s",
}

// poll calls cond until it reports true, and fails the test with what and
// cond's last detail when that takes longer than timeout.
func poll(t testing.TB, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, detail := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s: %s", timeout, what, detail)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// handedOut are the ports freePorts and freePortRuns returned before: the
// kernel may offer a closed listener's port again at once, and a node
// that has not started yet must not share its ports with another.
var handedOut = struct {
	sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

// claim records ports as handed out, unless one of them already is.
func claim(ports ...int) bool {
	handedOut.Lock()
	defer handedOut.Unlock()
	for _, p := range ports {
		if handedOut.ports[p] {
			return false
		}
	}
	for _, p := range ports {
		handedOut.ports[p] = true
	}
	return true
}

// freePorts returns n distinct loopback ports below the ephemeral range
// that were free a moment ago and that no other caller got.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	var held []net.Listener
	defer func() {
		for _, l := range held {
			_ = l.Close()
		}
	}()
	for attempt := 0; len(ports) < n; attempt++ {
		if attempt == 1000 {
			t.Fatalf("found no %d free ports", n)
		}
		l, err := freeport.Listen()
		if err != nil {
			t.Fatalf("pick a free port: %v", err)
		}
		held = append(held, l)
		if p := l.Addr().(*net.TCPAddr).Port; claim(p) {
			ports = append(ports, p)
		}
	}
	return ports
}

// freePortRuns returns the first ports of count runs of k consecutive free
// loopback ports, for scripts that number their ports from a base.
func freePortRuns(t testing.TB, count, k int) []int {
	t.Helper()
	var bases []int
	var held []net.Listener
	defer func() {
		for _, l := range held {
			_ = l.Close()
		}
	}()
	for attempt := 0; len(bases) < count; attempt++ {
		if attempt == 200 {
			t.Fatalf("found no %d consecutive free ports", k)
		}
		first, err := freeport.Listen()
		if err != nil {
			t.Fatalf("pick a free port: %v", err)
		}
		base := first.Addr().(*net.TCPAddr).Port
		run := []net.Listener{first}
		for j := 1; j < k && base+j < freeport.Limit(); j++ {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(base+j))
			if err != nil {
				break
			}
			run = append(run, l)
		}
		held = append(held, run...)
		if len(run) == k {
			ports := make([]int, k)
			for j := range ports {
				ports[j] = base + j
			}
			if claim(ports...) {
				bases = append(bases, base)
			}
		}
	}
	return bases
}

// node is one raftis process.
type node struct {
	t                        *testing.T
	id                       string
	port, raftPort, httpPort int
	dir, logPath             string
	args                     []string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
}

// newNode prepares a node with three fresh ports, its directory under dir
// and the given extra flags. start runs it; t.Cleanup stops it.
func newNode(t *testing.T, id, dir string, extra ...string) *node {
	t.Helper()
	ports := freePorts(t, 3)
	n := &node{
		t: t, id: id, port: ports[0], raftPort: ports[1], httpPort: ports[2],
		dir: filepath.Join(dir, id), logPath: filepath.Join(dir, id+".log"),
	}
	n.args = append([]string{
		"--id", id,
		"--addr", n.addr(),
		"--raft-addr", fmt.Sprintf("127.0.0.1:%d", n.raftPort),
		"--http-addr", n.httpAddr(),
		"--dir", n.dir,
		"--log-level", "info",
	}, extra...)
	t.Cleanup(func() {
		n.stop()
		if t.Failed() {
			n.dumpLog()
		}
	})
	return n
}

func (n *node) addr() string     { return fmt.Sprintf("127.0.0.1:%d", n.port) }
func (n *node) httpAddr() string { return fmt.Sprintf("127.0.0.1:%d", n.httpPort) }

// start runs the node's process with its flags; after a kill or stop it
// restarts the node on the same ports and directory.
func (n *node) start() {
	n.t.Helper()
	if n.running() {
		n.t.Fatalf("%s is already running", n.id)
	}
	logf, err := os.OpenFile(n.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		n.t.Fatal(err)
	}
	defer logf.Close()
	fmt.Fprintf(logf, "=== e2e: %s %s\n", raftisBin, strings.Join(n.args, " "))
	cmd := exec.Command(raftisBin, n.args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		n.t.Fatalf("start %s: %v", n.id, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	n.mu.Lock()
	n.cmd, n.done = cmd, done
	n.mu.Unlock()
}

func (n *node) process() (*exec.Cmd, chan struct{}) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.cmd, n.done
}

func (n *node) running() bool {
	cmd, done := n.process()
	if cmd == nil {
		return false
	}
	select {
	case <-done:
		return false
	default:
		return true
	}
}

// signal sends sig to the process and waits up to timeout for it to exit.
func (n *node) signal(sig syscall.Signal, timeout time.Duration) bool {
	cmd, done := n.process()
	if cmd == nil {
		return true
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// kill ends the process with SIGKILL: no shutdown, no leadership transfer.
func (n *node) kill() {
	n.t.Helper()
	if !n.signal(syscall.SIGKILL, 10*time.Second) {
		n.t.Fatalf("%s (pid %d) survived SIGKILL", n.id, n.pid())
	}
}

// stop asks the process to stop with SIGTERM and kills it if it has not
// exited after a few seconds.
func (n *node) stop() {
	if n.running() && !n.signal(syscall.SIGTERM, 5*time.Second) {
		n.t.Logf("%s did not stop within 5s of SIGTERM: killing it", n.id)
		n.signal(syscall.SIGKILL, 10*time.Second)
	}
}

func (n *node) pid() int {
	cmd, _ := n.process()
	if cmd == nil {
		return 0
	}
	return cmd.Process.Pid
}

func (n *node) dumpLog() {
	data, err := os.ReadFile(n.logPath)
	if err != nil {
		return
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	lines = lines[max(0, len(lines)-40):]
	n.t.Logf("last lines of %s's log (%s):\n%s", n.id, n.logPath, strings.Join(lines, "\n"))
}

// status is the body of GET /status.
type status struct {
	ID                string `json:"id"`
	State             string `json:"state"`
	Leader            string `json:"leader"`
	LeaderRedisAddr   string `json:"leader_redis_addr"`
	Term              uint64 `json:"term"`
	CommitIndex       uint64 `json:"commit_index"`
	AppliedIndex      uint64 `json:"applied_index"`
	LastSnapshotIndex uint64 `json:"last_snapshot_index"`
	Nodes             []struct {
		ID        string `json:"id"`
		RaftAddr  string `json:"raft_addr"`
		RedisAddr string `json:"redis_addr"`
		Suffrage  string `json:"suffrage"`
		Leader    bool   `json:"leader"`
	} `json:"nodes"`
}

var httpClient = &http.Client{Timeout: 3 * time.Second}

func (n *node) status() (status, error) {
	var st status
	resp, err := httpClient.Get("http://" + n.httpAddr() + "/status")
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("GET /status: %s", resp.Status)
	}
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// ready reports whether GET /readyz answers 200.
func (n *node) ready() (bool, string) {
	resp, err := httpClient.Get("http://" + n.httpAddr() + "/readyz")
	if err != nil {
		return false, err.Error()
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	return resp.StatusCode == http.StatusOK, resp.Status + " " + strings.TrimSpace(body.String())
}

func (n *node) waitReady() {
	n.t.Helper()
	poll(n.t, 30*time.Second, n.id+" to answer /readyz with 200", func() (bool, string) {
		if !n.running() {
			n.t.Fatalf("%s exited while starting", n.id)
		}
		return n.ready()
	})
}

// cluster is a set of raftis processes of one test.
type cluster struct {
	t     *testing.T
	dir   string
	extra []string
	nodes []*node
}

// startCluster starts size nodes with the fast Raft timeouts and extra
// flags: n1 bootstraps, the others join through n1's HTTP API. It returns
// once every node is ready.
func startCluster(t *testing.T, size int, extra ...string) *cluster {
	t.Helper()
	c := &cluster{t: t, dir: t.TempDir(), extra: append(append([]string{}, fastRaft...), extra...)}
	for i := range size {
		var join []string
		if i > 0 {
			join = []string{"--join", c.nodes[0].httpAddr()}
		}
		c.nodes = append(c.nodes, newNode(t, fmt.Sprintf("n%d", i+1), c.dir, append(append([]string{}, c.extra...), join...)...))
	}
	c.nodes[0].start()
	c.nodes[0].waitReady()
	for _, n := range c.nodes[1:] {
		n.start()
	}
	for _, n := range c.nodes {
		n.waitReady()
	}
	return c
}

// addNode starts one more node that joins through the HTTP API of via.
func (c *cluster) addNode(via *node) *node {
	c.t.Helper()
	args := append(append([]string{}, c.extra...), "--join", via.httpAddr())
	n := newNode(c.t, fmt.Sprintf("n%d", len(c.nodes)+1), c.dir, args...)
	c.nodes = append(c.nodes, n)
	n.start()
	n.waitReady()
	return n
}

func (c *cluster) running() []*node {
	var out []*node
	for _, n := range c.nodes {
		if n.running() {
			out = append(out, n)
		}
	}
	return out
}

// leader waits until every running node names the same leader, that
// leader is a running node that says it leads, and every node knows its
// client address. It returns the leader and the other running nodes.
func (c *cluster) leader() (*node, []*node) {
	c.t.Helper()
	var leader *node
	var followers []*node
	poll(c.t, 30*time.Second, "the running nodes to agree on a leader", func() (bool, string) {
		leader, followers = nil, nil
		statuses := map[*node]status{}
		for _, n := range c.running() {
			st, err := n.status()
			if err != nil {
				return false, fmt.Sprintf("%s: %v", n.id, err)
			}
			statuses[n] = st
			if st.State == "leader" {
				leader = n
			}
		}
		if leader == nil {
			return false, "no running node is the leader"
		}
		for n, st := range statuses {
			if st.Leader != leader.id || st.LeaderRedisAddr != leader.addr() {
				return false, fmt.Sprintf("%s sees leader %q at %q, not %s", n.id, st.Leader, st.LeaderRedisAddr, leader.id)
			}
			if n != leader {
				followers = append(followers, n)
			}
		}
		return true, ""
	})
	return leader, followers
}

// cli runs redis-cli against port with args and returns its output
// without the trailing newline.
func cli(t testing.TB, port int, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "redis-cli", append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(port)}, args...)...)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = errors.Join(err, ctx.Err())
	}
	return strings.TrimRight(string(out), "\r\n"), err
}

// mustCLI is cli that fails the test when redis-cli fails.
func mustCLI(t testing.TB, port int, args ...string) string {
	t.Helper()
	out, err := cli(t, port, args...)
	if err != nil {
		t.Fatalf("redis-cli -p %d %s: %v\n%s", port, strings.Join(args, " "), err, out)
	}
	return out
}

// infoFields parses INFO output into its name:value fields.
func infoFields(info string) map[string]string {
	fields := map[string]string{}
	for _, line := range strings.Split(info, "\n") {
		line = strings.TrimSpace(line)
		if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, "#") {
			fields[k] = v
		}
	}
	return fields
}
