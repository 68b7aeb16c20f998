package resp

import (
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeServer is the far end of a net.Pipe: each step reads one request
// (a RESP array, or raw bytes of a known length) and writes a reply one
// byte per Write, so that every byte reaches the client in its own read.
type fakeServer struct {
	t    *testing.T
	nc   net.Conn
	r    *Reader
	done chan struct{}
}

// pipe returns a Conn whose server runs serve; the test waits for serve to
// return when it ends.
func pipe(t *testing.T, serve func(s *fakeServer), opts ...Option) *Conn {
	t.Helper()
	client, server := net.Pipe()
	s := &fakeServer{t: t, nc: server, r: NewReader(server, 0), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		defer server.Close()
		serve(s)
	}()
	c := NewConn(client, opts...)
	t.Cleanup(func() {
		c.Close()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			t.Error("fake server did not finish")
		}
	})
	return c
}

// expect reads one request and fails the test unless it is want.
func (s *fakeServer) expect(want string) bool {
	got, err := s.r.ReadReply()
	if err != nil || string(got) != want {
		s.t.Errorf("server received %q, %v; want %q", got, err, want)
		return false
	}
	return true
}

// reply writes raw one byte at a time.
func (s *fakeServer) reply(raw string) {
	for i := range len(raw) {
		if _, err := s.nc.Write([]byte{raw[i]}); err != nil {
			s.t.Errorf("server write: %v", err)
			return
		}
	}
}

func TestDoEncodesArgumentsAsBulkStrings(t *testing.T) {
	c := pipe(t, func(s *fakeServer) {
		if s.expect("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$7\r\na b\r\n\x00\xff\r\n") {
			s.reply("+OK\r\n")
		}
		if s.expect("*2\r\n$3\r\nGET\r\n$0\r\n\r\n") {
			s.reply("$-1\r\n")
		}
		if s.expect("*0\r\n") {
			s.reply("-ERR empty\r\n")
		}
	})
	if got, err := c.Do("SET", "k", "a b\r\n\x00\xff"); err != nil || string(got) != "+OK\r\n" {
		t.Errorf("Do SET = %q, %v", got, err)
	}
	if got, err := c.DoBytes([]byte("GET"), nil); err != nil || string(got) != "$-1\r\n" {
		t.Errorf("DoBytes GET = %q, %v", got, err)
	}
	if got, err := c.Do(); err != nil || string(got) != "-ERR empty\r\n" {
		t.Errorf("Do() = %q, %v", got, err)
	}
}

// Every reply type arrives one byte per read and comes back whole, and the
// next command gets the next reply.
func TestDoReadsRepliesSplitAcrossReads(t *testing.T) {
	c := pipe(t, func(s *fakeServer) {
		for i, sample := range samples {
			if !s.expect(string(appendCommand(nil, []string{"ECHO", strconv.Itoa(i)}))) {
				return
			}
			s.reply(sample.raw)
		}
	})
	for i, s := range samples {
		if got, err := c.Do("ECHO", strconv.Itoa(i)); err != nil || string(got) != s.raw {
			t.Fatalf("%s: Do = %q, %v; want %q", s.name, got, err, s.raw)
		}
	}
}

func TestPipeline(t *testing.T) {
	c := pipe(t, func(s *fakeServer) {
		for _, k := range []string{"a", "b", "c"} {
			if !s.expect("*2\r\n$3\r\nGET\r\n$1\r\n" + k + "\r\n") {
				return
			}
		}
		s.reply("$1\r\n1\r\n*2\r\n:1\r\n$-1\r\n-ERR c\r\n")
		if s.expect("*1\r\n$4\r\nPING\r\n") {
			s.reply("+PONG\r\n")
		}
	})
	c.Send("GET", "a")
	c.SendBytes([]byte("GET"), []byte("b"))
	c.Send("GET", "c")
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do("PING"); err == nil {
		t.Fatal("Do with three replies due succeeded")
	}
	for _, want := range []string{"$1\r\n1\r\n", "*2\r\n:1\r\n$-1\r\n", "-ERR c\r\n"} {
		if got, err := c.Receive(); err != nil || string(got) != want {
			t.Fatalf("Receive = %q, %v; want %q", got, err, want)
		}
	}
	if got, err := c.Do("PING"); err != nil || string(got) != "+PONG\r\n" {
		t.Fatalf("Do PING after the pipeline = %q, %v", got, err)
	}
}

// Receive writes what Send queued: no Flush needed before it.
func TestReceiveFlushes(t *testing.T) {
	c := pipe(t, func(s *fakeServer) {
		if s.expect("*1\r\n$4\r\nPING\r\n") {
			s.reply("+PONG\r\n")
		}
	})
	c.Send("PING")
	if got, err := c.Receive(); err != nil || string(got) != "+PONG\r\n" {
		t.Fatalf("Receive = %q, %v", got, err)
	}
}

func TestWriteRaw(t *testing.T) {
	const inline = "PING\r\n"
	c := pipe(t, func(s *fakeServer) {
		buf := make([]byte, len(inline))
		if _, err := io.ReadFull(s.nc, buf); err != nil || string(buf) != inline {
			t.Errorf("server received %q, %v", buf, err)
			return
		}
		s.reply("+PONG\r\n")
	})
	if err := c.WriteRaw([]byte(inline)); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Receive(); err != nil || string(got) != "+PONG\r\n" {
		t.Fatalf("reply to an inline PING = %q, %v", got, err)
	}
}

// A reply that does not come in time fails with the deadline error, and
// the connection stays failed: a late reply must not be taken for the
// answer to a later command.
func TestReplyTimeout(t *testing.T) {
	release := make(chan struct{})
	c := pipe(t, func(s *fakeServer) {
		s.expect("*1\r\n$4\r\nPING\r\n")
		<-release
	}, WithTimeout(50*time.Millisecond))
	defer close(release)
	start := time.Now()
	_, err := c.Do("PING")
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Do with no reply: %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the 50ms deadline took %v", d)
	}
	if _, again := c.Receive(); !errors.Is(again, os.ErrDeadlineExceeded) {
		t.Errorf("Receive after the timeout: %v, want the same error", again)
	}
}

func TestServerCloses(t *testing.T) {
	c := pipe(t, func(s *fakeServer) {
		if s.expect("*1\r\n$4\r\nQUIT\r\n") {
			s.reply("+OK\r\n")
		}
	})
	if got, err := c.Do("QUIT"); err != nil || string(got) != "+OK\r\n" {
		t.Fatalf("QUIT = %q, %v", got, err)
	}
	if got, err := c.Receive(); !errors.Is(err, io.EOF) {
		t.Fatalf("Receive after the server closed = %q, %v; want io.EOF", got, err)
	}

	c = pipe(t, func(s *fakeServer) {
		if s.expect("*1\r\n$3\r\nGET\r\n") {
			s.reply("$10\r\nabc")
		}
	})
	if got, err := c.Do("GET"); !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), `"$10\r\nabc"`) {
		t.Fatalf("a reply cut by the server closing = %q, %v; want io.ErrUnexpectedEOF after what came", got, err)
	}
}

func TestBadReplyFailsTheConn(t *testing.T) {
	c := pipe(t, func(s *fakeServer) {
		if s.expect("*1\r\n$4\r\nPING\r\n") {
			// One write: the client stops reading at the first byte.
			_, _ = s.nc.Write([]byte("HTTP/1.1 400 Bad Request\r\n"))
		}
	})
	if _, err := c.Do("PING"); !errors.Is(err, ErrProtocol) {
		t.Fatalf("Do = %v, want ErrProtocol", err)
	}
	if _, err := c.Receive(); !errors.Is(err, ErrProtocol) {
		t.Fatalf("Receive after a bad reply = %v, want the same error", err)
	}
}

// listen serves each accepted connection with serve, on a loopback port.
func listen(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			serve(nc)
			nc.Close()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	return ln.Addr().String()
}

func TestDial(t *testing.T) {
	addr := listen(t, func(nc net.Conn) {
		if req, err := NewReader(nc, 0).ReadReply(); err == nil && string(req) == "*1\r\n$4\r\nPING\r\n" {
			_, _ = nc.Write([]byte("+PONG\r\n"))
		}
	})
	c, err := Dial(addr, WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.RemoteAddr() != addr {
		t.Errorf("RemoteAddr = %s, want %s", c.RemoteAddr(), addr)
	}
	if got, err := c.Do("PING"); err != nil || string(got) != "+PONG\r\n" {
		t.Fatalf("PING = %q, %v", got, err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	if c, err := DialTimeout(closed, time.Second); err == nil {
		c.Close()
		t.Fatalf("DialTimeout to a closed port %s succeeded", closed)
	}
}

// A bulk string of hundreds of MiB comes through a TCP connection whole.
func TestBigReplyOverTCP(t *testing.T) {
	n := 256 << 20
	if testing.Short() {
		n = 16 << 20
	}
	addr := listen(t, func(nc net.Conn) {
		if _, err := NewReader(nc, 0).ReadReply(); err != nil {
			return
		}
		_, _ = io.WriteString(nc, "$"+strconv.Itoa(n)+"\r\n")
		_, _ = io.Copy(nc, io.LimitReader(fill('v'), int64(n)))
		_, _ = io.WriteString(nc, "\r\n")
	})
	c, err := Dial(addr, WithTimeout(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	got, err := c.Do("GET", "big")
	if err != nil {
		t.Fatal(err)
	}
	header := "$" + strconv.Itoa(n) + "\r\n"
	if len(got) != len(header)+n+2 || string(got[:len(header)]) != header || got[len(header)] != 'v' ||
		string(got[len(got)-3:]) != "v\r\n" {
		t.Fatalf("got %d bytes starting %.20q, want %d", len(got), got, len(header)+n+2)
	}
	t.Logf("%d MiB bulk string in %v", n>>20, time.Since(start))
}
