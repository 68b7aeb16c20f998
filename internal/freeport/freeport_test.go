package freeport

import (
	"net"
	"strconv"
	"testing"
)

func TestPortIsBelowTheEphemeralRangeAndBindable(t *testing.T) {
	seen := map[int]bool{}
	for range 20 {
		p, err := Port()
		if err != nil {
			t.Fatal(err)
		}
		if p < lowest || p >= Limit() {
			t.Fatalf("port %d outside %d-%d", p, lowest, Limit()-1)
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			t.Fatalf("port %d was handed out but cannot be bound: %v", p, err)
		}
		l.Close()
		seen[p] = true
	}
	if len(seen) < 10 {
		t.Fatalf("20 picks gave only %d distinct ports", len(seen))
	}
}
