package diff

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/redcon"
)

// replyTimeout bounds the wait for one reply. Generous: raftis writes go
// through Raft, under -race, possibly forwarded by a follower.
const replyTimeout = 15 * time.Second

// maxReply bounds one reply; nothing the generators do comes close.
const maxReply = 64 << 20

// respConn is a raw RESP2 connection: one command out, exactly one reply in,
// kept as the bytes the server sent.
type respConn struct {
	name string // "redis" or "raftis", for messages
	addr string
	c    net.Conn
	r    *bufio.Reader
	buf  []byte // received, not yet returned
	tmp  []byte
}

func dialRESP(name, addr string) (*respConn, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &respConn{name: name, addr: addr, c: c, r: bufio.NewReaderSize(c, 64<<10), tmp: make([]byte, 64<<10)}, nil
}

func (rc *respConn) Close() error { return rc.c.Close() }

// appendCommand encodes args as a RESP array of bulk strings.
func appendCommand(b []byte, args []string) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}

// do sends args and returns the raw bytes of the one reply.
func (rc *respConn) do(args ...string) ([]byte, error) {
	if err := rc.c.SetWriteDeadline(time.Now().Add(replyTimeout)); err != nil {
		return nil, err
	}
	if _, err := rc.c.Write(appendCommand(nil, args)); err != nil {
		return nil, fmt.Errorf("%s: write %s: %w", rc.name, quoteCmd(args, 64), err)
	}
	reply, err := rc.readReply()
	if err != nil {
		return nil, fmt.Errorf("%s: reply to %s: %w", rc.name, quoteCmd(args, 64), err)
	}
	return reply, nil
}

// readReply reads until buf holds one complete reply and returns a copy of
// its bytes. ReadNextRESP returns 0 both for "incomplete" and for
// "malformed"; malformed data ends with the read deadline or the size cap.
func (rc *respConn) readReply() ([]byte, error) {
	if err := rc.c.SetReadDeadline(time.Now().Add(replyTimeout)); err != nil {
		return nil, err
	}
	for {
		if n, resp := redcon.ReadNextRESP(rc.buf); n > 0 && resp.Type != 0 {
			reply := append([]byte(nil), rc.buf[:n]...)
			rc.buf = append(rc.buf[:0], rc.buf[n:]...)
			return reply, nil
		}
		if len(rc.buf) > 0 && !strings.ContainsRune("+-:$*", rune(rc.buf[0])) {
			return nil, fmt.Errorf("not a RESP2 reply: %q", abbrev(rc.buf, 200))
		}
		if len(rc.buf) > maxReply {
			return nil, fmt.Errorf("reply larger than %d bytes", maxReply)
		}
		n, err := rc.r.Read(rc.tmp)
		rc.buf = append(rc.buf, rc.tmp[:n]...)
		if err != nil && n == 0 {
			return nil, fmt.Errorf("after %q: %w", abbrev(rc.buf, 200), err)
		}
	}
}

// parseReply decodes one raw reply.
func parseReply(raw []byte) redcon.RESP {
	_, resp := redcon.ReadNextRESP(raw)
	return resp
}

// arrayItems returns the elements of an array reply; ok is false for any
// other reply (including the null array).
func arrayItems(raw []byte) (items []redcon.RESP, ok bool) {
	resp := parseReply(raw)
	if resp.Type != redcon.Array || resp.Count < 0 {
		return nil, false
	}
	resp.ForEach(func(item redcon.RESP) bool {
		items = append(items, item)
		return true
	})
	return items, true
}

// intReply parses an integer reply.
func intReply(raw []byte) (int64, bool) {
	resp := parseReply(raw)
	if resp.Type != redcon.Integer {
		return 0, false
	}
	n, err := strconv.ParseInt(string(resp.Data), 10, 64)
	return n, err == nil
}

// quoteCmd formats a command for messages: each argument Go-quoted.
// Arguments longer than max bytes are abbreviated (max <= 0: never).
func quoteCmd(args []string, max int) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if max > 0 && len(a) > max {
			fmt.Fprintf(&b, "%q...(%d bytes)", a[:max/2], len(a))
		} else {
			b.WriteString(strconv.Quote(a))
		}
	}
	return b.String()
}

// abbrev cuts b to at most max bytes for messages.
func abbrev(b []byte, max int) string {
	if len(b) <= max {
		return string(b)
	}
	return fmt.Sprintf("%s...(%d bytes)", b[:max], len(b))
}

// quoteReply formats a raw reply for messages.
func quoteReply(raw []byte, max int) string {
	if max > 0 && len(raw) > max {
		return fmt.Sprintf("%q...(%d bytes)", raw[:max], len(raw))
	}
	return strconv.Quote(string(raw))
}
