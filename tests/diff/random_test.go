package diff

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/testcluster"
)

// defaultN is the number of commands per run (one run on the leader, one
// on a follower). Each run also stops after defaultBudget unless DIFF_N is
// set, so that the package stays under 30 s on a loaded machine; the log
// says when that happened.
const (
	defaultN      = 2000
	defaultBudget = 7 * time.Second
)

// TestDiffRandom sends the same random sequence to the leader, then to a
// follower (whose writes are forwarded to the leader), and to redis-server,
// and compares every reply.
func TestDiffRandom(t *testing.T) {
	redisAddr := startRedis(t)
	seed := envSeed(t)
	n := envInt(t, "DIFF_N", defaultN)
	var budget time.Duration
	if os.Getenv("DIFF_N") == "" {
		budget = defaultBudget
	}
	stats := os.Getenv("DIFF_STATS") != ""
	gens := selectGens(t)
	keepGoing := os.Getenv("DIFF_KEEP_GOING") != ""
	c := testcluster.Start(t, 3, testcluster.Options{})
	t.Logf("seed %d, %d commands per run, %d generators (replay with DIFF_SEED=%d)", seed, n, len(gens), seed)

	for _, via := range []string{"leader", "follower"} {
		t.Run(via, func(t *testing.T) {
			nd := c.Leader()
			if via == "follower" {
				nd = c.Followers()[0]
			}
			p := dialPair(t, redisAddr, nd.RedisAddr)
			note, err := p.reset()
			if err != nil {
				t.Fatalf("reset: %v", err)
			}
			if note != "" {
				t.Log(note)
			}
			start := time.Now()
			res := runRandom(t, p, runConfig{
				seed: seed, n: n, budget: budget, keepGoing: keepGoing, stats: stats, gens: gens,
				shrink: os.Getenv("DIFF_SHRINK") != "0",
				replay: func(n int) string { return replayLine(seed, n, "TestDiffRandom/"+via+"$", keepGoing) },
			})
			t.Logf("%d commands on %s %s in %v", res.sent, via, nd.ID, time.Since(start).Round(time.Millisecond))
			if stats {
				t.Log(formatStats(res.stats))
			}
			found := res.mismatches
			if len(found) == 0 {
				return
			}
			var b strings.Builder
			fmt.Fprintf(&b, "raftis (%s %s) and redis-server disagree; seed %d:\n", via, nd.ID, seed)
			if keepGoing {
				fmt.Fprintf(&b, "(keep-going mode: first mismatch of each of %d commands; both servers were reset after each)\n", len(found))
			}
			for _, m := range found {
				b.WriteString(m.String())
				b.WriteString("\n")
			}
			t.Error(b.String())
		})
	}
}

// replayLine is the command that replays the first n commands of a run.
func replayLine(seed uint64, n int, run string, keepGoing bool) string {
	env := fmt.Sprintf("DIFF_SEED=%d DIFF_N=%d", seed, n)
	for _, name := range []string{"DIFF_ONLY", "DIFF_SKIP"} {
		if v := os.Getenv(name); v != "" {
			env += fmt.Sprintf(" %s=%s", name, v)
		}
	}
	if keepGoing {
		env += " DIFF_KEEP_GOING=1"
	}
	return fmt.Sprintf("%s go test ./tests/diff/ -run '%s' -count=1 -v", env, run)
}

func envSeed(t *testing.T) uint64 {
	t.Helper()
	s := os.Getenv("DIFF_SEED")
	if s == "" {
		return uint64(time.Now().UnixNano())
	}
	seed, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("DIFF_SEED=%q: %v", s, err)
	}
	return seed
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a non-negative integer", name, s)
	}
	return n
}
