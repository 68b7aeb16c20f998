package server

import (
	"bytes"
	"strings"
	"time"

	"github.com/tidwall/redcon"

	"github.com/raftis/raftis/fsm"
)

// queuedWrite is a data write resolved and queued for a log entry, not yet
// answered.
type queuedWrite struct {
	cmd *command
	at  time.Time
}

// begin records that cmd was resolved and is about to be routed: for
// CLIENT LIST's cmd=, and as the row whose statistics its reply will count
// in. The queues follow the batch's routing: a data read waits in reads
// until s.read runs it, a data write in writes until its reply goes
// through the replyTap; a server command counts itself when it runs.
func (sess *session) begin(cmd *command) {
	sess.lastCmd.Store(cmd)
	switch {
	case cmd.data == nil:
	case cmd.Flags&fsm.FlagWrite != 0:
		sess.writes = append(sess.writes, queuedWrite{cmd: cmd, at: time.Now()})
	default:
		sess.reads = append(sess.reads, cmd)
	}
}

// takeReads returns the rows of the n reads the batch is about to run,
// oldest first; nil if the queue does not match (statistics are then
// skipped rather than counted on the wrong rows).
func (sess *session) takeReads(n int) []*command {
	rows := sess.reads
	sess.reads = sess.reads[:0]
	if len(rows) != n {
		return nil
	}
	return rows
}

// replyTap is the client connection as a batch sees it. Everything written
// goes straight through; on the way it counts every error reply in
// errorstats, and attributes replies to the queued data writes, oldest
// first: the batch writes exactly one reply per pending write, in order,
// once their entry is applied or refused, and nothing else while writes
// are pending. Reads do not go through it (s.read counts its own replies),
// since writes queue up while earlier reads are still to run.
type replyTap struct {
	redcon.Conn
	sess  *session
	stats *serverStats
}

// rawConn is the client connection under a replyTap.
func rawConn(conn redcon.Conn) redcon.Conn {
	if t, ok := conn.(*replyTap); ok {
		return t.Conn
	}
	return conn
}

func (t *replyTap) WriteError(msg string) {
	t.Conn.WriteError(msg)
	t.stats.countError(msg)
	if len(t.sess.writes) == 0 {
		return
	}
	w := t.sess.popWrite()
	if refusedWrite(msg) {
		w.cmd.stats.rejected.Add(1)
		return
	}
	w.cmd.stats.record(1, time.Since(w.at), 1)
}

// refusedWrite reports whether msg is a refusal of the write path that
// comes before anything is proposed: no leader, a follower that rejects
// writes, or maxmemory (Redis counts an OOM refusal, of a command or of
// an EXEC, as a rejected call).
func refusedWrite(msg string) bool {
	return strings.HasPrefix(msg, "CLUSTERDOWN ") || strings.HasPrefix(msg, "READONLY ") ||
		strings.HasPrefix(msg, "OOM ") || strings.HasPrefix(msg, execAbortBecause+"OOM ")
}

func (t *replyTap) WriteRaw(data []byte) {
	t.Conn.WriteRaw(data)
	if len(t.sess.writes) == 0 {
		return
	}
	now := time.Now()
	var acc statsRun
	for len(data) > 0 && len(t.sess.writes) > 0 {
		n := replyLen(data)
		if n == 0 {
			break // not a whole reply: nothing more to attribute
		}
		failed := data[0] == '-'
		if failed {
			t.stats.countErrorReply(data)
		}
		w := t.sess.popWrite()
		if failed && refusedWrite(string(data[1:n-2])) {
			w.cmd.stats.rejected.Add(1)
			data = data[n:]
			continue
		}
		acc.add(w.cmd, now.Sub(w.at), failed)
		data = data[n:]
	}
	acc.flush()
}

func (sess *session) popWrite() queuedWrite {
	w := sess.writes[0]
	sess.writes = sess.writes[1:]
	if len(sess.writes) == 0 {
		sess.writes = sess.writes[:0:cap(sess.writes)]
	}
	return w
}

// dropStaleWrites forgets queued writes that got no reply, so that later
// replies are not counted on their rows. The batch answers every write
// before it runs a server command, so there should be none.
func (sess *session) dropStaleWrites() { sess.writes = sess.writes[:0] }

// statsRun adds up consecutive calls of one row, so that a pipeline of
// the same command touches the row's counters once.
type statsRun struct {
	cmd    *command
	calls  int64
	time   time.Duration
	failed int64
}

func (r *statsRun) add(cmd *command, d time.Duration, failed bool) {
	if cmd != r.cmd {
		r.flush()
		r.cmd = cmd
	}
	r.calls++
	r.time += d
	if failed {
		r.failed++
	}
}

func (r *statsRun) flush() {
	if r.cmd != nil && r.calls > 0 {
		r.cmd.stats.record(r.calls, r.time, r.failed)
	}
	*r = statsRun{}
}

// replyLen is the length of the RESP2 reply at the start of b, or 0 if b
// does not start with a whole one.
func replyLen(b []byte) int {
	pos, due := 0, 1
	for due > 0 {
		eol := bytes.IndexByte(b[pos:], '\n')
		if eol < 2 || b[pos+eol-1] != '\r' {
			return 0
		}
		typ, n, ok := b[pos], 0, true
		if typ == '$' || typ == '*' {
			if n, ok = parseLength(b[pos+1 : pos+eol-1]); !ok || n > len(b) {
				return 0
			}
		}
		pos += eol + 1
		due--
		switch typ {
		case '+', '-', ':':
		case '$':
			if n >= 0 {
				pos += n + 2
			}
		case '*':
			if n > 0 {
				due += n
			}
		default:
			return 0
		}
		if pos > len(b) {
			return 0
		}
	}
	return pos
}

// parseLength parses a RESP length: -1 or a decimal of at most 18 digits.
func parseLength(b []byte) (int, bool) {
	if len(b) == 2 && b[0] == '-' && b[1] == '1' {
		return -1, true
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	n := 0
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		n = n*10 + int(ch-'0')
	}
	return n, true
}
