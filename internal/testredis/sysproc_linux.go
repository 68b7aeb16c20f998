package testredis

import "syscall"

// sysProcAttr makes the kernel kill a started redis-server when the thread
// that started it exits. The Go runtime ends a thread only when a goroutine
// locked to it exits, so in practice this is when the test binary exits,
// whether or not its cleanups ran (a panic, a timeout).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
