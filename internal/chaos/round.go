package chaos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/raftis/raftis/internal/resp"
)

// Config is one round's setup.
type Config struct {
	Bin      string        // the raftis binary
	Dir      string        // parent of the round's directory (kept when it fails)
	Nodes    int           // 3 or 5
	Clients  int           // concurrent clients
	Duration time.Duration // how long the clients run; faults stop a fifth earlier
	Seed     uint64        // drives the clients' and the nemesis's choices
	Faults   []string      // kinds to inject (AllFaults); none: a quiet round
	// CheckTimeout bounds each linearizability check (per key).
	CheckTimeout time.Duration
	// Keep keeps the round's directory even when it passes.
	Keep bool
	Logf func(format string, args ...any)
}

// Result is what a round did and found.
type Result struct {
	Seed           uint64
	Dir            string // the round's directory, kept when it failed
	Ops            int
	ByOutcome      map[Outcome]int
	ByKind         map[string]int
	Faults         map[string]int
	Levels         []string // read levels exercised
	Txn            bool     // MULTI/EXEC transfers ran
	Violations     []string
	Inconclusive   []string
	Visualizations []string
	// Err is a failure of the harness or of the cluster to come up or heal
	// (a node that never recovers is a finding too).
	Err error
}

// Failed reports whether the round found a violation or could not finish.
func (r *Result) Failed() bool { return r.Err != nil || len(r.Violations) > 0 }

// Run runs one round: cluster, clients and nemesis, healing, final reads
// and the checks. The round's directory is removed when it passes.
func Run(ctx context.Context, cfg Config) *Result {
	cfg = withDefaults(cfg)
	res := &Result{Seed: cfg.Seed}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		res.Err = err
		return res
	}
	dir, err := os.MkdirTemp(cfg.Dir, fmt.Sprintf("round-%d-", cfg.Seed))
	if err != nil {
		res.Err = err
		return res
	}
	res.Dir = dir
	r := &round{cfg: cfg, res: res, dir: dir}
	r.run(ctx)
	r.save()
	if !res.Failed() && !cfg.Keep {
		_ = os.RemoveAll(dir)
		res.Dir = ""
	}
	return res
}

func withDefaults(cfg Config) Config {
	if cfg.Nodes == 0 {
		cfg.Nodes = 3
	}
	if cfg.Clients == 0 {
		cfg.Clients = 6
	}
	if cfg.Duration == 0 {
		cfg.Duration = 30 * time.Second
	}
	if cfg.CheckTimeout == 0 {
		cfg.CheckTimeout = 30 * time.Second
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.Dir == "" {
		cfg.Dir = os.TempDir()
	}
	return cfg
}

type round struct {
	cfg    Config
	res    *Result
	dir    string
	h      *history
	nem    *nemesis
	ops    []*Op
	events []event
}

func (r *round) run(ctx context.Context) {
	c, err := newCluster(r.cfg.Bin, r.dir, r.cfg.Nodes, r.cfg.Logf)
	if err != nil {
		r.res.Err = err
		return
	}
	defer c.close()
	if err := c.start(ctx); err != nil {
		r.res.Err = fmt.Errorf("start the cluster: %w", err)
		return
	}
	w := &workload{c: c, h: newHistory()}
	r.h = w.h
	w.levels, w.txn = probe(c)
	r.res.Levels, r.res.Txn = w.levels, w.txn
	r.nem = newNemesis(c, w.h, r.cfg.Faults, r.cfg.Seed)

	r.cfg.Logf("round %d: %d nodes, %d clients, %v, faults %v, read levels %v, transactions %v",
		r.cfg.Seed, r.cfg.Nodes, r.cfg.Clients, r.cfg.Duration, r.cfg.Faults, w.levels, w.txn)
	runCtx, cancel := context.WithTimeout(ctx, r.cfg.Duration)
	defer cancel()
	faultCtx, cancelFaults := context.WithTimeout(ctx, r.cfg.Duration*4/5)
	defer cancelFaults()
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.nem.run(faultCtx)
	}()
	w.run(runCtx, r.cfg.Clients, r.cfg.Seed)
	<-done

	healCtx, cancelHeal := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancelHeal()
	if err := r.nem.healAll(healCtx); err != nil {
		r.res.Err = fmt.Errorf("heal the cluster: %w", err)
	} else if err := c.waitHealthy(healCtx, 60*time.Second); err != nil {
		r.res.Err = fmt.Errorf("the healed cluster did not settle: %w", err)
	} else if err := converged(healCtx, c); err != nil {
		r.res.Violations = append(r.res.Violations, err.Error())
	}
	if r.res.Err == nil {
		if err := finalReads(c, w); err != nil {
			r.res.Err = fmt.Errorf("final reads: %w", err)
		}
	}
	r.ops = w.h.snapshot()
	r.events, r.res.Faults = r.nem.snapshot()
	r.tally()
	if r.res.Err != nil {
		return
	}
	v := check(r.ops, r.dir, r.cfg.CheckTimeout)
	r.res.Violations = append(r.res.Violations, v.Violations...)
	r.res.Inconclusive, r.res.Visualizations = v.Inconclusive, v.Visualizations
}

// probe asks the cluster which read levels (RAFT CONSISTENCY) and whether
// MULTI/EXEC it offers: the harness exercises whatever the server has.
func probe(c *cluster) (levels []string, txn bool) {
	conn, err := resp.DialTimeout(c.nodes[0].redisAddr, time.Second, resp.WithTimeout(5*time.Second))
	if err != nil {
		return nil, false
	}
	defer conn.Close()
	if raw, err := conn.Do("RAFT", "CONSISTENCY", levelStale); err == nil && string(raw) == "+OK\r\n" {
		levels = []string{levelStale, levelLeader, levelLinearizable}
	}
	if raw, err := conn.Do("MULTI"); err == nil && string(raw) == "+OK\r\n" {
		txn = true
		_, _ = conn.Do("DISCARD")
	}
	return levels, txn
}

// converged waits until every node has applied the same index and reports
// the same digest.
func converged(ctx context.Context, c *cluster) error {
	var last []digest
	err := poll(ctx, 30*time.Second, func() (bool, string) {
		last = last[:0]
		for i := range c.nodes {
			d, err := c.digest(ctx, i)
			if err != nil {
				return false, err.Error()
			}
			last = append(last, d)
		}
		for _, d := range last[1:] {
			if d.AppliedIndex != last[0].AppliedIndex || d.Digest != last[0].Digest {
				return false, fmt.Sprintf("%+v", last)
			}
		}
		return true, ""
	})
	if err != nil {
		return fmt.Errorf("the healed nodes do not hold the same data: %w", err)
	}
	return nil
}

// finalReads reads every key on the leader of the healed cluster, at the
// strictest level offered, after every client has stopped.
func finalReads(c *cluster, w *workload) error {
	l := c.leader(context.Background())
	if l < 0 {
		return errors.New("no leader")
	}
	conn, err := resp.DialTimeout(c.nodes[l].redisAddr, time.Second, resp.WithTimeout(10*time.Second))
	if err != nil {
		return err
	}
	defer conn.Close()
	level := ""
	if len(w.levels) > 0 {
		level = levelLinearizable
		if _, err := conn.Do("RAFT", "CONSISTENCY", level); err != nil {
			return err
		}
	}
	cl := &client{w: w, conn: conn, node: c.nodes[l], level: level, id: int(w.connSeq.Add(1))}
	read := func(op Op, args ...string) (resp.Value, *Op, error) {
		op.Final = true
		o := cl.begin(op)
		raw, err := conn.Do(args...)
		if err != nil {
			return resp.Value{}, o, err
		}
		v, err := resp.Parse(raw)
		if err == nil && v.Err() != nil {
			err = v.Err()
		}
		return v, o, err
	}
	for _, key := range stringKeys() {
		v, o, err := read(Op{Kind: opGet, Key: key}, "GET", key)
		if err != nil {
			return err
		}
		o.Str, o.Null = v.Str, v.Null
		w.h.complete(o, OK)
	}
	for _, q := range []struct{ kind, key string }{{opMembers, setKey}, {opRange, listKey}} {
		args := []string{"SMEMBERS", q.key}
		if q.kind == opRange {
			args = []string{"LRANGE", q.key, "0", "-1"}
		}
		v, o, err := read(Op{Kind: q.kind, Key: q.key}, args...)
		if err != nil {
			return err
		}
		if o.Strs, err = v.Strings(); err != nil {
			return err
		}
		w.h.complete(o, OK)
	}
	if w.txn {
		bal := cl.begin(Op{Kind: opBalances, Keys: accountKeys, Final: true})
		for _, k := range accountKeys {
			raw, err := conn.Do("GET", k)
			if err != nil {
				return err
			}
			v, err := resp.Parse(raw)
			if err != nil {
				return err
			}
			n := int64(0)
			if !v.Null {
				if n, err = parseInt(v.Str); err != nil {
					return err
				}
			}
			bal.Ints = append(bal.Ints, n)
		}
		w.h.complete(bal, OK)
	}
	return nil
}

// tally counts the operations by kind and outcome.
func (r *round) tally() {
	r.res.Ops = len(r.ops)
	r.res.ByOutcome, r.res.ByKind = map[Outcome]int{}, map[string]int{}
	for _, o := range r.ops {
		r.res.ByOutcome[o.Outcome]++
		r.res.ByKind[o.Kind]++
	}
}

// save writes what a failed round needs to be understood and replayed:
// the history, the nemesis's events, the verdict and the command.
func (r *round) save() {
	if !r.res.Failed() && !r.cfg.Keep {
		return
	}
	_ = writeJSONL(filepath.Join(r.dir, "history.jsonl"), r.ops)
	if data, err := json.MarshalIndent(r.events, "", "  "); err == nil {
		_ = os.WriteFile(filepath.Join(r.dir, "nemesis.json"), data, 0o644)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d\n", r.res.Seed)
	if r.res.Err != nil {
		fmt.Fprintf(&b, "error: %v\n", r.res.Err)
	}
	for _, v := range r.res.Violations {
		fmt.Fprintf(&b, "violation: %s\n", v)
	}
	fmt.Fprintf(&b, "replay: %s\n", ReplayCommand(r.cfg))
	_ = os.WriteFile(filepath.Join(r.dir, "verdict.txt"), []byte(b.String()), 0o644)
}

// ReplayCommand is the command that runs a round with cfg's choices again
// (the same seed drives the same clients' and nemesis's choices; timing
// differs, so a replay may or may not hit the same interleaving).
func ReplayCommand(cfg Config) string {
	faults := slices.Clone(cfg.Faults)
	sort.Strings(faults)
	f := strings.Join(faults, ",")
	if f == "" {
		f = "none"
	}
	return fmt.Sprintf("go run ./cmd/raftis-chaos -rounds 1 -seed %d -nodes %d -clients %d -duration %v -faults %s",
		cfg.Seed, cfg.Nodes, cfg.Clients, cfg.Duration, f)
}
