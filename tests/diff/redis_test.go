package diff

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// redisBinary finds redis-server: the Debian path first, then PATH.
func redisBinary(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/redis-server"); err == nil {
		return "/usr/bin/redis-server"
	}
	if p, err := exec.LookPath("redis-server"); err == nil {
		return p
	}
	if os.Getenv("CI") == "" {
		t.Skip("redis-server not installed (apt-get install redis-server); set CI to make this a failure")
	}
	t.Fatal("redis-server not installed, and CI is set: the differential test must run in CI")
	return ""
}

// freePort asks the kernel for a free loopback port. Another process may
// take it before redis-server binds it; startRedis then tries again.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// startRedis runs a private redis-server (no persistence) in a temporary
// directory and returns its address. It is killed, by pid, in Cleanup.
func startRedis(t *testing.T) string {
	t.Helper()
	bin := redisBinary(t)
	dir := t.TempDir()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		addr, err := tryStartRedis(t, bin, dir, freePort(t))
		if err == nil {
			return addr
		}
		lastErr = err
	}
	t.Fatalf("start redis-server: %v", lastErr)
	return ""
}

func tryStartRedis(t *testing.T, bin, dir string, port int) (string, error) {
	logPath := filepath.Join(dir, fmt.Sprintf("redis-%d.log", port))
	cmd := exec.Command(bin,
		"--save", "", "--appendonly", "no",
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--dir", dir, "--logfile", logPath, "--daemonize", "no")
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		if cmd.Process != nil {
			_ = cmd.Process.Kill() // by pid: only the process this test started
		}
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Logf("redis-server pid %d did not exit after kill", cmd.Process.Pid)
		}
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(logPath)
			return "", fmt.Errorf("redis-server exited (%v): %s", err, abbrev(log, 2000))
		default:
		}
		if pingOK(addr, cmd.Process.Pid) {
			t.Cleanup(stop)
			return addr, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", fmt.Errorf("redis-server on %s did not answer PING within 10s", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pingOK reports whether the redis-server with this pid answers on addr
// (not some other server that took the port first).
func pingOK(addr string, pid int) bool {
	rc, err := dialRESP("redis", addr)
	if err != nil {
		return false
	}
	defer rc.Close()
	reply, err := rc.do("PING")
	if err != nil || string(reply) != "+PONG\r\n" {
		return false
	}
	info, err := rc.do("INFO", "server")
	return err == nil && strings.Contains(string(info), "\r\nprocess_id:"+strconv.Itoa(pid)+"\r\n")
}
