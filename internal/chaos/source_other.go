//go:build !linux

package chaos

import "net"

// sourceOf cannot tell a connection's source without Linux's /proc: every
// connection counts as unknown, so a node cut from anyone is cut from all.
func (nw *network) sourceOf(net.Conn) int { return -1 }
