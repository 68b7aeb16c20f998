package server

import (
	"math"
	"strconv"
	"strings"
	"time"

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

// CLIENT ID | SETNAME name | GETNAME | INFO | LIST | SETINFO attr value | HELP
func cmdClient(s *Server, c *call) {
	sub := strings.ToLower(string(c.args[1]))
	argc := len(c.args)
	arity := map[string]int{"id": 2, "getname": 2, "info": 2, "setname": 3, "setinfo": 4, "help": 2, "list": -2}
	want, known := arity[sub]
	switch {
	case !known:
		c.conn.WriteError(unknownSubcommand(c.args[1], "client"))
		return
	case (want > 0 && argc != want) || (want < 0 && argc < -want):
		c.conn.WriteError(fsm.ErrArity("client|" + sub))
		return
	}
	switch sub {
	case "id":
		c.conn.WriteInt64(c.sess.id)
	case "getname":
		if c.sess.name == "" {
			c.conn.WriteNull()
		} else {
			c.conn.WriteBulkString(c.sess.name)
		}
	case "setname":
		if !validClientName(c.args[2]) {
			c.conn.WriteError(errClientName)
			return
		}
		c.sess.set(func(sess *session) { sess.name = string(c.args[2]) })
		c.conn.WriteString("OK")
	case "setinfo":
		c.conn.WriteString("OK")
	case "info":
		c.conn.WriteBulkString(s.clientLine(c.sess) + "\n")
	case "list":
		var b strings.Builder
		s.sessions.Range(func(_, v any) bool {
			b.WriteString(s.clientLine(v.(*session)))
			b.WriteString("\n")
			return true
		})
		c.conn.WriteBulkString(b.String())
	case "help":
		writeHelp(c, "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
			"ID", "    Return the ID of the current connection.",
			"GETNAME", "    Return the name of the current connection.",
			"SETNAME <name>", "    Assign the name <name> to the current connection.",
			"INFO", "    Return information about the current client connection.",
			"LIST", "    Return information about client connections.")
	}
}

// clientLine is one line of CLIENT LIST, in Redis's field order.
func (s *Server) clientLine(sess *session) string {
	now := time.Now()
	sess.mu.Lock()
	defer sess.mu.Unlock()
	return "id=" + strconv.FormatInt(sess.id, 10) +
		" addr=" + sess.addr +
		" laddr=" + sess.laddr +
		" fd=0 name=" + sess.name +
		" age=" + strconv.FormatInt(int64(now.Sub(sess.created)/time.Second), 10) +
		" idle=0 flags=N db=" + strconv.Itoa(sess.db) +
		" sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r" +
		" cmd=" + sess.lastCmd + " user=default redir=-1 resp=2"
}

// writeHelp writes a HELP reply: the title, the lines, and Redis's closing line.
func writeHelp(c *call, title string, lines ...string) {
	c.conn.WriteArray(len(lines) + 3)
	c.conn.WriteString(title)
	for _, l := range lines {
		c.conn.WriteString(l)
	}
	c.conn.WriteString("HELP")
	c.conn.WriteString("    Print this help.")
}
