package chaos

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestRound builds raftis and runs one short round with every fault
// against real processes. CHAOS_SEED replays a seed; a failed round's
// directory is kept and named in the failure.
func TestRound(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real cluster for half a minute")
	}
	bin := filepath.Join(t.TempDir(), "raftis")
	build := exec.Command("go", "build", "-o", bin, "github.com/raftis/raftis/cmd/raftis")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("build raftis: %v", err)
	}
	seed := uint64(time.Now().UnixNano() % 1e9)
	if s := os.Getenv("CHAOS_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("CHAOS_SEED=%q: %v", s, err)
		}
		seed = n
	}
	cfg := Config{
		Bin: bin, Dir: os.TempDir(), Nodes: 3, Clients: 4, Duration: 20 * time.Second,
		Seed: seed, Faults: AllFaults, Logf: t.Logf,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res := Run(ctx, cfg)
	t.Logf("seed %d: %d ops %v, faults %v", res.Seed, res.Ops, res.ByOutcome, res.Faults)
	for _, inc := range res.Inconclusive {
		t.Logf("inconclusive: %s", inc)
	}
	if res.Ops == 0 || res.ByOutcome[OK] == 0 {
		t.Errorf("the round ran no successful operations: %v", res.ByOutcome)
	}
	if res.Err != nil {
		t.Errorf("round error: %v", res.Err)
	}
	for _, v := range res.Violations {
		t.Errorf("violation: %s", v)
	}
	if res.Failed() {
		t.Errorf("kept in %s; replay with CHAOS_SEED=%d, or: %s", res.Dir, res.Seed, ReplayCommand(cfg))
	}
}
