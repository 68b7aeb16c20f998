package resp

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// Default timeouts. Generous: a raftis write goes through Raft, maybe
// forwarded by a follower, under the race detector on a loaded machine.
const (
	DefaultDialTimeout  = 5 * time.Second
	DefaultReplyTimeout = 10 * time.Second
)

// Conn is a connection to a RESP server: commands out, raw replies in.
// It is not safe for concurrent use.
type Conn struct {
	nc      net.Conn
	r       *Reader
	out     []byte        // requests written by Send, not yet flushed
	due     int           // replies to commands sent by Send, not yet received
	timeout time.Duration // for each reply, and for each write
	err     error         // the first read failure: the stream is out of step after it
}

// Option configures a Conn.
type Option func(*config)

type config struct {
	timeout  time.Duration
	maxReply int
}

// WithTimeout sets how long a reply (and a write) may take; the deadline
// is set afresh for each one. The default is DefaultReplyTimeout.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithMaxReply bounds the size of one reply in bytes. The default is
// DefaultMaxReply.
func WithMaxReply(n int) Option { return func(c *config) { c.maxReply = n } }

// Dial connects to addr over TCP, waiting at most DefaultDialTimeout.
func Dial(addr string, opts ...Option) (*Conn, error) {
	return DialTimeout(addr, DefaultDialTimeout, opts...)
}

// DialTimeout connects to addr over TCP, waiting at most dialTimeout.
func DialTimeout(addr string, dialTimeout time.Duration, opts ...Option) (*Conn, error) {
	nc, err := net.DialTimeout("tcp", addr, dialTimeout)
	if err != nil {
		return nil, err
	}
	return NewConn(nc, opts...), nil
}

// NewConn returns a Conn on an established connection, which it owns.
func NewConn(nc net.Conn, opts ...Option) *Conn {
	cfg := config{timeout: DefaultReplyTimeout, maxReply: DefaultMaxReply}
	for _, o := range opts {
		o(&cfg)
	}
	return &Conn{nc: nc, r: NewReader(nc, cfg.maxReply), timeout: cfg.timeout}
}

// Close closes the connection.
func (c *Conn) Close() error { return c.nc.Close() }

// RemoteAddr is the address of the server.
func (c *Conn) RemoteAddr() string { return c.nc.RemoteAddr().String() }

// Do sends a command and returns the raw bytes of its reply. Replies to
// commands queued with Send must have been received first (and the replies
// to raw bytes, which Do cannot count).
func (c *Conn) Do(args ...string) ([]byte, error) {
	if c.due > 0 {
		return nil, fmt.Errorf("resp: Do with %d pipelined replies still due", c.due)
	}
	c.Send(args...)
	return c.Receive()
}

// DoBytes is Do with binary arguments.
func (c *Conn) DoBytes(args ...[]byte) ([]byte, error) {
	if c.due > 0 {
		return nil, fmt.Errorf("resp: DoBytes with %d pipelined replies still due", c.due)
	}
	c.SendBytes(args...)
	return c.Receive()
}

// Send queues a command; Flush (or Receive) writes the queue, Receive
// reads the replies in order.
func (c *Conn) Send(args ...string) {
	c.out = appendCommand(c.out, args)
	c.due++
}

// SendBytes is Send with binary arguments.
func (c *Conn) SendBytes(args ...[]byte) {
	c.out = appendCommand(c.out, args)
	c.due++
}

// Flush writes the commands queued by Send.
func (c *Conn) Flush() error {
	if len(c.out) == 0 {
		return nil
	}
	err := c.write(c.out)
	c.out = c.out[:0]
	if cap(c.out) > 1<<20 {
		c.out = nil // do not hold on to a big request's buffer
	}
	return err
}

// WriteRaw writes p as it is, after any queued commands: an inline
// command, a malformed request. Receive reads what the server answers.
func (c *Conn) WriteRaw(p []byte) error {
	if err := c.Flush(); err != nil {
		return err
	}
	return c.write(p)
}

func (c *Conn) write(p []byte) error {
	if err := c.nc.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
		return err
	}
	if _, err := c.nc.Write(p); err != nil {
		return fmt.Errorf("resp: write: %w", err)
	}
	return nil
}

// Receive writes the commands queued by Send, if any, then reads the next
// reply and returns its raw bytes. A push message (RESP3 '>') is a reply
// like any other. After a failure (a broken reply, a timeout, the server
// closing: errors.Is(err, io.EOF)) the stream is out of step, and every
// later Receive returns the same error.
func (c *Conn) Receive() ([]byte, error) {
	if c.err != nil {
		return nil, c.err
	}
	if err := c.Flush(); err != nil {
		return nil, err
	}
	if c.due > 0 {
		c.due--
	}
	// net.Pipe refuses a deadline once its other end has closed; the read
	// then says what happened (io.EOF, or the rest of a reply still
	// buffered), as it does on a TCP connection the server closed.
	if err := c.nc.SetReadDeadline(time.Now().Add(c.timeout)); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		return nil, err
	}
	reply, err := c.r.ReadReply()
	if err != nil {
		c.err = fmt.Errorf("resp: read reply: %w", err)
		return nil, c.err
	}
	return reply, nil
}

// appendCommand encodes args as a RESP array of bulk strings.
func appendCommand[S ~string | ~[]byte](b []byte, args []S) []byte {
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
