package rdb

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/testredis"
)

// checkRDB runs redis-check-rdb on path and fails the test unless it
// exits 0.
func checkRDB(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command(testredis.Need(t, "redis-check-rdb"), path).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-check-rdb %s: %v\n%s", path, err, out)
	}
	if !bytes.Contains(out, []byte("Checksum OK")) || !bytes.Contains(out, []byte("RDB looks OK")) {
		t.Fatalf("redis-check-rdb output unexpected:\n%s", out)
	}
}

// startRedis starts redis-server with its data directory dir (loading
// dir/dump.rdb if present) and returns a client. The server is killed when
// the test ends.
func startRedis(t *testing.T, dir string, extra ...string) *respConn {
	t.Helper()
	c, err := dialRedis(testredis.Start(t, dir, extra...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.c.Close() })
	return c
}

// respConn is a minimal binary-safe RESP2 client.
type respConn struct {
	c net.Conn
	r *bufio.Reader
}

type respError string

func (e respError) Error() string { return string(e) }

func dialRedis(addr string) (*respConn, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return nil, err
	}
	return &respConn{c: c, r: bufio.NewReader(c)}, nil
}

// do sends a command and returns the reply: string (simple and bulk),
// int64, []any, nil, or a respError as the error.
func (c *respConn) do(args ...any) (any, error) {
	var b []byte
	b = fmt.Appendf(b, "*%d\r\n", len(args))
	for _, a := range args {
		var s []byte
		switch v := a.(type) {
		case string:
			s = []byte(v)
		case []byte:
			s = v
		case int:
			s = strconv.AppendInt(nil, int64(v), 10)
		case int64:
			s = strconv.AppendInt(nil, v, 10)
		case float64:
			s = strconv.AppendFloat(nil, v, 'g', -1, 64)
		default:
			panic(fmt.Sprintf("resp arg %T", a))
		}
		b = fmt.Appendf(b, "$%d\r\n", len(s))
		b = append(append(b, s...), "\r\n"...)
	}
	_ = c.c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.c.Write(b); err != nil {
		return nil, err
	}
	return c.reply()
}

func (c *respConn) reply() (any, error) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if len(line) < 3 {
		return nil, fmt.Errorf("short reply %q", line)
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+':
		return body, nil
	case '-':
		return nil, respError(body)
	case ':':
		return strconv.ParseInt(body, 10, 64)
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return nil, err
		}
		p := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, p); err != nil {
			return nil, err
		}
		return string(p[:n]), nil
	case '*':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return nil, err
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = c.reply(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("bad reply %q", line)
}

// must runs a command and fails the test on error.
func (c *respConn) must(t *testing.T, args ...any) any {
	t.Helper()
	v, err := c.do(args...)
	if err != nil {
		t.Fatalf("%.100v: %v", args, err)
	}
	return v
}
