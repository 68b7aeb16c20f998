// Package redcon implements a Redis compatible server framework
package redcon

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/tidwall/btree"
	"github.com/tidwall/match"
)

var (
	errUnbalancedQuotes       = &errProtocol{"unbalanced quotes in request"}
	errInvalidBulkLength      = &errProtocol{"invalid bulk length"}
	errInvalidMultiBulkLength = &errProtocol{"invalid multibulk length"}
	errDetached               = errors.New("detached")
	errIncompleteCommand      = errors.New("incomplete command")
	errTooMuchData            = errors.New("too much data")

	// raftis fork: input size limits (see PATCHES.md).
	errTooBigInlineRequest = &errProtocol{"too big inline request"}
	errTooBigMbulkCountStr = &errProtocol{"too big mbulk count string"}
	errTooBigBulkCountStr  = &errProtocol{"too big bulk count string"}
)

const maxBufferCap = 262144

// DefaultProtoMaxBulkLen is the default maximum length of a single bulk
// string in a client request, the same as the default of Redis'
// proto-max-bulk-len (512 MiB). See Server.SetProtoMaxBulkLen.
const DefaultProtoMaxBulkLen int64 = 512 * 1024 * 1024

const (
	// protoMaxMultibulkLen is the largest accepted multibulk count, as
	// in Redis (1024*1024).
	protoMaxMultibulkLen = 1024 * 1024
	// protoInlineMaxSize is the largest accepted inline request line and
	// '*'/'$' header line, as Redis' PROTO_INLINE_MAX_SIZE (64 KiB).
	protoInlineMaxSize = 64 * 1024
	// readBufInitSize is the initial size of a connection read buffer.
	readBufInitSize = 4096
	// readBufRetainSize is the largest read buffer kept once the data in
	// it has been consumed; larger buffers are released.
	readBufRetainSize = 64 * 1024
)

type errProtocol struct {
	msg string
}

func (err *errProtocol) Error() string {
	return "Protocol error: " + err.msg
}

// Conn represents a client connection
type Conn interface {
	// RemoteAddr returns the remote address of the client connection.
	RemoteAddr() string
	// Close closes the connection.
	Close() error
	// WriteError writes an error to the client.
	WriteError(msg string)
	// WriteString writes a string to the client.
	WriteString(str string)
	// WriteBulk writes bulk bytes to the client.
	WriteBulk(bulk []byte)
	// WriteBulkString writes a bulk string to the client.
	WriteBulkString(bulk string)
	// WriteInt writes an integer to the client.
	WriteInt(num int)
	// WriteInt64 writes a 64-bit signed integer to the client.
	WriteInt64(num int64)
	// WriteUint64 writes a 64-bit unsigned integer to the client.
	WriteUint64(num uint64)
	// WriteArray writes an array header. You must then write additional
	// sub-responses to the client to complete the response.
	// For example to write two strings:
	//
	//   c.WriteArray(2)
	//   c.WriteBulkString("item 1")
	//   c.WriteBulkString("item 2")
	WriteArray(count int)
	// WriteNull writes a null to the client
	WriteNull()
	// WriteRaw writes raw data to the client.
	WriteRaw(data []byte)
	// WriteAny writes any type to the client.
	//   nil             -> null
	//   error           -> error (adds "ERR " when first word is not uppercase)
	//   string          -> bulk-string
	//   numbers         -> bulk-string
	//   []byte          -> bulk-string
	//   bool            -> bulk-string ("0" or "1")
	//   slice           -> array
	//   map             -> array with key/value pairs
	//   SimpleString    -> string
	//   SimpleInt       -> integer
	//   everything-else -> bulk-string representation using fmt.Sprint()
	WriteAny(any interface{})
	// Context returns a user-defined context
	Context() interface{}
	// SetContext sets a user-defined context
	SetContext(v interface{})
	// SetReadBuffer updates the buffer read size for the connection
	SetReadBuffer(bytes int)
	// Detach return a connection that is detached from the server.
	// Useful for operations like PubSub.
	//
	//   dconn := conn.Detach()
	//   go func(){
	//       defer dconn.Close()
	//       cmd, err := dconn.ReadCommand()
	//       if err != nil{
	//           fmt.Printf("read failed: %v\n", err)
	//	         return
	//       }
	//       fmt.Printf("received command: %v", cmd)
	//       hconn.WriteString("OK")
	//       if err := dconn.Flush(); err != nil{
	//           fmt.Printf("write failed: %v\n", err)
	//	         return
	//       }
	//   }()
	Detach() DetachedConn
	// ReadPipeline returns all commands in current pipeline, if any
	// The commands are removed from the pipeline.
	ReadPipeline() []Command
	// PeekPipeline returns all commands in current pipeline, if any.
	// The commands remain in the pipeline.
	PeekPipeline() []Command
	// NetConn returns the base net.Conn connection
	NetConn() net.Conn
	// WriteBulkFrom write bulk from io.Reader, size n
	//
	// Deprecated: broken in redcon v1.6.4 (kept unchanged in this fork):
	// it writes straight to an internal bufio.Writer, bypassing the
	// buffer used by the other Write* methods, so its output can be
	// reordered relative to them. Use WriteBulk instead.
	WriteBulkFrom(n int64, rb io.Reader)
}

// NewServer returns a new Redcon server configured on "tcp" network net.
func NewServer(addr string,
	handler func(conn Conn, cmd Command),
	accept func(conn Conn) bool,
	closed func(conn Conn, err error),
) *Server {
	return NewServerNetwork("tcp", addr, handler, accept, closed)
}

// NewServerTLS returns a new Redcon TLS server configured on "tcp" network net.
func NewServerTLS(addr string,
	handler func(conn Conn, cmd Command),
	accept func(conn Conn) bool,
	closed func(conn Conn, err error),
	config *tls.Config,
) *TLSServer {
	return NewServerNetworkTLS("tcp", addr, handler, accept, closed, config)
}

// NewServerNetwork returns a new Redcon server. The network net must be
// a stream-oriented network: "tcp", "tcp4", "tcp6", "unix" or "unixpacket"
func NewServerNetwork(
	net, laddr string,
	handler func(conn Conn, cmd Command),
	accept func(conn Conn) bool,
	closed func(conn Conn, err error),
) *Server {
	if handler == nil {
		panic("handler is nil")
	}
	s := newServer()
	s.net = net
	s.laddr = laddr
	s.handler = handler
	s.accept = accept
	s.closed = closed
	return s
}

// NewServerNetworkTLS returns a new TLS Redcon server. The network net must be
// a stream-oriented network: "tcp", "tcp4", "tcp6", "unix" or "unixpacket"
func NewServerNetworkTLS(
	net, laddr string,
	handler func(conn Conn, cmd Command),
	accept func(conn Conn) bool,
	closed func(conn Conn, err error),
	config *tls.Config,
) *TLSServer {
	if handler == nil {
		panic("handler is nil")
	}
	s := Server{
		net:     net,
		laddr:   laddr,
		handler: handler,
		accept:  accept,
		closed:  closed,
		conns:   make(map[*conn]bool),
	}

	tls := &TLSServer{
		config: config,
		Server: &s,
	}
	return tls
}

// Close stops listening on the TCP address.
// Already Accepted connections will be closed.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return errors.New("not serving")
	}
	s.done = true
	return s.ln.Close()
}

// ListenAndServe serves incoming connections.
func (s *Server) ListenAndServe() error {
	return s.ListenServeAndSignal(nil)
}

// Addr returns server's listen address
func (s *Server) Addr() net.Addr {
	return s.ln.Addr()
}

// Close stops listening on the TCP address.
// Already Accepted connections will be closed.
func (s *TLSServer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return errors.New("not serving")
	}
	s.done = true
	return s.ln.Close()
}

// ListenAndServe serves incoming connections.
func (s *TLSServer) ListenAndServe() error {
	return s.ListenServeAndSignal(nil)
}

func newServer() *Server {
	s := &Server{
		conns: make(map[*conn]bool),
	}
	return s
}

// Serve creates a new server and serves with the given net.Listener.
func Serve(ln net.Listener,
	handler func(conn Conn, cmd Command),
	accept func(conn Conn) bool,
	closed func(conn Conn, err error),
) error {
	s := newServer()
	s.mu.Lock()
	s.net = ln.Addr().Network()
	s.laddr = ln.Addr().String()
	s.ln = ln
	s.handler = handler
	s.accept = accept
	s.closed = closed
	s.mu.Unlock()
	return serve(s)
}

// ListenAndServe creates a new server and binds to addr configured on "tcp" network net.
func ListenAndServe(addr string,
	handler func(conn Conn, cmd Command),
	accept func(conn Conn) bool,
	closed func(conn Conn, err error),
) error {
	return ListenAndServeNetwork("tcp", addr, handler, accept, closed)
}

// ListenAndServeTLS creates a new TLS server and binds to addr configured on "tcp" network net.
func ListenAndServeTLS(addr string,
	handler func(conn Conn, cmd Command),
	accept func(conn Conn) bool,
	closed func(conn Conn, err error),
	config *tls.Config,
) error {
	return ListenAndServeNetworkTLS("tcp", addr, handler, accept, closed, config)
}

// ListenAndServeNetwork creates a new server and binds to addr. The network net must be
// a stream-oriented network: "tcp", "tcp4", "tcp6", "unix" or "unixpacket"
func ListenAndServeNetwork(
	net, laddr string,
	handler func(conn Conn, cmd Command),
	accept func(conn Conn) bool,
	closed func(conn Conn, err error),
) error {
	return NewServerNetwork(net, laddr, handler, accept, closed).ListenAndServe()
}

// ListenAndServeNetworkTLS creates a new TLS server and binds to addr. The network net must be
// a stream-oriented network: "tcp", "tcp4", "tcp6", "unix" or "unixpacket"
func ListenAndServeNetworkTLS(
	net, laddr string,
	handler func(conn Conn, cmd Command),
	accept func(conn Conn) bool,
	closed func(conn Conn, err error),
	config *tls.Config,
) error {
	return NewServerNetworkTLS(net, laddr, handler, accept, closed, config).ListenAndServe()
}

// ListenServeAndSignal serves incoming connections and passes nil or error
// when listening. signal can be nil.
func (s *Server) ListenServeAndSignal(signal chan error) error {
	ln, err := net.Listen(s.net, s.laddr)
	if err != nil {
		if signal != nil {
			signal <- err
		}
		return err
	}
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	if signal != nil {
		signal <- nil
	}
	return serve(s)
}

// Serve serves incoming connections with the given net.Listener.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.net = ln.Addr().Network()
	s.laddr = ln.Addr().String()
	s.mu.Unlock()
	return serve(s)
}

// ListenServeAndSignal serves incoming connections and passes nil or error
// when listening. signal can be nil.
func (s *TLSServer) ListenServeAndSignal(signal chan error) error {
	ln, err := tls.Listen(s.net, s.laddr, s.config)
	if err != nil {
		if signal != nil {
			signal <- err
		}
		return err
	}
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	if signal != nil {
		signal <- nil
	}
	return serve(s.Server)
}

func serve(s *Server) error {
	defer func() {
		s.ln.Close()
		func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			for c := range s.conns {
				c.conn.Close()
			}
			s.conns = nil
		}()
	}()
	for {
		lnconn, err := s.ln.Accept()
		if err != nil {
			s.mu.Lock()
			done := s.done
			s.mu.Unlock()
			if done {
				return nil
			}
			if errors.Is(err, net.ErrClosed) {
				// see https://github.com/tidwall/redcon/issues/46
				return nil
			}
			if s.AcceptError != nil {
				s.AcceptError(err)
			}
			continue
		}
		c := &conn{
			conn: lnconn,
			addr: lnconn.RemoteAddr().String(),
			wr:   NewWriter(lnconn),
			rd:   NewReader(lnconn),
		}
		s.mu.Lock()
		c.idleClose = s.idleClose
		c.rd.serverMaxBulkLen = &s.protoMaxBulkLen
		s.conns[c] = true
		s.mu.Unlock()
		if s.accept != nil && !s.accept(c) {
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
			c.Close()
			continue
		}
		go handle(s, c)
	}
}

// handle manages the server connection.
func handle(s *Server, c *conn) {
	var err error
	defer func() {
		if err != errDetached {
			// do not close the connection when a detach is detected.
			c.conn.Close()
		}
		func() {
			// remove the conn from the server
			s.mu.Lock()
			defer s.mu.Unlock()
			delete(s.conns, c)
			if s.closed != nil {
				if err == io.EOF {
					err = nil
				}
				s.closed(c, err)
			}
		}()
	}()

	err = func() error {
		// One method value for the connection: taken in the loop, it was
		// an allocation per read.
		flush := c.wr.Flush
		// read commands and feed back to the client
		for {
			// read pipeline commands
			if c.idleClose != 0 {
				c.conn.SetReadDeadline(time.Now().Add(c.idleClose))
			}
			cmds, err := c.rd.readCommands(nil)
			if err != nil {
				if err, ok := err.(*errProtocol); ok {
					// All protocol errors should attempt a response to
					// the client. Ignore write errors.
					c.wr.WriteError("ERR " + err.Error())
					c.wr.Flush()
				}
				return err
			}
			c.cmds = cmds
			for len(c.cmds) > 0 {
				cmd := c.cmds[0]
				if len(c.cmds) == 1 {
					c.cmds = nil
				} else {
					c.cmds = c.cmds[1:]
				}
				s.handler(c, cmd)
			}
			if c.detached {
				// client has been detached
				return errDetached
			}
			if c.closed {
				return nil
			}
			if s.flushVia != nil && len(c.wr.b) > 0 {
				if err := s.flushVia(c, len(c.wr.b), flush); err != nil {
					return err
				}
				continue
			}
			if err := c.wr.Flush(); err != nil {
				return err
			}
		}
	}()
}

// conn represents a client connection
type conn struct {
	conn      net.Conn
	wr        *Writer
	rd        *Reader
	addr      string
	ctx       interface{}
	detached  bool
	closed    bool
	cmds      []Command
	idleClose time.Duration
}

func (c *conn) Close() error {
	c.wr.Flush()
	c.closed = true
	return c.conn.Close()
}
func (c *conn) Context() interface{}        { return c.ctx }
func (c *conn) SetContext(v interface{})    { c.ctx = v }
func (c *conn) SetReadBuffer(n int)         {}
func (c *conn) WriteString(str string)      { c.wr.WriteString(str) }
func (c *conn) WriteBulk(bulk []byte)       { c.wr.WriteBulk(bulk) }
func (c *conn) WriteBulkString(bulk string) { c.wr.WriteBulkString(bulk) }
func (c *conn) WriteInt(num int)            { c.wr.WriteInt(num) }
func (c *conn) WriteInt64(num int64)        { c.wr.WriteInt64(num) }
func (c *conn) WriteUint64(num uint64)      { c.wr.WriteUint64(num) }
func (c *conn) WriteError(msg string)       { c.wr.WriteError(msg) }
func (c *conn) WriteArray(count int)        { c.wr.WriteArray(count) }
func (c *conn) WriteNull()                  { c.wr.WriteNull() }
func (c *conn) WriteRaw(data []byte)        { c.wr.WriteRaw(data) }
func (c *conn) WriteAny(v interface{})      { c.wr.WriteAny(v) }
func (c *conn) RemoteAddr() string          { return c.addr }
func (c *conn) ReadPipeline() []Command {
	cmds := c.cmds
	c.cmds = nil
	return cmds
}
func (c *conn) PeekPipeline() []Command {
	return c.cmds
}
func (c *conn) NetConn() net.Conn {
	return c.conn
}
func (c *conn) WriteBulkFrom(n int64, rb io.Reader) {
	c.wr.WriteBulkFrom(n, rb)
}

// BaseWriter returns the underlying connection writer, if any
func BaseWriter(c Conn) *Writer {
	if c, ok := c.(*conn); ok {
		return c.wr
	}
	return nil
}

// DetachedConn represents a connection that is detached from the server
type DetachedConn interface {
	// Conn is the original connection
	Conn
	// ReadCommand reads the next client command.
	ReadCommand() (Command, error)
	// Flush flushes any writes to the network.
	Flush() error
}

// Detach removes the current connection from the server loop and returns
// a detached connection. This is useful for operations such as PubSub.
// The detached connection must be closed by calling Close() when done.
// All writes such as WriteString() will not be written to the client
// until Flush() is called.
func (c *conn) Detach() DetachedConn {
	c.detached = true
	cmds := c.cmds
	c.cmds = nil
	return &detachedConn{conn: c, cmds: cmds}
}

type detachedConn struct {
	*conn
	cmds []Command
}

// Flush writes and Write* calls to the client.
func (dc *detachedConn) Flush() error {
	return dc.conn.wr.Flush()
}

// ReadCommand read the next command from the client.
func (dc *detachedConn) ReadCommand() (Command, error) {
	if len(dc.cmds) > 0 {
		cmd := dc.cmds[0]
		if len(dc.cmds) == 1 {
			dc.cmds = nil
		} else {
			dc.cmds = dc.cmds[1:]
		}
		return cmd, nil
	}
	cmd, err := dc.rd.ReadCommand()
	if err != nil {
		return Command{}, err
	}
	return cmd, nil
}

// Command represent a command
type Command struct {
	// Raw is a encoded RESP message.
	Raw []byte
	// Args is a series of arguments that make up the command.
	Args [][]byte
}

// Server defines a server for clients for managing client connections.
type Server struct {
	mu        sync.Mutex
	net       string
	laddr     string
	handler   func(conn Conn, cmd Command)
	accept    func(conn Conn) bool
	closed    func(conn Conn, err error)
	conns     map[*conn]bool
	ln        net.Listener
	done      bool
	idleClose time.Duration

	// protoMaxBulkLen is the largest accepted bulk length in client
	// requests; <= 0 means DefaultProtoMaxBulkLen. Connections read it as
	// they parse each bulk length.
	protoMaxBulkLen atomic.Int64

	// flushVia, if set, writes a connection's pending replies (SetFlushVia).
	flushVia func(conn Conn, pending int, flush func() error) error

	// AcceptError is an optional function used to handle Accept errors.
	AcceptError func(err error)
}

// TLSServer defines a server for clients for managing client connections.
type TLSServer struct {
	*Server
	config *tls.Config
}

// Writer allows for writing RESP messages.
type Writer struct {
	w   io.Writer
	b   []byte
	err error

	// buff use io buffer write to w(io.Writer)
	// for io.Copy r(io.Reader) to w(io.Writer)
	buff *bufio.Writer
}

// NewWriter creates a new RESP writer.
func NewWriter(wr io.Writer) *Writer {
	return &Writer{
		w:    wr,
		buff: bufio.NewWriter(wr),
	}
}

// WriteBulkFrom writes a bulk of size n read from r.
//
// Deprecated: broken in redcon v1.6.4 (kept unchanged in this fork): it
// writes straight to an internal bufio.Writer, bypassing the buffer used by
// the other Write* methods, so its output can be reordered relative to
// them. Use WriteBulk instead.
func (w *Writer) WriteBulkFrom(n int64, r io.Reader) {
	if w != nil && w.err != nil {
		return
	}
	w.buff.Write(appendPrefix(w.b, '$', n))
	io.Copy(w.buff, r)
	w.buff.Write([]byte{'\r', '\n'})
}

// WriteNull writes a null to the client
func (w *Writer) WriteNull() {
	if w.err != nil {
		return
	}
	w.b = AppendNull(w.b)
}

// WriteArray writes an array header. You must then write additional
// sub-responses to the client to complete the response.
// For example to write two strings:
//
//	c.WriteArray(2)
//	c.WriteBulkString("item 1")
//	c.WriteBulkString("item 2")
func (w *Writer) WriteArray(count int) {
	if w.err != nil {
		return
	}
	w.b = AppendArray(w.b, count)
}

// WriteBulk writes bulk bytes to the client.
func (w *Writer) WriteBulk(bulk []byte) {
	if w.err != nil {
		return
	}
	w.b = AppendBulk(w.b, bulk)
}

// WriteBulkString writes a bulk string to the client.
func (w *Writer) WriteBulkString(bulk string) {
	if w.err != nil {
		return
	}
	w.b = AppendBulkString(w.b, bulk)
}

// Buffer returns the unflushed buffer. This is a copy so changes
// to the resulting []byte will not affect the writer.
func (w *Writer) Buffer() []byte {
	if w.err != nil {
		return nil
	}
	return append([]byte(nil), w.b...)
}

// SetBuffer replaces the unflushed buffer with new bytes.
func (w *Writer) SetBuffer(raw []byte) {
	if w.err != nil {
		return
	}
	w.b = w.b[:0]
	w.b = append(w.b, raw...)
}

// Flush writes all unflushed Write* calls to the underlying writer.
func (w *Writer) Flush() error {
	if w.buff != nil {
		w.buff.Flush()
	}

	if w.err != nil {
		return w.err
	}
	_, w.err = w.w.Write(w.b)
	if cap(w.b) > maxBufferCap || w.err != nil {
		w.b = nil
	} else {
		w.b = w.b[:0]
	}
	return w.err
}

// WriteError writes an error to the client.
func (w *Writer) WriteError(msg string) {
	if w.err != nil {
		return
	}
	w.b = AppendError(w.b, msg)
}

// WriteString writes a string to the client.
func (w *Writer) WriteString(msg string) {
	if w.err != nil {
		return
	}
	w.b = AppendString(w.b, msg)
}

// WriteInt writes an integer to the client.
func (w *Writer) WriteInt(num int) {
	if w.err != nil {
		return
	}
	w.WriteInt64(int64(num))
}

// WriteInt64 writes a 64-bit signed integer to the client.
func (w *Writer) WriteInt64(num int64) {
	if w.err != nil {
		return
	}
	w.b = AppendInt(w.b, num)
}

// WriteUint64 writes a 64-bit unsigned integer to the client.
func (w *Writer) WriteUint64(num uint64) {
	if w.err != nil {
		return
	}
	w.b = AppendUint(w.b, num)
}

// WriteRaw writes raw data to the client.
func (w *Writer) WriteRaw(data []byte) {
	if w.err != nil {
		return
	}
	w.b = append(w.b, data...)
}

// WriteAny writes any type to client.
//
//	nil             -> null
//	error           -> error (adds "ERR " when first word is not uppercase)
//	string          -> bulk-string
//	numbers         -> bulk-string
//	[]byte          -> bulk-string
//	bool            -> bulk-string ("0" or "1")
//	slice           -> array
//	map             -> array with key/value pairs
//	SimpleString    -> string
//	SimpleInt       -> integer
//	everything-else -> bulk-string representation using fmt.Sprint()
func (w *Writer) WriteAny(v interface{}) {
	if w.err != nil {
		return
	}
	w.b = AppendAny(w.b, v)
}

// Reader represent a reader for RESP or telnet commands.
type Reader struct {
	rd    *bufio.Reader
	buf   []byte
	start int
	end   int
	cmds  []Command

	// raftis fork additions, see PATCHES.md.

	// maxBulkLen is the largest accepted bulk length; <= 0 means
	// DefaultProtoMaxBulkLen. A server's connections use serverMaxBulkLen
	// instead, the server's current limit, read as each bulk length is.
	maxBulkLen       int64
	serverMaxBulkLen *atomic.Int64
	// rejectEmpty makes "*0" and "*-1" a protocol error, as upstream
	// redcon does (kept for Parse), instead of ignoring them like Redis.
	rejectEmpty bool
	// mb is the progress through an incomplete multibulk request, so that
	// it is not parsed again from its start each time more data arrives.
	mb multibulkState
}

// multibulkState is the parse progress of an incomplete multibulk request
// that starts at Reader.start. Offsets are relative to Reader.start.
type multibulkState struct {
	active bool
	count  int   // announced number of arguments
	pos    int   // offset of the next argument's '$' line
	need   int   // if > 0, bytes needed to complete the pending bulk
	marks  []int // start and end offsets of the arguments read so far
}

// NewReader returns a command reader which will read RESP or telnet commands.
func NewReader(rd io.Reader) *Reader {
	return &Reader{
		rd:  bufio.NewReader(rd),
		buf: make([]byte, readBufInitSize),
	}
}

func parseInt(b []byte) (int, bool) {
	i, err := strconv.Atoi(unsafe.String(unsafe.SliceData(b), len(b)))
	return i, err == nil
}

func (rd *Reader) protoMaxBulkLen() int64 {
	n := rd.maxBulkLen
	if rd.serverMaxBulkLen != nil {
		n = rd.serverMaxBulkLen.Load()
	}
	if n <= 0 {
		return DefaultProtoMaxBulkLen
	}
	return n
}

func (rd *Reader) readCommands(leftover *int) ([]Command, error) {
	// A loop rather than upstream's recursion per Read: a client trickling
	// a large request must not be able to exhaust the goroutine stack.
	for {
		cmds, err := rd.parseCommands()
		if err != nil {
			return nil, err
		}
		if leftover != nil {
			*leftover = rd.end - rd.start
		}
		if len(cmds) > 0 {
			return cmds, nil
		}
		if rd.rd == nil {
			return nil, errIncompleteCommand
		}
		if err := rd.fill(); err != nil {
			return nil, err
		}
	}
}

// parseCommands parses and consumes the complete commands buffered in
// rd.buf[rd.start:rd.end].
func (rd *Reader) parseCommands() ([]Command, error) {
	var cmds []Command
	first := rd.start
	var argv [][]byte // the Args of this batch's multibulk commands
	for rd.start < rd.end {
		b := rd.buf[rd.start:rd.end]
		var cmd Command
		var n int
		var err error
		if b[0] == '*' || rd.mb.active {
			// resp formatted command
			cmd, n, err = rd.parseMultibulk(b, &argv)
		} else {
			// just a plain text command
			cmd, n, err = parseInline(b)
		}
		if err != nil {
			rd.mb = multibulkState{}
			return nil, err
		}
		if n == 0 {
			// incomplete
			break
		}
		rd.start += n
		if len(cmd.Args) > 0 {
			cmds = append(cmds, cmd)
		}
	}
	if rd.rd != nil && len(cmds) > 0 {
		detach(cmds, rd.buf[first:rd.start])
	}
	return cmds, nil
}

// sharedCopyMax is the largest batch whose commands share one copy of
// their bytes and one Args array. A larger batch holds a big request, and
// its commands get their own, as upstream gave them: a command kept for
// long (a blocked BLPOP, a queued MULTI) must not keep a big neighbour's
// bytes alive.
const sharedCopyMax = 64 << 10

// detach gives the multibulk commands among cmds, parsed in place from
// region (the bytes they were read into, which the next read reuses), one
// copy of region to share, where upstream copied each command on its own:
// one allocation per batch instead of one per command (their Args already
// share one array, see parseMultibulk). A multibulk command's Raw is a
// slice of region and its Args slices of Raw, so their offsets come from
// their capacities; inline commands own their bytes.
func detach(cmds []Command, region []byte) {
	var buf []byte
	shared := len(region) <= sharedCopyMax
	if shared {
		buf = append([]byte(nil), region...)
	}
	for i := range cmds {
		c := &cmds[i]
		off := cap(region) - cap(c.Raw)
		if len(c.Raw) == 0 || off < 0 || off >= len(region) || &region[off] != &c.Raw[0] {
			continue // inline: not a slice of region
		}
		var raw []byte
		var args [][]byte
		if shared {
			raw, args = buf[off:off+len(c.Raw)], c.Args
		} else {
			raw, args = append([]byte(nil), c.Raw...), make([][]byte, len(c.Args))
		}
		for j, a := range c.Args {
			o := cap(c.Raw) - cap(a)
			args[j] = raw[o : o+len(a)]
		}
		c.Raw, c.Args = raw, args
	}
}

// fill reads more data into rd.buf. The buffer only grows when it is full of
// unconsumed data (an incomplete request), by doubling but never past the
// end of a bulk being received, so an announced bulk length is only
// allocated as its bytes arrive. Large buffers are released once consumed.
func (rd *Reader) fill() error {
	pending := rd.end - rd.start
	switch {
	case pending == 0:
		rd.start, rd.end = 0, 0
		if len(rd.buf) > readBufRetainSize {
			rd.buf = make([]byte, readBufInitSize)
		}
	case len(rd.buf) > readBufRetainSize && pending <= len(rd.buf)/4:
		size := 2 * pending
		if size < readBufInitSize {
			size = readBufInitSize
		}
		rd.moveTo(make([]byte, size))
	case rd.end == len(rd.buf):
		if pending <= len(rd.buf)/2 {
			// reuse the consumed space at the front
			rd.moveTo(rd.buf)
		} else {
			size := 2 * len(rd.buf)
			if need := rd.mb.need; rd.mb.active && need > len(rd.buf) &&
				need < size {
				size = need
			}
			rd.moveTo(make([]byte, size))
		}
	}
	n, err := rd.rd.Read(rd.buf[rd.end:])
	if err != nil {
		return err
	}
	rd.end += n
	return nil
}

// moveTo moves the unconsumed data to the front of buf and makes buf the
// read buffer.
func (rd *Reader) moveTo(buf []byte) {
	n := copy(buf, rd.buf[rd.start:rd.end])
	rd.buf, rd.start, rd.end = buf, 0, n
}

// parseCountLine parses the "*<count>\r\n" or "$<length>\r\n" line starting
// at b[at]. next is the offset just past the line, or zero when the line is
// not complete yet. Like Redis, a line with no CR within
// protoInlineMaxSize bytes fails with tooBig.
func parseCountLine(b []byte, at int, tooBig, invalid error) (
	v, next int, err error,
) {
	win := b[at+1:]
	if len(win) > protoInlineMaxSize {
		win = win[:protoInlineMaxSize]
	}
	cr := bytes.IndexByte(win, '\r')
	if cr < 0 {
		if bytes.IndexByte(win, '\n') >= 0 {
			// LF without CR
			return 0, 0, invalid
		}
		if len(b)-at > protoInlineMaxSize {
			return 0, 0, tooBig
		}
		return 0, 0, nil
	}
	if bytes.IndexByte(win[:cr], '\n') >= 0 {
		// LF without CR
		return 0, 0, invalid
	}
	cr += at + 1
	if cr+1 == len(b) {
		// LF not received yet
		return 0, 0, nil
	}
	if b[cr+1] != '\n' {
		return 0, 0, invalid
	}
	v, ok := parseInt(b[at+1 : cr])
	if !ok {
		return 0, 0, invalid
	}
	return v, cr + 2, nil
}

// parseMultibulk parses the RESP multibulk request at the start of b,
// resuming from rd.mb when an earlier call found it incomplete. n is the
// number of bytes consumed, zero when the request is not complete yet.
func (rd *Reader) parseMultibulk(b []byte, argv *[][]byte) (cmd Command, n int, err error) {
	st := &rd.mb
	if !st.active {
		count, next, err := parseCountLine(b, 0, errTooBigMbulkCountStr,
			errInvalidMultiBulkLength)
		if err != nil || next == 0 {
			return cmd, 0, err
		}
		if count > protoMaxMultibulkLen {
			return cmd, 0, errInvalidMultiBulkLength
		}
		if count <= 0 {
			if rd.rejectEmpty {
				return cmd, 0, errInvalidMultiBulkLength
			}
			// like Redis, "*0" and "*-1" are ignored
			return cmd, next, nil
		}
		marks := st.marks[:0]
		*st = multibulkState{active: true, count: count, pos: next,
			marks: marks}
	}
	maxBulkLen := rd.protoMaxBulkLen()
	for len(st.marks) < st.count*2 {
		i := st.pos
		if i >= len(b) {
			return cmd, 0, nil
		}
		if b[i] != '$' {
			return cmd, 0, &errProtocol{"expected '$', got '" +
				string(b[i]) + "'"}
		}
		size, next, err := parseCountLine(b, i, errTooBigBulkCountStr,
			errInvalidBulkLength)
		if err != nil || next == 0 {
			return cmd, 0, err
		}
		if size < 0 || int64(size) > maxBulkLen {
			return cmd, 0, errInvalidBulkLength
		}
		if size > len(b)-next-2 {
			// not ready, wait for the rest of the bulk
			if size > math.MaxInt-next-2 {
				st.need = math.MaxInt
			} else {
				st.need = next + size + 2
			}
			return cmd, 0, nil
		}
		if b[next+size] != '\r' || b[next+size+1] != '\n' {
			return cmd, 0, errInvalidBulkLength
		}
		st.marks = append(st.marks, next, next+size)
		st.pos = next + size + 2
		st.need = 0
	}
	n = st.pos
	// Raw is a slice of the read buffer: with an underlying reader,
	// parseCommands copies the batch's commands out at once (detach).
	cmd.Raw = b[:n]
	// slice up the raw command into the args based on the recorded
	// marks, appended to the batch's argv (one backing array for the
	// Args of many commands; capped, so an append to one command's Args
	// cannot reach the next's).
	if *argv == nil {
		size := st.count // not n: that is the bytes consumed
		if size < 32 {
			size = 32
		}
		*argv = make([][]byte, 0, size)
	}
	from := len(*argv)
	for h := 0; h < len(st.marks); h += 2 {
		*argv = append(*argv, cmd.Raw[st.marks[h]:st.marks[h+1]])
	}
	cmd.Args = (*argv)[from:len(*argv):len(*argv)]
	marks := st.marks[:0]
	if cap(marks) > 1024 {
		marks = nil
	}
	*st = multibulkState{marks: marks}
	return cmd, n, nil
}

// parseInline parses the inline (telnet style) command at the start of b. n
// is the number of bytes consumed, zero when the line is not complete yet.
func parseInline(b []byte) (cmd Command, n int, err error) {
	lim := len(b)
	if lim > protoInlineMaxSize+1 {
		lim = protoInlineMaxSize + 1
	}
	i := bytes.IndexByte(b[:lim], '\n')
	if i < 0 {
		if len(b) > protoInlineMaxSize {
			return cmd, 0, errTooBigInlineRequest
		}
		return cmd, 0, nil
	}
	var line []byte
	if i > 0 && b[i-1] == '\r' {
		line = b[:i-1]
	} else {
		line = b[:i]
	}
	var quote bool
	var quotech byte
	var escape bool
outer:
	for {
		// upstream allocated len(line) bytes here for every token, which
		// is quadratic in the line length
		var nline []byte
		for i := 0; i < len(line); i++ {
			c := line[i]
			if !quote {
				if c == ' ' {
					if len(nline) > 0 {
						cmd.Args = append(cmd.Args, nline)
					}
					line = line[i+1:]
					continue outer
				}
				if c == '"' || c == '\'' {
					if i != 0 {
						return Command{}, 0, errUnbalancedQuotes
					}
					quotech = c
					quote = true
					line = line[i+1:]
					continue outer
				}
			} else {
				if escape {
					escape = false
					switch c {
					case 'n':
						c = '\n'
					case 'r':
						c = '\r'
					case 't':
						c = '\t'
					}
				} else if c == quotech {
					quote = false
					quotech = 0
					cmd.Args = append(cmd.Args, nline)
					line = line[i+1:]
					if len(line) > 0 && line[0] != ' ' {
						return Command{}, 0, errUnbalancedQuotes
					}
					continue outer
				} else if c == '\\' {
					escape = true
					continue
				}
			}
			nline = append(nline, c)
		}
		if quote {
			return Command{}, 0, errUnbalancedQuotes
		}
		if len(line) > 0 {
			cmd.Args = append(cmd.Args, line)
		}
		break
	}
	if len(cmd.Args) > 0 {
		// convert this to resp command syntax
		var wr Writer
		wr.WriteArray(len(cmd.Args))
		for i := range cmd.Args {
			wr.WriteBulk(cmd.Args[i])
			cmd.Args[i] = append([]byte(nil), cmd.Args[i]...)
		}
		cmd.Raw = wr.b
	}
	return cmd, i + 1, nil
}

// ReadCommands reads the next pipeline commands.
func (rd *Reader) ReadCommands() ([]Command, error) {
	for {
		if len(rd.cmds) > 0 {
			cmds := rd.cmds
			rd.cmds = nil
			return cmds, nil
		}
		cmds, err := rd.readCommands(nil)
		if err != nil {
			return []Command{}, err
		}
		rd.cmds = cmds
	}
}

// ReadCommand reads the next command.
func (rd *Reader) ReadCommand() (Command, error) {
	if len(rd.cmds) > 0 {
		cmd := rd.cmds[0]
		rd.cmds = rd.cmds[1:]
		return cmd, nil
	}
	cmds, err := rd.readCommands(nil)
	if err != nil {
		return Command{}, err
	}
	rd.cmds = cmds
	return rd.ReadCommand()
}

// Parse parses a raw RESP message and returns a command.
func Parse(raw []byte) (Command, error) {
	rd := Reader{buf: raw, end: len(raw), rejectEmpty: true}
	var leftover int
	cmds, err := rd.readCommands(&leftover)
	if err != nil {
		return Command{}, err
	}
	if leftover > 0 {
		return Command{}, errTooMuchData
	}
	return cmds[0], nil

}

// A Handler responds to an RESP request.
type Handler interface {
	ServeRESP(conn Conn, cmd Command)
}

// The HandlerFunc type is an adapter to allow the use of
// ordinary functions as RESP handlers. If f is a function
// with the appropriate signature, HandlerFunc(f) is a
// Handler that calls f.
type HandlerFunc func(conn Conn, cmd Command)

// ServeRESP calls f(w, r)
func (f HandlerFunc) ServeRESP(conn Conn, cmd Command) {
	f(conn, cmd)
}

// ServeMux is an RESP command multiplexer.
type ServeMux struct {
	handlers map[string]Handler
}

// NewServeMux allocates and returns a new ServeMux.
func NewServeMux() *ServeMux {
	return &ServeMux{
		handlers: make(map[string]Handler),
	}
}

// HandleFunc registers the handler function for the given command.
func (m *ServeMux) HandleFunc(command string, handler func(conn Conn, cmd Command)) {
	if handler == nil {
		panic("redcon: nil handler")
	}
	m.Handle(command, HandlerFunc(handler))
}

// Handle registers the handler for the given command.
// If a handler already exists for command, Handle panics.
func (m *ServeMux) Handle(command string, handler Handler) {
	if command == "" {
		panic("redcon: invalid command")
	}
	if handler == nil {
		panic("redcon: nil handler")
	}
	if _, exist := m.handlers[command]; exist {
		panic("redcon: multiple registrations for " + command)
	}

	m.handlers[command] = handler
}

// ServeRESP dispatches the command to the handler.
func (m *ServeMux) ServeRESP(conn Conn, cmd Command) {
	command := strings.ToLower(string(cmd.Args[0]))

	if handler, ok := m.handlers[command]; ok {
		handler.ServeRESP(conn, cmd)
	} else {
		conn.WriteError("ERR unknown command '" + command + "'")
	}
}

// PubSub is a Redis compatible pub/sub server
type PubSub struct {
	mu     sync.RWMutex
	nextid uint64
	initd  bool
	chans  *btree.BTree
	conns  map[Conn]*pubSubConn
}

// Subscribe a connection to PubSub
func (ps *PubSub) Subscribe(conn Conn, channel string) {
	ps.subscribe(conn, false, channel)
}

// Psubscribe a connection to PubSub
func (ps *PubSub) Psubscribe(conn Conn, channel string) {
	ps.subscribe(conn, true, channel)
}

// Publish a message to subscribers
func (ps *PubSub) Publish(channel, message string) int {
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	if !ps.initd {
		return 0
	}
	var sent int
	// write messages to all clients that are subscribed on the channel
	pivot := &pubSubEntry{pattern: false, channel: channel}
	ps.chans.Ascend(pivot, func(item interface{}) bool {
		entry := item.(*pubSubEntry)
		if entry.channel != pivot.channel || entry.pattern != pivot.pattern {
			return false
		}
		entry.sconn.writeMessage(entry.pattern, "", channel, message)
		sent++
		return true
	})

	// match on and write all psubscribe clients
	pivot = &pubSubEntry{pattern: true}
	ps.chans.Ascend(pivot, func(item interface{}) bool {
		entry := item.(*pubSubEntry)
		if match.Match(channel, entry.channel) {
			entry.sconn.writeMessage(entry.pattern, entry.channel, channel,
				message)
		}
		sent++
		return true
	})

	return sent
}

type pubSubConn struct {
	id      uint64
	mu      sync.Mutex
	conn    Conn
	dconn   DetachedConn
	entries map[*pubSubEntry]bool
}

type pubSubEntry struct {
	pattern bool
	sconn   *pubSubConn
	channel string
}

func (sconn *pubSubConn) writeMessage(pat bool, pchan, channel, msg string) {
	sconn.mu.Lock()
	defer sconn.mu.Unlock()
	if pat {
		sconn.dconn.WriteArray(4)
		sconn.dconn.WriteBulkString("pmessage")
		sconn.dconn.WriteBulkString(pchan)
		sconn.dconn.WriteBulkString(channel)
		sconn.dconn.WriteBulkString(msg)
	} else {
		sconn.dconn.WriteArray(3)
		sconn.dconn.WriteBulkString("message")
		sconn.dconn.WriteBulkString(channel)
		sconn.dconn.WriteBulkString(msg)
	}
	sconn.dconn.Flush()
}

// bgrunner runs in the background and reads incoming commands from the
// detached client.
func (sconn *pubSubConn) bgrunner(ps *PubSub) {
	defer func() {
		// client connection has ended, disconnect from the PubSub instances
		// and close the network connection.
		ps.mu.Lock()
		defer ps.mu.Unlock()
		for entry := range sconn.entries {
			ps.chans.Delete(entry)
		}
		delete(ps.conns, sconn.conn)
		sconn.mu.Lock()
		defer sconn.mu.Unlock()
		sconn.dconn.Close()
	}()
	for {
		cmd, err := sconn.dconn.ReadCommand()
		if err != nil {
			return
		}
		if len(cmd.Args) == 0 {
			continue
		}
		switch strings.ToLower(string(cmd.Args[0])) {
		case "psubscribe", "subscribe":
			if len(cmd.Args) < 2 {
				func() {
					sconn.mu.Lock()
					defer sconn.mu.Unlock()
					sconn.dconn.WriteError(fmt.Sprintf("ERR wrong number of "+
						"arguments for '%s'", cmd.Args[0]))
					sconn.dconn.Flush()
				}()
				continue
			}
			command := strings.ToLower(string(cmd.Args[0]))
			for i := 1; i < len(cmd.Args); i++ {
				if command == "psubscribe" {
					ps.Psubscribe(sconn.conn, string(cmd.Args[i]))
				} else {
					ps.Subscribe(sconn.conn, string(cmd.Args[i]))
				}
			}
		case "unsubscribe", "punsubscribe":
			pattern := strings.ToLower(string(cmd.Args[0])) == "punsubscribe"
			if len(cmd.Args) == 1 {
				ps.unsubscribe(sconn.conn, pattern, true, "")
			} else {
				for i := 1; i < len(cmd.Args); i++ {
					channel := string(cmd.Args[i])
					ps.unsubscribe(sconn.conn, pattern, false, channel)
				}
			}
		case "quit":
			func() {
				sconn.mu.Lock()
				defer sconn.mu.Unlock()
				sconn.dconn.WriteString("OK")
				sconn.dconn.Flush()
				sconn.dconn.Close()
			}()
			return
		case "ping":
			var msg string
			switch len(cmd.Args) {
			case 1:
			case 2:
				msg = string(cmd.Args[1])
			default:
				func() {
					sconn.mu.Lock()
					defer sconn.mu.Unlock()
					sconn.dconn.WriteError(fmt.Sprintf("ERR wrong number of "+
						"arguments for '%s'", cmd.Args[0]))
					sconn.dconn.Flush()
				}()
				continue
			}
			func() {
				sconn.mu.Lock()
				defer sconn.mu.Unlock()
				sconn.dconn.WriteArray(2)
				sconn.dconn.WriteBulkString("pong")
				sconn.dconn.WriteBulkString(msg)
				sconn.dconn.Flush()
			}()
		default:
			func() {
				sconn.mu.Lock()
				defer sconn.mu.Unlock()
				sconn.dconn.WriteError(fmt.Sprintf("ERR Can't execute '%s': "+
					"only (P)SUBSCRIBE / (P)UNSUBSCRIBE / PING / QUIT are "+
					"allowed in this context", cmd.Args[0]))
				sconn.dconn.Flush()
			}()
		}
	}
}

// byEntry is a "less" function that sorts the entries in a btree. The tree
// is sorted be (pattern, channel, conn.id). All pattern=true entries are at
// the end (right) of the tree.
func byEntry(a, b interface{}) bool {
	aa := a.(*pubSubEntry)
	bb := b.(*pubSubEntry)
	if !aa.pattern && bb.pattern {
		return true
	}
	if aa.pattern && !bb.pattern {
		return false
	}
	if aa.channel < bb.channel {
		return true
	}
	if aa.channel > bb.channel {
		return false
	}
	var aid uint64
	var bid uint64
	if aa.sconn != nil {
		aid = aa.sconn.id
	}
	if bb.sconn != nil {
		bid = bb.sconn.id
	}
	return aid < bid
}

func (ps *PubSub) subscribe(conn Conn, pattern bool, channel string) {
	ps.mu.Lock()
	defer ps.mu.Unlock()

	// initialize the PubSub instance
	if !ps.initd {
		ps.conns = make(map[Conn]*pubSubConn)
		ps.chans = btree.New(byEntry)
		ps.initd = true
	}

	// fetch the pubSubConn
	sconn, ok := ps.conns[conn]
	if !ok {
		// initialize a new pubSubConn, which runs on a detached connection,
		// and attach it to the PubSub channels/conn btree
		ps.nextid++
		dconn := conn.Detach()
		sconn = &pubSubConn{
			id:      ps.nextid,
			conn:    conn,
			dconn:   dconn,
			entries: make(map[*pubSubEntry]bool),
		}
		ps.conns[conn] = sconn
	}
	sconn.mu.Lock()
	defer sconn.mu.Unlock()

	// add an entry to the pubsub btree
	entry := &pubSubEntry{
		pattern: pattern,
		channel: channel,
		sconn:   sconn,
	}
	ps.chans.Set(entry)
	sconn.entries[entry] = true

	// send a message to the client
	sconn.dconn.WriteArray(3)
	if pattern {
		sconn.dconn.WriteBulkString("psubscribe")
	} else {
		sconn.dconn.WriteBulkString("subscribe")
	}
	sconn.dconn.WriteBulkString(channel)
	var count int
	for entry := range sconn.entries {
		if entry.pattern == pattern {
			count++
		}
	}
	sconn.dconn.WriteInt(count)
	sconn.dconn.Flush()

	// start the background client operation
	if !ok {
		go sconn.bgrunner(ps)
	}
}

func (ps *PubSub) unsubscribe(conn Conn, pattern, all bool, channel string) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	// fetch the pubSubConn. This must exist
	sconn := ps.conns[conn]
	sconn.mu.Lock()
	defer sconn.mu.Unlock()

	removeEntry := func(entry *pubSubEntry) {
		if entry != nil {
			ps.chans.Delete(entry)
			delete(sconn.entries, entry)
		}
		sconn.dconn.WriteArray(3)
		if pattern {
			sconn.dconn.WriteBulkString("punsubscribe")
		} else {
			sconn.dconn.WriteBulkString("unsubscribe")
		}
		if entry != nil {
			sconn.dconn.WriteBulkString(entry.channel)
		} else {
			sconn.dconn.WriteNull()
		}
		var count int
		for entry := range sconn.entries {
			if entry.pattern == pattern {
				count++
			}
		}
		sconn.dconn.WriteInt(count)
	}
	if all {
		// unsubscribe from all (p)subscribe entries
		var entries []*pubSubEntry
		for entry := range sconn.entries {
			if entry.pattern == pattern {
				entries = append(entries, entry)
			}
		}
		if len(entries) == 0 {
			removeEntry(nil)
		} else {
			for _, entry := range entries {
				removeEntry(entry)
			}
		}
	} else {
		// unsubscribe single channel from (p)subscribe.
		for entry := range sconn.entries {
			if entry.pattern == pattern && entry.channel == channel {
				removeEntry(entry)
				break
			}
		}
	}
	sconn.dconn.Flush()
}

// SetFlushVia makes every connection write the replies to a batch of
// requests through fn, on its own goroutine: fn gets their size in bytes
// and the function that writes them, which it calls or not (an error
// closes the connection). It lets a server watch or limit what clients
// leave unread. Set it before Serve.
func (s *Server) SetFlushVia(fn func(conn Conn, pending int, flush func() error) error) {
	s.flushVia = fn
}

// SetIdleClose will automatically close idle connections after the specified
// duration. Use zero to disable this feature.
func (s *Server) SetIdleClose(dur time.Duration) {
	s.mu.Lock()
	s.idleClose = dur
	s.mu.Unlock()
}

// SetProtoMaxBulkLen sets the largest bulk string length accepted in client
// requests, like Redis' proto-max-bulk-len. A request announcing a longer
// (or negative, or unparsable) bulk length gets
// "ERR Protocol error: invalid bulk length" and the connection is closed,
// before any of the payload is read. Zero or a negative value restores the
// default, DefaultProtoMaxBulkLen (512 MiB). The setting applies at once
// to every connection: to each bulk length parsed after the call. It is
// also available on *TLSServer.
func (s *Server) SetProtoMaxBulkLen(n int64) {
	s.protoMaxBulkLen.Store(n)
}
