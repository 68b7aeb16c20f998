package server

import (
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/raftis/raftis/fsm"
)

// CLIENT ID
func cmdClientID(_ *Server, c *call) { c.conn.WriteInt64(c.sess.id) }

// CLIENT GETNAME
func cmdClientGetName(_ *Server, c *call) {
	c.sess.mu.Lock()
	name := c.sess.name
	c.sess.mu.Unlock()
	if name == "" {
		c.conn.WriteNull()
		return
	}
	c.conn.WriteBulkString(name)
}

// CLIENT SETNAME name
func cmdClientSetName(_ *Server, c *call) {
	if !validClientName(c.args[2]) {
		c.conn.WriteError(errClientName)
		return
	}
	c.sess.set(func(sess *session) { sess.name = string(c.args[2]) })
	c.conn.WriteString("OK")
}

// CLIENT INFO
func cmdClientInfo(s *Server, c *call) { c.conn.WriteBulkString(s.clientLine(c.sess) + "\n") }

// CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id ...]
//
// Every raftis client is a normal one: followers forward writes over
// ordinary connections.
func cmdClientList(s *Server, c *call) {
	keep := func(*session) bool { return true }
	switch {
	case len(c.args) == 4 && strings.EqualFold(string(c.args[2]), "type"):
		switch strings.ToLower(string(c.args[3])) {
		case "normal":
		case "master", "replica", "slave", "pubsub":
			keep = func(*session) bool { return false }
		default:
			c.conn.WriteError("ERR Unknown client type '" + string(c.args[3]) + "'")
			return
		}
	case len(c.args) > 3 && strings.EqualFold(string(c.args[2]), "id"):
		ids := map[int64]bool{}
		for _, a := range c.args[3:] {
			id, ok := fsm.ParseInt(a)
			if !ok {
				c.conn.WriteError("ERR Invalid client ID")
				return
			}
			ids[id] = true
		}
		keep = func(sess *session) bool { return ids[sess.id] }
	case len(c.args) != 2:
		c.conn.WriteError(fsm.ErrSyntax)
		return
	}
	var b strings.Builder
	s.sessions.Range(func(_, v any) bool {
		if sess := v.(*session); keep(sess) {
			b.WriteString(s.clientLine(sess))
			b.WriteString("\n")
		}
		return true
	})
	c.conn.WriteBulkString(b.String())
}

// clientLine is one line of CLIENT LIST, in Redis's field order, then
// raftis's own fields (tools that parse it skip fields they do not know).
func (s *Server) clientLine(sess *session) string {
	now := time.Now()
	cmd := "NULL"
	if last := sess.lastCmd.Load(); last != nil {
		cmd = last.Name
	}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	return "id=" + strconv.FormatInt(sess.id, 10) +
		" addr=" + sess.addr +
		" laddr=" + sess.laddr +
		" fd=" + strconv.Itoa(sess.fd) + " name=" + sess.name +
		" age=" + strconv.FormatInt(int64(now.Sub(sess.created)/time.Second), 10) +
		" idle=" + strconv.FormatInt(int64(sess.idleFor(now)/time.Second), 10) +
		" flags=N db=" + strconv.Itoa(sess.db) +
		" sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r" +
		" cmd=" + cmd + " user=default redir=-1 resp=2" +
		" read-consistency=" + sess.level.String()
}

// socketFD is the file descriptor of nc's socket, as Redis's CLIENT LIST
// shows it; 0 for a connection without one.
func socketFD(nc net.Conn) int {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return 0
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return 0
	}
	fd := 0
	_ = raw.Control(func(p uintptr) { fd = int(p) })
	return fd
}
