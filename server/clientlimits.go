package server

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/redcon"
)

// Limits on clients, as Redis has them: `timeout` closes a connection idle
// for longer (not one blocked in BLPOP and the like), and
// `client-output-buffer-limit normal <hard> <soft> <soft-seconds>`
// disconnects a client whose replies pile up unread.
//
// A connection's output buffer is the replies the server has produced and
// the client's socket has not taken yet. raftis reads a connection's next
// commands only once the previous replies are written, so a client that
// does not read holds one pipeline's replies and its own goroutine, never
// a lock, Apply or another client (TestSlowClientBlocksNobody). Replies
// over the hard limit close the connection before they are written; while
// a write is in progress its size is on record, and the clients cron
// (every 200 ms) closes a connection whose write has been over the soft
// limit for soft-seconds. 0 disables a limit; Redis's default for normal
// clients is 0 0 0, no limit.

// outputLimit is one class of client-output-buffer-limit.
type outputLimit struct {
	hard, soft  uint64
	softSeconds int64
}

// Client classes of client-output-buffer-limit, in Redis's order. Every
// raftis client is normal; the others are stored and shown.
var outputLimitClasses = []string{"normal", "slave", "pubsub"}

// defaultOutputLimits are Redis 7.0's.
var defaultOutputLimits = [3]outputLimit{{}, {256 << 20, 64 << 20, 60}, {32 << 20, 8 << 20, 60}}

func formatOutputLimits(l [3]outputLimit) string {
	var b strings.Builder
	for i, class := range outputLimitClasses {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(class + " " + strconv.FormatUint(l[i].hard, 10) + " " +
			strconv.FormatUint(l[i].soft, 10) + " " + strconv.FormatInt(l[i].softSeconds, 10))
	}
	return b.String()
}

// parseOutputLimits applies "class hard soft seconds ..." to l, with
// Redis's checks and texts; an empty value changes nothing.
func parseOutputLimits(l *[3]outputLimit, v string) string {
	args := strings.Fields(v)
	if len(args)%4 != 0 {
		return "Wrong number of arguments in buffer limit configuration."
	}
	for ; len(args) > 0; args = args[4:] {
		class := -1
		switch strings.ToLower(args[0]) {
		case "normal":
			class = 0
		case "slave", "replica":
			class = 1
		case "pubsub":
			class = 2
		}
		if class < 0 {
			return "Invalid client class specified in buffer limit configuration."
		}
		hard, okHard := parseMemory([]byte(args[1]))
		soft, okSoft := parseMemory([]byte(args[2]))
		secs, err := strconv.ParseInt(args[3], 10, 64)
		if !okHard || !okSoft || err != nil || secs < 0 {
			return "Error in hard, soft or soft_seconds setting in buffer limit configuration."
		}
		l[class] = outputLimit{hard: hard, soft: soft, softSeconds: secs}
	}
	return ""
}

var timeoutParam = &param{name: "timeout",
	get: func(_ *Server, st *settable) string { return strconv.FormatInt(st.timeout, 10) },
	set: func(st *settable, v []byte) string {
		n, errText := parseUnsigned(v, false, 0, math.MaxInt32)
		st.timeout = int64(n)
		return errText
	}}

var outputLimitParam = &param{name: "client-output-buffer-limit",
	get: func(_ *Server, st *settable) string { return formatOutputLimits(st.outputLimits) },
	set: func(st *settable, v []byte) string { return parseOutputLimits(&st.outputLimits, string(v)) }}

// errOutputLimit closes a connection whose replies pass the hard limit.
var errOutputLimit = errors.New("client-output-buffer-limit: hard limit reached")

// flush is how every connection writes its replies (redcon's SetFlushVia):
// replies over the hard limit close the connection unwritten; otherwise
// the client's unread output is on record while they are written, for the
// clients cron to apply the soft limit to.
func (s *Server) flush(conn redcon.Conn, pending int, write func() error) error {
	sess, ok := conn.Context().(*session)
	if !ok {
		return write()
	}
	if lim := &s.params.outputLimits.Load()[0]; lim.hard > 0 && uint64(pending) > lim.hard {
		return errOutputLimit
	}
	sess.outputSince.Store(time.Now().UnixNano())
	sess.outputPending.Store(int64(pending))
	err := write()
	sess.outputPending.Store(0)
	return err
}

// overOutputLimit reports whether the client has left more than the
// limit unread: over the hard limit, or over the soft one for longer than
// its seconds.
func (sess *session) overOutputLimit(lim *outputLimit, now time.Time) bool {
	pending := uint64(sess.outputPending.Load())
	if pending == 0 {
		return false
	}
	if lim.hard > 0 && pending > lim.hard {
		return true
	}
	since := time.Unix(0, sess.outputSince.Load())
	return lim.soft > 0 && pending > lim.soft && now.Sub(since) >= time.Duration(lim.softSeconds)*time.Second
}

// touch records the client's last interaction (CLIENT LIST idle=, timeout).
func (sess *session) touch() { sess.lastInteraction.Store(time.Now().UnixNano()) }

// idleFor is how long the client has been idle at now.
func (sess *session) idleFor(now time.Time) time.Duration {
	return now.Sub(time.Unix(0, sess.lastInteraction.Load()))
}

// closeClients closes the connections idle for longer than timeout
// (except those blocked in a blocking command and members' connections,
// as Redis spares its replicas) and those over their output
// limit, as Redis's clients cron does. Closing the socket ends a write in
// progress too.
func (s *Server) closeClients(now time.Time) {
	timeout := time.Duration(s.params.timeout.Load()) * time.Second
	lim := &s.params.outputLimits.Load()[0]
	if timeout <= 0 && lim.hard == 0 && lim.soft == 0 {
		return
	}
	s.sessions.Range(func(_, v any) bool {
		sess := v.(*session)
		idle := timeout > 0 && !sess.blocked.Load() && !sess.member.Load() && sess.idleFor(now) > timeout
		if sess.nc != nil && (idle || sess.overOutputLimit(lim, now)) {
			_ = sess.nc.Close()
		}
		return true
	})
}
