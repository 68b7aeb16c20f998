package testredis

import (
	"net"
	"testing"
)

func TestStartAnswersOnItsAddress(t *testing.T) {
	addr := Start(t, "")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial the started server: %v", err)
	}
	conn.Close()
	if _, err := processID(addr); err != nil {
		t.Fatalf("INFO server: %v", err)
	}
}
