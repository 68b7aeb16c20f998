package diff

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/raftis/raftis/internal/resp"
)

// replyTimeout bounds the wait for one reply. Generous: raftis writes go
// through Raft, under -race, possibly forwarded by a follower.
const replyTimeout = 15 * time.Second

// maxReply bounds one reply; nothing the generators do comes close.
const maxReply = 64 << 20

// side is one side of the comparison: a raw connection to Redis or to
// raftis, named for messages.
type side struct {
	name string // "redis" or "raftis"
	addr string
	conn *resp.Conn
}

func dialSide(name, addr string) (*side, error) {
	c, err := resp.DialTimeout(addr, 5*time.Second, resp.WithTimeout(replyTimeout), resp.WithMaxReply(maxReply))
	if err != nil {
		return nil, err
	}
	return &side{name: name, addr: addr, conn: c}, nil
}

func (s *side) Close() error { return s.conn.Close() }

// do sends args and returns the raw bytes of the one reply.
func (s *side) do(args ...string) ([]byte, error) {
	reply, err := s.conn.Do(args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", s.name, quoteCmd(args, 64), err)
	}
	return reply, nil
}

// bulkArray returns the elements of an array reply of bulk strings; ok is
// false for any other reply (including the null array).
func bulkArray(raw []byte) (items []string, ok bool) {
	v, err := resp.Parse(raw)
	if err != nil || v.Kind != resp.Array || v.Null {
		return nil, false
	}
	return bulkStrings(v)
}

// bulkStrings returns the elements of an array whose elements are all bulk
// strings (a null one as ""); ok is false otherwise.
func bulkStrings(v resp.Value) (items []string, ok bool) {
	if v.Kind != resp.Array {
		return nil, false
	}
	for _, e := range v.Elems {
		if e.Kind != resp.BulkString {
			return nil, false
		}
		items = append(items, e.Str)
	}
	return items, true
}

// intReply parses an integer reply.
func intReply(raw []byte) (int64, bool) {
	v, err := resp.Parse(raw)
	if err != nil || v.Kind != resp.Integer {
		return 0, false
	}
	return v.Int, true
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

// quoteReply formats a raw reply for messages.
func quoteReply(raw []byte, max int) string {
	if max > 0 && len(raw) > max {
		return fmt.Sprintf("%q...(%d bytes)", raw[:max], len(raw))
	}
	return strconv.Quote(string(raw))
}
