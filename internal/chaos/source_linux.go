package chaos

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// sourceOf names the node that opened c, or -1: every node dials from an
// ephemeral port on loopback, so the kernel's socket table says which
// process holds the other end (the socket whose local port is c's remote
// port, found among each node's open files).
func (nw *network) sourceOf(c net.Conn) int {
	remote, ok := c.RemoteAddr().(*net.TCPAddr)
	if !ok {
		return -1
	}
	local, ok := c.LocalAddr().(*net.TCPAddr)
	if !ok {
		return -1
	}
	inode, err := socketInode(remote.Port, local.Port)
	if err != nil {
		return -1
	}
	target := fmt.Sprintf("socket:[%s]", inode)
	for pid, node := range nw.pids() {
		fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
		if err != nil {
			continue
		}
		for _, fd := range fds {
			link, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
			if err == nil && link == target {
				return node
			}
		}
	}
	return -1
}

// socketInode finds, in /proc/net/tcp, the inode of the IPv4 socket bound
// to localPort and connected to remotePort.
func socketInode(localPort, remotePort int) (string, error) {
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 {
			continue
		}
		if port(fields[1]) == localPort && port(fields[2]) == remotePort {
			return fields[9], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("no socket %d -> %d", localPort, remotePort)
}

// port decodes the port of a /proc/net/tcp address (hex "0100007F:1F90").
func port(addr string) int {
	i := strings.IndexByte(addr, ':')
	if i < 0 {
		return -1
	}
	p, err := strconv.ParseUint(addr[i+1:], 16, 16)
	if err != nil {
		return -1
	}
	return int(p)
}
