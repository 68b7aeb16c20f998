//go:build !linux

package server

import "net"

// watchClose does not watch on this platform: a blocked command whose
// client went away ends at its timeout.
func watchClose(net.Conn) (closed <-chan struct{}, stop func()) { return nil, func() {} }
