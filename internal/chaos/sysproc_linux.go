package chaos

import "syscall"

// sysProcAttr makes the kernel kill a node when the harness's thread that
// started it exits, so no node outlives a harness that crashed.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
