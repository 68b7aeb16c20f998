package testredis

import (
	"testing"

	"github.com/raftis/raftis/internal/resp"
)

func TestStartAnswersOnItsAddress(t *testing.T) {
	addr := Start(t, "")
	c, err := resp.Dial(addr)
	if err != nil {
		t.Fatalf("dial the started server: %v", err)
	}
	c.Close()
	if _, err := processID(addr); err != nil {
		t.Fatalf("INFO server: %v", err)
	}
}
