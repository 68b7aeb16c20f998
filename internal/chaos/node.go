package chaos

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// node is one raftis process, restartable on the same ports and directory.
type node struct {
	index               int
	id                  string
	redisAddr, raftAddr string // RESP and the real Raft listener
	advertise, httpAddr string // the proxy in front of raftAddr; HTTP API
	dir, logPath        string

	mu     sync.Mutex
	cmd    *exec.Cmd
	done   chan struct{}
	paused bool
}

// start runs the process with args (the cluster's flags plus the node's
// own), appending its output to the node's log.
func (n *node) start(bin string, args []string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cmd != nil {
		return fmt.Errorf("%s is already running", n.id)
	}
	if err := os.MkdirAll(filepath.Dir(n.logPath), 0o755); err != nil {
		return err
	}
	logf, err := os.OpenFile(n.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	fmt.Fprintf(logf, "=== chaos: start %s at %s\n", n.id, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return err
	}
	n.cmd, n.done, n.paused = cmd, make(chan struct{}), false
	done := n.done
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	return nil
}

// running reports whether the process is up (paused counts as up).
func (n *node) running() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cmd == nil {
		return false
	}
	select {
	case <-n.done:
		return false
	default:
		return true
	}
}

// pid is the process id, or 0 when not running.
func (n *node) pid() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cmd == nil || n.cmd.Process == nil {
		return 0
	}
	return n.cmd.Process.Pid
}

// signal sends sig to the process, if it runs.
func (n *node) signal(sig syscall.Signal) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cmd == nil {
		return fmt.Errorf("%s is not running", n.id)
	}
	if err := n.cmd.Process.Signal(sig); err != nil {
		return err
	}
	switch sig {
	case syscall.SIGSTOP:
		n.paused = true
	case syscall.SIGCONT:
		n.paused = false
	}
	return nil
}

func (n *node) isPaused() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.paused
}

// kill stops the process with SIGKILL (after SIGCONT, if paused: a stopped
// process dies of SIGKILL too, but waiting for it is simpler this way) and
// waits for it to exit.
func (n *node) kill() {
	n.stop(syscall.SIGKILL, 0)
}

// stop sends sig, waits up to grace for the process to exit, then kills it.
func (n *node) stop(sig syscall.Signal, grace time.Duration) {
	n.mu.Lock()
	cmd, done := n.cmd, n.done
	n.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	_ = cmd.Process.Signal(syscall.SIGCONT)
	select {
	case <-done:
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		<-done
	}
	n.mu.Lock()
	n.cmd, n.paused = nil, false
	n.mu.Unlock()
}
