package rdb

import (
	"bytes"
	"fmt"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/resp"
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
func startRedis(t *testing.T, dir string, extra ...string) redisConn {
	t.Helper()
	c, err := resp.DialTimeout(testredis.Start(t, dir, extra...), time.Second, resp.WithTimeout(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return redisConn{c}
}

// redisConn is a binary-safe client of a test's redis-server.
type redisConn struct{ *resp.Conn }

// must runs a command and returns its reply, failing the test on an error
// reply. Arguments are strings, byte slices, integers or float64s.
func (c redisConn) must(t *testing.T, args ...any) resp.Value {
	t.Helper()
	raw, err := c.DoBytes(respArgs(args)...)
	if err != nil {
		t.Fatalf("%.100v: %v", args, err)
	}
	v, err := resp.Parse(raw)
	if err == nil {
		err = v.Err()
	}
	if err != nil {
		t.Fatalf("%.100v: %v", args, err)
	}
	return v
}

// mustInt runs a command whose reply is an integer.
func (c redisConn) mustInt(t *testing.T, args ...any) int64 {
	t.Helper()
	v := c.must(t, args...)
	if v.Kind != resp.Integer {
		t.Fatalf("%.100v: %s reply, want an integer", args, v.Kind)
	}
	return v.Int
}

// mustString runs a command whose reply is a simple or bulk string.
func (c redisConn) mustString(t *testing.T, args ...any) string {
	t.Helper()
	v := c.must(t, args...)
	if (v.Kind != resp.SimpleString && v.Kind != resp.BulkString) || v.Null {
		t.Fatalf("%.100v: %s reply (null: %v), want a string", args, v.Kind, v.Null)
	}
	return v.Str
}

// mustStrings runs a command whose reply is an array of strings.
func (c redisConn) mustStrings(t *testing.T, args ...any) []string {
	t.Helper()
	items, err := c.must(t, args...).Strings()
	if err != nil {
		t.Fatalf("%.100v: %v", args, err)
	}
	return items
}

// respArgs formats command arguments for the wire.
func respArgs(args []any) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = []byte(v)
		case []byte:
			out[i] = v
		case int:
			out[i] = strconv.AppendInt(nil, int64(v), 10)
		case int64:
			out[i] = strconv.AppendInt(nil, v, 10)
		case float64:
			out[i] = strconv.AppendFloat(nil, v, 'g', -1, 64)
		default:
			panic(fmt.Sprintf("resp arg %T", a))
		}
	}
	return out
}
