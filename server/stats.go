package server

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tidwall/redcon"
)

// Statistics, as Redis 7.0 keeps them for INFO commandstats, errorstats
// and stats.
//
// A call is counted on the node the client sent it to, leader or follower:
// entries applied from the log are not calls. Reads are timed by their
// execution, server commands by their run, writes from the moment they are
// queued for a log entry until their reply is written (proposal, commit
// and apply, or the forwarding round trip). A command refused before it
// runs (wrong arity; no leader to propose to; a read refused by
// --max-staleness) counts in rejected_calls, not in calls; one that ran
// and replied an error counts in calls and failed_calls. Every error reply
// counts in errorstats by its first word (ERR, WRONGTYPE, ...).
//
// The counters live in the table rows and are atomics: the hot path adds
// to them, without locks, maps or allocations. Errors are rare, so
// errorstats is a map under a mutex.

// commandStats are one row's counters.
type commandStats struct {
	calls    atomic.Int64
	nanos    atomic.Int64
	rejected atomic.Int64
	failed   atomic.Int64
}

// record counts calls that ran, taking d in all, of which failed replied
// an error.
func (st *commandStats) record(calls int64, d time.Duration, failed int64) {
	st.calls.Add(calls)
	st.nanos.Add(int64(d))
	if failed > 0 {
		st.failed.Add(failed)
	}
}

func (st *commandStats) reset() {
	st.calls.Store(0)
	st.nanos.Store(0)
	st.rejected.Store(0)
	st.failed.Store(0)
}

func (st *commandStats) any() bool {
	return st.calls.Load() != 0 || st.rejected.Load() != 0 || st.failed.Load() != 0
}

// cmdstatLine is the row's INFO commandstats line. usec is the total time
// in microseconds; usec_per_call is computed from nanoseconds, so short
// commands do not all round to 0 or 1 as whole microseconds would.
func cmdstatLine(c *command) string {
	calls, nanos := c.stats.calls.Load(), c.stats.nanos.Load()
	perCall := 0.0
	if calls > 0 {
		perCall = float64(nanos) / 1e3 / float64(calls)
	}
	return fmt.Sprintf("cmdstat_%s:calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d",
		safeInfoString(c.Name), calls, nanos/1e3, perCall, c.stats.rejected.Load(), c.stats.failed.Load())
}

// serverStats are the node's counters outside the table.
type serverStats struct {
	connsReceived atomic.Int64 // total_connections_received
	connsRejected atomic.Int64 // rejected_connections (maxclients)
	errorReplies  atomic.Int64 // total_error_replies

	mu     sync.Mutex
	errors map[string]int64 // errorstats: count by error prefix
}

// countError counts one error reply whose text (without the leading '-')
// is msg.
func (st *serverStats) countError(msg string) {
	st.errorReplies.Add(1)
	prefix := errorPrefix(msg)
	st.mu.Lock()
	if st.errors == nil {
		st.errors = make(map[string]int64)
	}
	st.errors[prefix]++
	st.mu.Unlock()
}

// countErrorReply counts the error reply at the start of reply (RESP
// bytes starting with '-').
func (st *serverStats) countErrorReply(reply []byte) {
	line := reply[1:]
	if i := bytes.IndexByte(line, '\r'); i >= 0 {
		line = line[:i]
	}
	st.countError(string(line))
}

// errorPrefix is the name errorstats counts msg under, as Redis finds it:
// the text before the first space, looked for in the first 32 bytes of
// the reply (the '-' included); "ERR" when there is none.
func errorPrefix(msg string) string {
	head := msg[:min(len(msg), 31)]
	if i := strings.IndexByte(head, ' '); i >= 0 {
		return msg[:i]
	}
	return "ERR"
}

func (st *serverStats) reset() {
	st.connsReceived.Store(0)
	st.connsRejected.Store(0)
	st.errorReplies.Store(0)
	st.mu.Lock()
	st.errors = nil
	st.mu.Unlock()
}

// errorstatLines are INFO errorstats' lines, by prefix in byte order as
// Redis's radix tree gives them.
func (st *serverStats) errorstatLines() []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	prefixes := make([]string, 0, len(st.errors))
	for p := range st.errors {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	lines := make([]string, len(prefixes))
	for i, p := range prefixes {
		lines[i] = fmt.Sprintf("errorstat_%s:count=%d", safeInfoString(p), st.errors[p])
	}
	return lines
}

// safeInfoString replaces the characters that would break INFO's format.
func safeInfoString(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '#', ':', '\r', '\n':
			return '_'
		}
		return r
	}, s)
}

// resetStats is CONFIG RESETSTAT: every counter INFO reports goes back to
// zero, as in Redis (the memory peak stays).
func (s *Server) resetStats() {
	s.table.walk(func(c *command) { c.stats.reset() })
	s.stats.reset()
}

// commandsProcessed is total_commands_processed: the calls of every row.
func (s *Server) commandsProcessed() int64 {
	var n int64
	s.table.walk(func(c *command) { n += c.stats.calls.Load() })
	return n
}

// errorWatch passes a server command's replies on, noting whether one was
// an error.
type errorWatch struct {
	redcon.Conn
	failed bool
}

func (w *errorWatch) WriteError(msg string) {
	w.failed = true
	w.Conn.WriteError(msg)
}

// run runs a server command and counts it. The error replies themselves
// are counted in errorstats by the connection's replyTap they go through.
func (c *command) run(s *Server, cl *call) {
	cl.sess.dropStaleWrites()
	cl.cmd = c
	cl.watch = errorWatch{Conn: cl.conn}
	cl.conn = &cl.watch
	start := time.Now()
	c.fn(s, cl)
	if cl.rejected {
		c.stats.rejected.Add(1)
		return
	}
	failed := int64(0)
	if cl.watch.failed {
		failed = 1
	}
	c.stats.record(1, time.Since(start), failed)
}

// reject answers a call refused before it did anything.
func (cl *call) reject(msg string) {
	cl.rejected = true
	cl.conn.WriteError(msg)
}
