//go:build linux

package server

import (
	"errors"
	"net"
	"syscall"
	"time"
)

// watchClose watches a connection the server is not reading from (its
// client is blocked in BLPOP or the like) and closes the returned channel
// if the client goes away, so the blocked command can end at once instead
// of popping an element for nobody. It peeks at the socket (MSG_PEEK), so
// it never consumes bytes: if the client pipelines more commands while it
// is blocked, the watch stops there and the commands are read afterwards,
// in order. stop ends the watch and returns once nothing reads the
// connection any more.
func watchClose(nc net.Conn) (closed <-chan struct{}, stop func()) {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil, func() {}
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil, func() {}
	}
	gone := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var buf [1]byte
		eof := false
		err := rc.Read(func(fd uintptr) bool {
			n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
			switch {
			case errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EINTR):
				return false // nothing yet: wait until readable
			case err != nil || n == 0:
				eof = true // reset or orderly close
			}
			return true // closed, or data is waiting: either way, done
		})
		if err == nil && eof {
			close(gone)
		}
	}()
	return gone, func() {
		// A deadline in the past wakes the poller; then clear it for the
		// connection's own reads.
		_ = nc.SetReadDeadline(time.Unix(1, 0))
		<-done
		_ = nc.SetReadDeadline(time.Time{})
	}
}
