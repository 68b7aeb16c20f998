package chaos

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// echoServer answers every line with itself.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// roundTrip sends a line through c and reports whether it came back.
func roundTrip(c net.Conn) error {
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("ping\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "ping\n" {
		return errors.New("echo came back as " + line)
	}
	return nil
}

// The proxy knows this test process as node 0 (it finds the dialing
// socket among the process's files) and cuts it from node 1 only while a
// rule says so, closing what is open.
func TestProxyCutsByIdentifiedSource(t *testing.T) {
	nw := newNetwork(3, func() map[int]int { return map[int]int{os.Getpid(): 0} })
	defer nw.close()
	addr, err := nw.front(1, echoServer(t))
	if err != nil {
		t.Fatal(err)
	}
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	open := dial()
	if err := roundTrip(open); err != nil {
		t.Fatalf("before any fault: %v", err)
	}
	nw.block(2, 1) // another node's link: no effect on node 0
	if err := roundTrip(open); err != nil {
		t.Fatalf("after cutting n3 -> n2: %v", err)
	}
	nw.block(0, 1)
	if err := roundTrip(open); err == nil {
		t.Fatal("an open connection n1 -> n2 still works after the cut")
	}
	if err := roundTrip(dial()); err == nil {
		t.Fatal("a new connection n1 -> n2 works during the cut")
	}
	nw.heal()
	if err := roundTrip(dial()); err != nil {
		t.Fatalf("after healing: %v", err)
	}
}

func TestProxyDelays(t *testing.T) {
	nw := newNetwork(2, func() map[int]int { return map[int]int{os.Getpid(): 0} })
	defer nw.close()
	addr, err := nw.front(1, echoServer(t))
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	nw.setDelay(1, 200*time.Millisecond)
	start := time.Now()
	if err := roundTrip(c); err != nil {
		t.Fatal(err)
	}
	// Both directions pass through node 1's proxy and are held back.
	if took := time.Since(start); took < 400*time.Millisecond {
		t.Errorf("a round trip with 200ms delay each way took %v", took)
	}
}
