package redcon

// Tests for the raftis fork's input limits (see PATCHES.md).

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
)

const testWait = 10 * time.Second

// The setter is also available on TLS servers.
var _ interface{ SetProtoMaxBulkLen(int64) } = (*TLSServer)(nil)

// startLimitServer starts a server on 127.0.0.1:0 that answers PING with
// +PONG and ECHO <arg> with <arg>. maxBulkLen == 0 keeps the default limit.
func startLimitServer(t *testing.T, maxBulkLen int64) string {
	t.Helper()
	_, addr := startLimitServerS(t, maxBulkLen)
	return addr
}

// startLimitServerS is startLimitServer that also returns the server.
func startLimitServerS(t *testing.T, maxBulkLen int64) (*Server, string) {
	t.Helper()
	s := NewServerNetwork("tcp", "127.0.0.1:0",
		func(conn Conn, cmd Command) {
			switch strings.ToLower(string(cmd.Args[0])) {
			case "ping":
				conn.WriteString("PONG")
			case "echo":
				if len(cmd.Args) != 2 {
					conn.WriteError("ERR wrong number of arguments for 'echo' command")
					return
				}
				conn.WriteBulk(cmd.Args[1])
			default:
				conn.WriteError("ERR unknown command '" + string(cmd.Args[0]) + "'")
			}
		}, nil, nil)
	if maxBulkLen != 0 {
		s.SetProtoMaxBulkLen(maxBulkLen)
	}
	signal := make(chan error, 1)
	done := make(chan error, 1)
	go func() { done <- s.ListenServeAndSignal(signal) }()
	select {
	case err := <-signal:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(testWait):
		t.Fatal("server did not start")
	}
	addr := s.Addr().String()
	t.Cleanup(func() {
		s.Close()
		select {
		case <-done:
		case <-time.After(testWait):
			t.Error("server did not stop")
		}
	})
	return s, addr
}

func dialLimit(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, testWait)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.SetDeadline(time.Now().Add(testWait)); err != nil {
		t.Fatal(err)
	}
	return c
}

// writeAsync writes data from another goroutine, so that a server closing
// the connection early cannot block the test; the write error is ignored.
func writeAsync(c net.Conn, data []byte) {
	go c.Write(data)
}

func expectReply(t *testing.T, c net.Conn, want string) {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(testWait)); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(want))
	n, err := io.ReadFull(c, got)
	if err != nil {
		t.Fatalf("reading reply: %v (got %q, want %q)", err,
			truncate(got[:n]), truncate([]byte(want)))
	}
	if string(got) != want {
		t.Fatalf("got %q, want %q", truncate(got), truncate([]byte(want)))
	}
}

// expectClosed expects the server to have closed the connection.
func expectClosed(t *testing.T, c net.Conn) {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(testWait)); err != nil {
		t.Fatal(err)
	}
	var b [1]byte
	n, err := c.Read(b[:])
	if n > 0 {
		t.Fatalf("unexpected data %q, want connection closed", b[:n])
	}
	// ECONNRESET when the server closed with unread input pending.
	if err != io.EOF && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("got %v, want connection closed", err)
	}
}

func expectPing(t *testing.T, addr string) {
	t.Helper()
	c := dialLimit(t, addr)
	if _, err := c.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		t.Fatal(err)
	}
	expectReply(t, c, "+PONG\r\n")
}

// A new limit applies to the next requests of connections already open,
// as CONFIG SET proto-max-bulk-len does in Redis.
func TestLimitsChangeAppliesToOpenConnections(t *testing.T) {
	s, addr := startLimitServerS(t, 2<<20)
	c := dialLimit(t, addr)
	big := strings.Repeat("x", 1<<20+1)
	echo := "*2\r\n$4\r\nECHO\r\n$" + strconv.Itoa(len(big)) + "\r\n" + big + "\r\n"
	writeAsync(c, []byte(echo))
	expectReply(t, c, "$"+strconv.Itoa(len(big))+"\r\n"+big+"\r\n")
	s.SetProtoMaxBulkLen(1 << 20)
	writeAsync(c, []byte(echo))
	expectReply(t, c, "-ERR Protocol error: invalid bulk length\r\n")
	expectClosed(t, c)

	s.SetProtoMaxBulkLen(2 << 20)
	c2 := dialLimit(t, addr)
	s.SetProtoMaxBulkLen(1 << 20)
	writeAsync(c2, []byte(echo))
	expectReply(t, c2, "-ERR Protocol error: invalid bulk length\r\n")
}

func truncate(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "..."
	}
	return string(b)
}

func TestLimitsMaxInt64BulkLength(t *testing.T) {
	addr := startLimitServer(t, 0) // default limit
	for i := 0; i < 3; i++ {
		c := dialLimit(t, addr)
		if _, err := c.Write([]byte("*1\r\n$9223372036854775807\r\n")); err != nil {
			t.Fatal(err)
		}
		expectReply(t, c, "-ERR Protocol error: invalid bulk length\r\n")
		expectClosed(t, c)
		expectPing(t, addr)
	}
}

func TestLimitsInvalidBulkLengths(t *testing.T) {
	addr := startLimitServer(t, 0)
	for _, hdr := range []string{
		"$-1", "$-9223372036854775808", "$9223372036854775808",
		"$99999999999999999999999", "$abc", "$", "$536870913",
	} {
		c := dialLimit(t, addr)
		if _, err := c.Write([]byte("*2\r\n$4\r\nECHO\r\n" + hdr + "\r\n")); err != nil {
			t.Fatal(err)
		}
		expectReply(t, c, "-ERR Protocol error: invalid bulk length\r\n")
		expectClosed(t, c)
	}
	expectPing(t, addr)
}

func TestLimitsBulkOverConfiguredLimit(t *testing.T) {
	const limit = 1 << 20
	addr := startLimitServer(t, limit)
	c := dialLimit(t, addr)
	// Only the header: the server must reject it without waiting for the
	// payload.
	if _, err := c.Write([]byte("*2\r\n$4\r\nECHO\r\n$1048577\r\n")); err != nil {
		t.Fatal(err)
	}
	expectReply(t, c, "-ERR Protocol error: invalid bulk length\r\n")
	expectClosed(t, c)
	expectPing(t, addr)
}

func TestLimitsBulkAtConfiguredLimit(t *testing.T) {
	const limit = 1 << 20
	addr := startLimitServer(t, limit)
	c := dialLimit(t, addr)
	payload := bytes.Repeat([]byte("0123456789abcdef"), limit/16)
	req := []byte("*2\r\n$4\r\nECHO\r\n$" + strconv.Itoa(limit) + "\r\n")
	req = append(req, payload...)
	req = append(req, "\r\n*1\r\n$4\r\nPING\r\n"...)
	writeAsync(c, req)
	expectReply(t, c, "$"+strconv.Itoa(limit)+"\r\n"+string(payload)+"\r\n+PONG\r\n")
}

func TestLimitsMultibulkCount(t *testing.T) {
	addr := startLimitServer(t, 0)
	c := dialLimit(t, addr)
	if _, err := c.Write([]byte("*1048577\r\n")); err != nil {
		t.Fatal(err)
	}
	expectReply(t, c, "-ERR Protocol error: invalid multibulk length\r\n")
	expectClosed(t, c)
	expectPing(t, addr)

	// the largest count is accepted (the command never completes here)
	c = dialLimit(t, addr)
	if _, err := c.Write([]byte("*1048576\r\n$4\r\nPING\r\n")); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	var b [1]byte
	if n, err := c.Read(b[:]); n != 0 || !isTimeout(err) {
		t.Fatalf("got %q, %v; want a read timeout", b[:n], err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func TestLimitsEmptyMultibulkIgnored(t *testing.T) {
	addr := startLimitServer(t, 0)
	c := dialLimit(t, addr)
	if _, err := c.Write([]byte("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n*0\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		t.Fatal(err)
	}
	expectReply(t, c, "+PONG\r\n+PONG\r\n")
}

func TestLimitsInlineTooBig(t *testing.T) {
	addr := startLimitServer(t, 0)
	c := dialLimit(t, addr)
	writeAsync(c, bytes.Repeat([]byte("a"), 70*1024))
	expectReply(t, c, "-ERR Protocol error: too big inline request\r\n")
	expectClosed(t, c)
	expectPing(t, addr)

	// an inline request of 64 KiB before its final LF is accepted
	c = dialLimit(t, addr)
	arg := strings.Repeat("b", 64*1024-len("ECHO \r"))
	writeAsync(c, []byte("ECHO "+arg+"\r\n"))
	expectReply(t, c, "$"+strconv.Itoa(len(arg))+"\r\n"+arg+"\r\n")
}

func TestLimitsHeaderLinesTooBig(t *testing.T) {
	addr := startLimitServer(t, 0)
	for _, tc := range []struct{ prefix, want string }{
		{"*", "-ERR Protocol error: too big mbulk count string\r\n"},
		{"*1\r\n$", "-ERR Protocol error: too big bulk count string\r\n"},
	} {
		c := dialLimit(t, addr)
		writeAsync(c, append([]byte(tc.prefix), bytes.Repeat([]byte("1"), 70*1024)...))
		expectReply(t, c, tc.want)
		expectClosed(t, c)
	}
	expectPing(t, addr)
}

// chunkReader returns at most n bytes per Read.
type chunkReader struct {
	r io.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(p) > c.n {
		p = p[:c.n]
	}
	return c.r.Read(p)
}

func TestLimitsReaderBufferGrowth(t *testing.T) {
	// A bulk announced within the limit is accepted, but its buffer only
	// grows with the data actually received.
	rd := NewReader(&chunkReader{bytes.NewReader(
		append([]byte("*1\r\n$536870912\r\n"), make([]byte, 100000)...)), 1000})
	if _, err := rd.ReadCommand(); err != io.EOF {
		t.Fatalf("got %v, want EOF", err)
	}
	if len(rd.buf) > 2*100017 {
		t.Fatalf("read buffer is %d bytes for 100017 bytes received", len(rd.buf))
	}

	// No overflow with the limit disabled.
	rd = NewReader(bytes.NewReader([]byte("*1\r\n$9223372036854775807\r\nabc")))
	rd.maxBulkLen = math.MaxInt64
	if _, err := rd.ReadCommand(); err != io.EOF {
		t.Fatalf("got %v, want EOF", err)
	}

	// A complete bulk at the limit, received a few bytes at a time: the
	// buffer ends up exactly the size of the request.
	const limit = 1 << 20
	req := append([]byte("*2\r\n$4\r\nECHO\r\n$1048576\r\n"),
		bytes.Repeat([]byte("x"), limit)...)
	req = append(req, "\r\n"...)
	rd = NewReader(&chunkReader{bytes.NewReader(req), 7})
	rd.maxBulkLen = limit
	cmd, err := rd.ReadCommand()
	if err != nil {
		t.Fatal(err)
	}
	if len(cmd.Args) != 2 || len(cmd.Args[1]) != limit ||
		!bytes.Equal(cmd.Raw, req) {
		t.Fatal("wrong command")
	}
	if len(rd.buf) > len(req) {
		t.Fatalf("read buffer is %d bytes for a %d bytes request",
			len(rd.buf), len(req))
	}

	// A pipeline that never drains the buffer must not grow it.
	one := []byte("*1\r\n$4\r\nPING\r\n")
	rd = NewReader(&chunkReader{bytes.NewReader(bytes.Repeat(one, 100000)), 999})
	var n, maxbuf int
	for {
		cmds, err := rd.ReadCommands()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n += len(cmds)
		if len(rd.buf) > maxbuf {
			maxbuf = len(rd.buf)
		}
	}
	if n != 100000 || maxbuf > 4096 {
		t.Fatalf("got %d commands, buffer up to %d bytes", n, maxbuf)
	}
}

func TestLimitsReaderManySmallReads(t *testing.T) {
	// Upstream recursed once per Read while a request was incomplete: this
	// request delivered one byte per Read overflowed the goroutine stack
	// (a fatal error, not a recoverable panic).
	const size = 8000000
	req := append([]byte("*1\r\n$8000000\r\n"), make([]byte, size)...)
	req = append(req, "\r\n"...)
	rd := NewReader(iotest.OneByteReader(bytes.NewReader(req)))
	cmd, err := rd.ReadCommand()
	if err != nil {
		t.Fatal(err)
	}
	if len(cmd.Args) != 1 || len(cmd.Args[0]) != size {
		t.Fatal("wrong command")
	}
}

// readAll reads commands from rd until an error, which it returns.
func readAll(rd *Reader) ([]Command, error) {
	var all []Command
	for {
		cmds, err := rd.ReadCommands()
		if err != nil {
			return all, err
		}
		all = append(all, cmds...)
	}
}

func sameCommands(a, b []Command) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].Raw, b[i].Raw) || len(a[i].Args) != len(b[i].Args) {
			return false
		}
		for j := range a[i].Args {
			if !bytes.Equal(a[i].Args[j], b[i].Args[j]) {
				return false
			}
		}
	}
	return true
}

// FuzzReadCommands feeds arbitrary bytes to the command reader used by the
// server connections, at once and in small chunks, and checks that it does
// not panic and that both give the same result. It also runs the other
// parsers (Parse, ReadNextCommand, ReadNextRESP) on the same input.
func FuzzReadCommands(f *testing.F) {
	for _, seed := range []string{
		"*1\r\n$9223372036854775807\r\n",
		"*1\r\n$9223372036854775806\r\n",
		"*1\r\n$1048577\r\nabc",
		"*1048577\r\n",
		"*1048576\r\n$1\r\na\r\n",
		"*0\r\n*-1\r\nPING\r\n",
		"*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n*1\r\n$4\r\nPING\r\n",
		"*1\r\n$-1\r\n",
		"*1\r\n$-2\r\n",
		"*1\r\n$3\r\nabcXY",
		"*1\n$3\r\nabc\r\n",
		"*1\r\r\n",
		"*1\r\nX\r\n",
		"SET \"a b\" 'c\\nd'\r\nGET a\n\n",
		"SET \"unbalanced\r\n",
		"$5 hello\r\n",
		"$9223372036854775807 x\r\n",
		"+OK\r\n:1\r\n$-1\r\n*2\r\n:1\r\n$1\r\na\r\n",
		"*2\r\n*1\r\n$9223372036854775807\r\n",
	} {
		f.Add([]byte(seed), uint8(3), uint32(0))
		f.Add([]byte(seed), uint8(1), uint32(16))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8, maxBulk uint32) {
		whole := NewReader(bytes.NewReader(data))
		whole.maxBulkLen = int64(maxBulk)
		cmdsWhole, errWhole := readAll(whole)

		chunked := NewReader(&chunkReader{bytes.NewReader(data), int(chunk%16) + 1})
		chunked.maxBulkLen = int64(maxBulk)
		cmdsChunked, errChunked := readAll(chunked)

		if errWhole.Error() != errChunked.Error() {
			t.Fatalf("error %v at once, %v in chunks", errWhole, errChunked)
		}
		// A protocol error drops the commands parsed in the same batch,
		// so the chunked reader may return more of them before it.
		prefix := cmdsChunked
		if errWhole != io.EOF && len(prefix) > len(cmdsWhole) {
			prefix = prefix[:len(cmdsWhole)]
		}
		if !sameCommands(cmdsWhole, prefix) {
			t.Fatalf("different commands at once (%d) and in chunks (%d)",
				len(cmdsWhole), len(cmdsChunked))
		}
		for _, r := range []*Reader{whole, chunked} {
			if len(r.buf) > 2*len(data)+readBufInitSize {
				t.Fatalf("read buffer is %d bytes for %d bytes of input",
					len(r.buf), len(data))
			}
		}

		Parse(data)
		args := make([][]byte, 0, 4)
		for packet := data; len(packet) > 0; {
			complete, _, _, leftover, err := ReadNextCommand(packet, args)
			if err != nil || !complete || len(leftover) >= len(packet) {
				break
			}
			packet = leftover
		}
		for b := data; len(b) > 0; {
			n, _ := ReadNextRESP(b)
			if n <= 0 {
				break
			}
			b = b[n:]
		}
	})
}
