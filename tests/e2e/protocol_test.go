package e2e

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/resp"
)

// rawReply sends payload on a new TCP connection to port and returns the
// first reply, whole.
func rawReply(t *testing.T, port int, payload string) string {
	t.Helper()
	c, err := resp.DialTimeout("127.0.0.1:"+strconv.Itoa(port), 3*time.Second, resp.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.WriteRaw([]byte(payload)); err != nil {
		t.Fatalf("write %q: %v", payload, err)
	}
	reply, err := c.Receive()
	if err != nil {
		t.Fatalf("reply to %q: %v", payload, err)
	}
	return string(reply)
}

// Malformed and unknown input gets Redis's exact error replies and does not
// hurt the node.
func TestProtocolErrors(t *testing.T) {
	c := startCluster(t, 1)
	n := c.nodes[0]
	cases := []struct{ name, payload, want string }{
		{"bulk length overflow", "*1\r\n$9223372036854775807\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
		{"unknown command", "*2\r\n$3\r\nFOO\r\n$1\r\na\r\n", "-ERR unknown command 'FOO', with args beginning with: 'a' \r\n"},
		{"wrong arity", "*1\r\n$3\r\nGET\r\n", "-ERR wrong number of arguments for 'get' command\r\n"},
	}
	for _, tc := range cases {
		if got := rawReply(t, n.port, tc.payload); got != tc.want {
			t.Errorf("%s: %q answers %q, want %q", tc.name, tc.payload, got, tc.want)
		}
		if got := rawReply(t, n.port, "*1\r\n$4\r\nPING\r\n"); got != "+PONG\r\n" {
			t.Fatalf("after %s: PING on a new connection answers %q", tc.name, got)
		}
	}
}

// redis-cli without a command reads commands from stdin, as in its
// interactive mode: it asks COMMAND DOCS first (for hints), then runs them.
func TestRedisCLIFromStdin(t *testing.T) {
	needTools(t, "redis-cli")
	c := startCluster(t, 1)
	n := c.nodes[0]
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "redis-cli", "-h", "127.0.0.1", "-p", strconv.Itoa(n.port))
	cmd.Stdin = strings.NewReader("SET a 1\nGET a\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli fed from stdin: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "OK\n1" {
		t.Errorf("redis-cli fed 'SET a 1', 'GET a' printed %q, want \"OK\\n1\"", got)
	}
	if out := mustCLI(t, n.port, "PING"); out != "PONG" {
		t.Errorf("PING after the interactive session: %q", out)
	}
}
