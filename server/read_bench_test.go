package server_test

import (
	"bytes"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	tc "github.com/raftis/raftis/internal/testcluster"
)

// The read path end to end: pipelined GETs of one key over TCP to a
// one-node cluster, as redis-benchmark -P sends them. One op is one GET;
// the client reads the fixed-size replies without parsing them, so the
// figure is the server's cost plus the loopback.
const (
	benchPipeline = 64
	benchValue    = "abcdefgh"
)

func BenchmarkPipelinedGet(b *testing.B) {
	addr := startReadBench(b)
	conn := dialBench(b, addr)
	b.ResetTimer()
	runPipelinedGets(b, conn, b.N)
}

// BenchmarkPipelinedGetParallel runs one connection per goroutine, so the
// connections share the server's per-command counters.
func BenchmarkPipelinedGetParallel(b *testing.B) {
	addr := startReadBench(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		conn := dialBench(b, addr)
		n := 0
		for pb.Next() {
			n++
			if n == benchPipeline {
				runPipelinedGets(b, conn, n)
				n = 0
			}
		}
		runPipelinedGets(b, conn, n)
	})
}

func startReadBench(b *testing.B) string {
	b.Helper()
	c := tc.Start(b, 1, tc.Options{})
	nd := c.Leader()
	conn := dialBench(b, nd.RedisAddr)
	if _, err := conn.Write([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$8\r\n" + benchValue + "\r\n")); err != nil {
		b.Fatal(err)
	}
	readExactly(b, conn, []byte("+OK\r\n"))
	return nd.RedisAddr
}

func dialBench(b *testing.B, addr string) net.Conn {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	return conn
}

// runPipelinedGets sends n GETs in pipelines of benchPipeline and checks
// every reply.
func runPipelinedGets(b *testing.B, conn net.Conn, n int) {
	get := []byte("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
	reply := []byte("$8\r\n" + benchValue + "\r\n")
	req := bytes.Repeat(get, benchPipeline)
	want := bytes.Repeat(reply, benchPipeline)
	for n > 0 {
		k := min(n, benchPipeline)
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := conn.Write(req[:k*len(get)]); err != nil {
			b.Error(err)
			return
		}
		if !readExactly(b, conn, want[:k*len(reply)]) {
			return
		}
		n -= k
	}
}

func readExactly(b *testing.B, conn net.Conn, want []byte) bool {
	got := make([]byte, len(want))
	if _, err := io.ReadFull(conn, got); err != nil {
		b.Error(err)
		return false
	}
	if !bytes.Equal(got, want) {
		b.Errorf("reply %q, want %q", strings.TrimSpace(string(got[:min(len(got), 64)])), want[:min(len(want), 64)])
		return false
	}
	return true
}
