package server

import (
	"fmt"
	"strings"
)

// Read consistency levels (--read-consistency, RAFT CONSISTENCY), weakest
// first. What each promises and how it is served: docs/DESIGN.md, "Read
// consistency levels".
const (
	// ReadStale: any node serves from its local copy, as a Redis replica
	// does (bounded by --max-staleness when set).
	ReadStale = "stale"
	// ReadLeader: served at the leader's commit index while its lease
	// holds (a follower asks the leader for that index).
	ReadLeader = "leader"
	// ReadLinearizable: served at a commit index the leader read and then
	// confirmed with a quorum (ReadIndex).
	ReadLinearizable = "linearizable"
)

type readLevel uint8

const (
	levelStale readLevel = iota
	levelLeader
	levelLinearizable
)

var readLevelNames = [...]string{levelStale: ReadStale, levelLeader: ReadLeader, levelLinearizable: ReadLinearizable}

func (l readLevel) String() string { return readLevelNames[l] }

// parseReadLevel reads a level name, in any case.
func parseReadLevel(name string) (readLevel, bool) {
	for l, n := range readLevelNames {
		if strings.EqualFold(name, n) {
			return readLevel(l), true
		}
	}
	return 0, false
}

// CheckReadConsistency reports whether name is a read consistency level.
func CheckReadConsistency(name string) error {
	if _, ok := parseReadLevel(name); !ok {
		return fmt.Errorf("read consistency must be %s, %s or %s, not %q", ReadStale, ReadLeader, ReadLinearizable, name)
	}
	return nil
}

// RAFT CONSISTENCY [stale|leader|linearizable]
//
// Without an argument it answers the connection's level; with one it sets
// it for the rest of the connection (the node's --read-consistency is the
// default).
func cmdRaftConsistency(_ *Server, c *call) {
	switch len(c.args) {
	case 2:
		c.conn.WriteBulkString(c.sess.level.String())
	case 3:
		l, ok := parseReadLevel(string(c.args[2]))
		if !ok {
			c.conn.WriteError(fmt.Sprintf("ERR unknown read consistency level '%s', use %s, %s or %s", c.args[2], ReadStale, ReadLeader, ReadLinearizable))
			return
		}
		c.sess.set(func(sess *session) { sess.level = l })
		c.conn.WriteString("OK")
	default:
		c.conn.WriteError("ERR syntax error")
	}
}
