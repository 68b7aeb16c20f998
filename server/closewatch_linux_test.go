//go:build linux

package server

import (
	"io"
	"net"
	"testing"
	"time"
)

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t *testing.T) (server, client net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close(); client.Close() })
	return server, client
}

func TestWatchCloseSeesTheClientGo(t *testing.T) {
	server, client := tcpPair(t)
	closed, stop := watchClose(server)
	defer stop()
	select {
	case <-closed:
		t.Fatal("closed before the client closed")
	case <-time.After(20 * time.Millisecond):
	}
	client.Close()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("client close not seen")
	}
}

func TestWatchCloseLeavesPipelinedBytes(t *testing.T) {
	server, client := tcpPair(t)
	closed, stop := watchClose(server)
	if _, err := client.Write([]byte("PING\r\n")); err != nil {
		t.Fatal(err)
	}
	// The watch sees data, not a close, and must not consume it.
	stop()
	select {
	case <-closed:
		t.Fatal("data taken for a close")
	default:
	}
	if err := server.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6)
	if _, err := io.ReadFull(server, buf); err != nil || string(buf) != "PING\r\n" {
		t.Fatalf("read %q, %v after the watch; want the pipelined PING", buf, err)
	}
}

func TestWatchCloseStopsAndLeavesNoDeadline(t *testing.T) {
	server, client := tcpPair(t)
	_, stop := watchClose(server)
	stop() // returns although the client neither wrote nor closed
	// The connection reads normally afterwards: a deadline left in the
	// past would fail this read even with data waiting.
	if _, err := client.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1)
	if _, err := server.Read(buf); err != nil {
		t.Fatalf("read after stop: %v", err)
	}
}
