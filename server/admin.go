package server

import (
	"strconv"
	"strings"
	"time"
)

// TIME
func cmdTime(_ *Server, c *call) {
	now := time.Now()
	c.conn.WriteArray(2)
	c.conn.WriteBulkString(strconv.FormatInt(now.Unix(), 10))
	c.conn.WriteBulkString(strconv.FormatInt(int64(now.Nanosecond()/1000), 10))
}

// LASTSAVE: when this node last wrote a snapshot (its start time if none).
func cmdLastSave(s *Server, c *call) {
	c.conn.WriteInt64(s.lastSave().Unix())
}

// ROLE: the leader answers as a master listing its followers, a follower as
// a replica of the leader, in Redis's reply shapes.
//
// The offsets are INFO replication's (replication.go).
func cmdRole(s *Server, c *call) {
	master, _, processed := s.replicationOffsets()
	if s.node.IsLeader() {
		replicas := s.replicas()
		c.conn.WriteArray(3)
		c.conn.WriteBulkString("master")
		c.conn.WriteInt64(int64(master))
		c.conn.WriteArray(len(replicas))
		for _, r := range replicas {
			c.conn.WriteArray(3)
			c.conn.WriteBulkString(r.host)
			c.conn.WriteBulkString(r.port)
			c.conn.WriteBulkString(strconv.FormatUint(r.offset, 10))
		}
		return
	}
	host, port := splitHostPort(s.leaderRedisAddr())
	portN, _ := strconv.Atoi(port)
	state, offset := "connected", int64(processed)
	if host == "" {
		state, offset = "connect", -1
	}
	c.conn.WriteArray(5)
	c.conn.WriteBulkString("slave")
	c.conn.WriteBulkString(host)
	c.conn.WriteInt(portN)
	c.conn.WriteBulkString(state)
	c.conn.WriteInt64(offset)
}

func splitHostPort(addr string) (host, port string) {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return addr, ""
	}
	return addr[:i], addr[i+1:]
}
