// Package freeport hands tests loopback ports for servers they start as
// separate processes.
//
// A port the kernel picks for a listener on port 0 comes from the ephemeral
// range, which the kernel also uses for the source port of every outgoing
// connection. Released and handed to a process that binds it a moment
// later, such a port can be taken in between, for instance by a raft node
// dialing a peer. Ports below the ephemeral range are only ever taken by an
// explicit bind, so freeport picks those.
package freeport

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// lowest is the first port freeport considers.
const lowest = 10000

// Limit is the first port freeport does not hand out: the start of the
// kernel's ephemeral range.
func Limit() int {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err == nil {
		if f := strings.Fields(string(data)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil {
				return n
			}
		}
	}
	return 32768 // Linux's default
}

// Listen returns a listener on 127.0.0.1 at a free port below the
// ephemeral range. Close it just before the port is handed on.
func Listen() (net.Listener, error) {
	limit := Limit()
	if limit <= lowest+1000 {
		return net.Listen("tcp", "127.0.0.1:0") // no room below the range
	}
	var err error
	for range 100 {
		var l net.Listener
		port := lowest + rand.IntN(limit-lowest)
		if l, err = net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port))); err == nil {
			return l, nil
		}
	}
	return nil, fmt.Errorf("no free port in %d-%d: %w", lowest, limit-1, err)
}

// Port returns a port below the ephemeral range that was free a moment ago.
func Port() (int, error) {
	l, err := Listen()
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
