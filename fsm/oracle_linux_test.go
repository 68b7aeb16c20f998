package fsm

import "syscall"

func init() {
	// The kernel kills a started redis-server when the thread that started
	// it exits. The Go runtime ends a thread only when a goroutine locked
	// to it exits (these tests lock none), so in practice this is when the
	// test binary exits, cleanups run or not.
	oracleSysProcAttr = func() *syscall.SysProcAttr {
		return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	}
}
