// Command raftis-chaos runs rounds of the chaos checker against the raftis
// binary: a real cluster on loopback, concurrent clients, injected faults,
// and a check of everything the clients saw (see package internal/chaos).
//
//	raftis-chaos -rounds 10 -seed 1 -duration 30s -faults all
//
// Round i uses seed+i. A failed round keeps its directory (history, nodes'
// logs, linearizability visualizations, verdict) and prints how to replay
// it; the command exits 1 when any round failed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/raftis/raftis/internal/chaos"
)

func main() {
	os.Exit(run())
}

func run() int {
	var (
		rounds   = flag.Int("rounds", 1, "rounds to run")
		seed     = flag.Uint64("seed", uint64(time.Now().UnixNano()%1e9), "seed of the first round (round i uses seed+i)")
		nodes    = flag.Int("nodes", 3, "cluster size: 3 or 5")
		clients  = flag.Int("clients", 6, "concurrent clients")
		duration = flag.Duration("duration", 30*time.Second, "how long the clients run in each round")
		faults   = flag.String("faults", "all", "comma-separated fault kinds ("+strings.Join(chaos.AllFaults, ",")+"), all or none")
		bin      = flag.String("bin", "bin/raftis", "the raftis binary")
		dir      = flag.String("dir", "chaos-rounds", "where failed rounds are kept")
		verbose  = flag.Bool("v", false, "log each round's setup")
		keep     = flag.Bool("keep", false, "keep every round's directory, not only failed ones")
	)
	flag.Parse()
	kinds, err := parseFaults(*faults)
	if err != nil {
		fmt.Fprintln(os.Stderr, "raftis-chaos:", err)
		return 2
	}
	if *nodes != 3 && *nodes != 5 {
		fmt.Fprintln(os.Stderr, "raftis-chaos: -nodes must be 3 or 5")
		return 2
	}
	if _, err := os.Stat(*bin); err != nil {
		fmt.Fprintf(os.Stderr, "raftis-chaos: %v (make build)\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var total totals
	for i := range *rounds {
		if ctx.Err() != nil {
			break
		}
		cfg := chaos.Config{
			Bin: *bin, Dir: *dir, Nodes: *nodes, Clients: *clients, Duration: *duration,
			Seed: *seed + uint64(i), Faults: kinds, Keep: *keep,
		}
		if *verbose {
			cfg.Logf = func(format string, args ...any) { fmt.Printf(format+"\n", args...) }
		}
		start := time.Now()
		res := chaos.Run(ctx, cfg)
		total.add(res)
		report(i+1, res, time.Since(start), cfg)
	}
	total.print(*rounds)
	if total.failed > 0 {
		return 1
	}
	return 0
}

func parseFaults(s string) ([]string, error) {
	switch s {
	case "all":
		return chaos.AllFaults, nil
	case "none", "":
		return nil, nil
	}
	var kinds []string
	for _, k := range strings.Split(s, ",") {
		if !slices.Contains(chaos.AllFaults, k) {
			return nil, fmt.Errorf("unknown fault %q (have %s)", k, strings.Join(chaos.AllFaults, ","))
		}
		kinds = append(kinds, k)
	}
	return kinds, nil
}

func report(n int, res *chaos.Result, took time.Duration, cfg chaos.Config) {
	verdict := "ok"
	if res.Failed() {
		verdict = "FAILED"
	}
	fmt.Printf("round %d seed %d: %s in %v: %d ops %s; faults %s\n", n, res.Seed, verdict, took.Round(time.Second),
		res.Ops, counts(res.ByOutcome), counts(res.Faults))
	for _, inc := range res.Inconclusive {
		fmt.Printf("  inconclusive: %s\n", inc)
	}
	if res.Err != nil {
		fmt.Printf("  error: %v\n", res.Err)
	}
	for _, v := range res.Violations {
		fmt.Printf("  violation: %s\n", v)
	}
	if res.Dir != "" && res.Failed() {
		fmt.Printf("  kept in %s (history.jsonl, nemesis.json, node logs, verdict.txt)\n", res.Dir)
		for _, v := range res.Visualizations {
			fmt.Printf("  visualization: %s\n", v)
		}
		fmt.Printf("  replay: %s\n", chaos.ReplayCommand(cfg))
	}
}

// counts prints a map as "k=v k=v" in key order.
func counts[K ~string](m map[K]int) string {
	var keys []string
	for k := range m {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[K(k)]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

type totals struct {
	rounds, failed, ops, violations, inconclusive int
	outcomes                                      map[chaos.Outcome]int
	faults                                        map[string]int
}

func (t *totals) add(res *chaos.Result) {
	if t.outcomes == nil {
		t.outcomes, t.faults = map[chaos.Outcome]int{}, map[string]int{}
	}
	t.rounds++
	if res.Failed() {
		t.failed++
	}
	t.ops += res.Ops
	t.violations += len(res.Violations)
	t.inconclusive += len(res.Inconclusive)
	for k, v := range res.ByOutcome {
		t.outcomes[k] += v
	}
	for k, v := range res.Faults {
		t.faults[k] += v
	}
}

func (t *totals) print(asked int) {
	fmt.Printf("\n%d of %d rounds run, %d failed; %d operations (%s); faults %s; %d violations, %d inconclusive checks\n",
		t.rounds, asked, t.failed, t.ops, counts(t.outcomes), counts(t.faults), t.violations, t.inconclusive)
}
