// Package testredis runs the real Redis tools in tests: the stock
// redis-server is the oracle raftis's replies are compared with, and
// redis-check-rdb, redis-cli and redis-benchmark are the clients its users
// have. A test that needs a tool calls Need: on a developer machine without
// it the test is skipped, but with CI set (CI installs the tools) it fails.
package testredis

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/freeport"
	"github.com/raftis/raftis/internal/resp"
)

const startTimeout = 10 * time.Second

// Need returns the path of tool, skipping the test when it is missing,
// or failing it when the CI environment variable is set.
func Need(t testing.TB, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed, and CI is set: CI must run this test (%v)", tool, err)
		}
		t.Skipf("%s is not installed: %v", tool, err)
	}
	return path
}

// Start runs a private redis-server for t on a free loopback port, with no
// persistence and its working directory dir (a fresh temporary directory
// when dir is empty; a dump.rdb there is loaded), plus any extra arguments.
// It returns the server's address once the server answering there is the
// process it started (checked by process_id: another process may grab the
// port first) and has loaded its data, and kills that process by pid when
// the test ends.
func Start(t testing.TB, dir string, extra ...string) string {
	t.Helper()
	bin := Need(t, "redis-server")
	if dir == "" {
		dir = t.TempDir()
	}
	var errs []error
	for range 3 {
		addr, err := tryStart(t, bin, dir, extra)
		if err == nil {
			return addr
		}
		errs = append(errs, err)
	}
	t.Fatalf("could not start redis-server:\n%v", errors.Join(errs...))
	return ""
}

func tryStart(t testing.TB, bin, dir string, extra []string) (string, error) {
	port, err := freeport.Port()
	if err != nil {
		return "", err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	logPath := filepath.Join(dir, fmt.Sprintf("redis-%d.log", port))
	args := append([]string{
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--save", "", "--appendonly", "no", "--logfile", logPath, "--daemonize", "no",
	}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	pid := cmd.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Kill() // by pid: only the process this test started
		select {
		case <-exited:
		case <-time.After(startTimeout):
			t.Errorf("redis-server (pid %d) did not exit after SIGKILL", pid)
		}
	}
	fail := func(format string, args ...any) (string, error) {
		stop()
		log, _ := os.ReadFile(logPath)
		return "", fmt.Errorf("redis-server (pid %d) on %s: %s\n%s", pid, addr, fmt.Sprintf(format, args...), strings.TrimSpace(string(log)))
	}
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case err := <-exited:
			exited <- err
			return fail("exited: %v", err)
		default:
		}
		if got, err := processID(addr); err == nil {
			if got != pid {
				return fail("another redis-server (process_id %d) answers on the port", got)
			}
			t.Cleanup(stop)
			return addr, nil
		}
		if time.Now().After(deadline) {
			return fail("no answer within %v", startTimeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// processID asks the server at addr for the process_id in INFO server; it
// fails while the server is still loading its data.
func processID(addr string) (int, error) {
	c, err := resp.DialTimeout(addr, time.Second, resp.WithTimeout(time.Second))
	if err != nil {
		return 0, err
	}
	defer c.Close()
	raw, err := c.Do("INFO", "server", "persistence")
	if err != nil {
		return 0, err
	}
	info, err := resp.Parse(raw)
	if err != nil || info.Kind != resp.BulkString {
		return 0, fmt.Errorf("INFO server: %.100q", raw)
	}
	if strings.Contains(info.Str, "\r\nloading:1\r\n") {
		return 0, errors.New("loading")
	}
	for line := range strings.SplitSeq(info.Str, "\r\n") {
		if v, ok := strings.CutPrefix(line, "process_id:"); ok {
			return strconv.Atoi(v)
		}
	}
	return 0, fmt.Errorf("no process_id in INFO server: %.100q", raw)
}
