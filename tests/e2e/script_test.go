package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// scripts/cluster.sh, as `make run` uses it: it starts three nodes, says
// when they are ready, and on SIGINT stops them all and exits 0.
func TestClusterScript(t *testing.T) {
	needTools(t, "bash", "curl", "redis-cli")
	script, err := filepath.Abs(filepath.Join("..", "..", "scripts", "cluster.sh"))
	if err != nil {
		t.Fatal(err)
	}
	bases := freePortRuns(t, 3, 3)
	dir := t.TempDir()
	outPath := filepath.Join(dir, "cluster.out")
	out, err := os.Create(outPath)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()

	cmd := exec.Command("bash", script)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(),
		"BASE_PORT="+strconv.Itoa(bases[0]),
		"RAFT_BASE_PORT="+strconv.Itoa(bases[1]),
		"HTTP_BASE_PORT="+strconv.Itoa(bases[2]),
		"DATA_DIR="+filepath.Join(dir, "data"),
		"BIN="+raftisBin,
		"READY_TIMEOUT=60",
		"RAFTIS_RAFT_HEARTBEAT_TIMEOUT=200ms",
		"RAFTIS_RAFT_ELECTION_TIMEOUT=200ms",
	)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	output := func() string {
		b, _ := os.ReadFile(outPath)
		return string(b)
	}
	// The nodes' pids, from the script's "started nX (pid N)" lines.
	nodePids := func() []int {
		var pids []int
		for _, m := range regexp.MustCompile(`started n\d \(pid (\d+)\)`).FindAllStringSubmatch(output(), -1) {
			pid, _ := strconv.Atoi(m[1])
			pids = append(pids, pid)
		}
		return pids
	}
	stopped := false
	t.Cleanup(func() {
		// When the test failed before the script stopped its nodes: end the
		// script and the nodes, which are still running (their pids cannot
		// have been reused yet).
		if !stopped {
			_ = cmd.Process.Kill()
			for _, pid := range nodePids() {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		if t.Failed() {
			t.Logf("cluster.sh output:\n%s", output())
		}
	})

	poll(t, 90*time.Second, "cluster.sh to say the cluster is ready", func() (bool, string) {
		select {
		case err := <-exited:
			t.Fatalf("cluster.sh exited before the cluster was ready: %v\n%s", err, output())
		default:
		}
		return strings.Contains(output(), "cluster is ready"), "not yet"
	})
	pids := nodePids()
	if len(pids) != 3 {
		t.Fatalf("cluster.sh reported %d node pids, want 3:\n%s", len(pids), output())
	}
	if got := mustCLI(t, bases[0], "SET", "greeting", "hello"); got != "OK" {
		t.Fatalf("SET on node 1: %q", got)
	}
	poll(t, 10*time.Second, "GET greeting on node 3", func() (bool, string) {
		got, err := cli(t, bases[0]+2, "GET", "greeting")
		return err == nil && got == "hello", fmt.Sprintf("%q, %v", got, err)
	})

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		stopped = err == nil
		if err != nil {
			t.Fatalf("cluster.sh after SIGINT: %v, want exit status 0\n%s", err, output())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("cluster.sh still running 30s after SIGINT")
	}
	poll(t, 5*time.Second, "the three nodes to be gone", func() (bool, string) {
		for _, pid := range pids {
			if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
				return false, fmt.Sprintf("pid %d still exists (kill -0: %v)", pid, err)
			}
		}
		return true, ""
	})
}
