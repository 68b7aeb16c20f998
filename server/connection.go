package server

import (
	"math"
	"strconv"
	"strings"

	"github.com/raftis/raftis/fsm"
)

// PING [message]
func cmdPing(_ *Server, c *call) {
	switch len(c.args) {
	case 1:
		c.conn.WriteString("PONG")
	case 2:
		c.conn.WriteBulk(c.args[1])
	default:
		c.conn.WriteError(fsm.ErrArity("ping"))
	}
}

// ECHO message
func cmdEcho(_ *Server, c *call) { c.conn.WriteBulk(c.args[1]) }

// QUIT
func cmdQuit(_ *Server, c *call) {
	c.conn.WriteString("OK")
	c.batch.quit = true
	_ = c.conn.Close()
}

func cmdOK(_ *Server, c *call) { c.conn.WriteString("OK") }

// SELECT index
func cmdSelect(_ *Server, c *call) {
	n, ok := fsm.ParseInt(c.args[1])
	switch {
	case !ok:
		c.conn.WriteError(fsm.ErrNotInteger)
	case n < math.MinInt32 || n > math.MaxInt32:
		c.conn.WriteError("ERR value is out of range, value must between -2147483648 and 2147483647")
	case n < 0 || n >= fsm.NumDatabases:
		c.conn.WriteError(fsm.ErrDBIndex)
	default:
		c.sess.set(func(sess *session) { sess.db = int(n) })
		c.conn.WriteString("OK")
	}
}

// AUTH [username] password
func cmdAuth(_ *Server, c *call) {
	if len(c.args) > 3 {
		c.conn.WriteError(fsm.ErrSyntax)
		return
	}
	c.conn.WriteError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
//
// Only RESP2 exists so far: HELLO 3 gets -NOPROTO, which clients such as
// go-redis take as "fall back to RESP2".
func cmdHello(s *Server, c *call) {
	args := c.args[1:]
	if len(args) > 0 {
		ver, err := strconv.ParseInt(string(args[0]), 10, 64)
		if err != nil {
			c.conn.WriteError("ERR Protocol version is not an integer or out of range")
			return
		}
		if ver != 2 {
			c.conn.WriteError("NOPROTO unsupported protocol version")
			return
		}
		args = args[1:]
	}
	var name []byte
	for i := 0; i < len(args); i++ {
		switch {
		case strings.EqualFold(string(args[i]), "auth") && i+2 < len(args):
			c.conn.WriteError("WRONGPASS invalid username-password pair or user is disabled.")
			return
		case strings.EqualFold(string(args[i]), "setname") && i+1 < len(args):
			name = args[i+1]
			i++
		default:
			c.conn.WriteError("ERR Syntax error in HELLO option '" + string(args[i]) + "'")
			return
		}
	}
	if name != nil {
		if !validClientName(name) {
			c.conn.WriteError(errClientName)
			return
		}
		c.sess.set(func(sess *session) { sess.name = string(name) })
	}
	c.conn.WriteArray(14)
	c.conn.WriteBulkString("server")
	c.conn.WriteBulkString("redis")
	c.conn.WriteBulkString("version")
	c.conn.WriteBulkString(redisVersion)
	c.conn.WriteBulkString("proto")
	c.conn.WriteInt(2)
	c.conn.WriteBulkString("id")
	c.conn.WriteInt64(c.sess.id)
	c.conn.WriteBulkString("mode")
	c.conn.WriteBulkString("standalone")
	c.conn.WriteBulkString("role")
	if s.node.IsLeader() {
		c.conn.WriteBulkString("master")
	} else {
		c.conn.WriteBulkString("replica")
	}
	c.conn.WriteBulkString("modules")
	c.conn.WriteArray(0)
}

// redisVersion is the Redis version whose behaviour raftis reproduces;
// clients use it to pick features.
const redisVersion = "7.0.15"

const errClientName = "ERR Client names cannot contain spaces, newlines or special characters."

func validClientName(name []byte) bool {
	for _, ch := range name {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}
