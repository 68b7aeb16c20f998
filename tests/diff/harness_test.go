package diff

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// gen produces one command, name first, from the random source and the key
// space. A generator must not depend on anything but r and keys (never on
// replies): the sequence of a seed is then the same on every run.
type gen func(r *rand.Rand, keys []string) []string

// comparer decides whether Redis's reply (want) and raftis's (got) to cmd
// agree. It returns "" if they do, else a short reason. It may send further
// read-only commands to both servers through p (to finish a SCAN, to check
// that a RANDOMKEY reply exists). A comparer that does not recognise the
// shape of the replies (e.g. an error) must fall back to exactCompare.
type comparer func(p *pair, cmd []string, want, got []byte) string

// seqGen produces a sequence of commands, sent in order, each reply
// compared: a transaction (MULTI ... EXEC), with commands of a second
// connection in between. Like a gen it depends on r and keys only.
type seqGen func(r *rand.Rand, keys []string) []step

// cmdGen is one row of the generator table.
type cmdGen struct {
	name   string   // lowercase command name, as in DIFF_ONLY/DIFF_SKIP and reports
	weight int      // relative frequency
	gen    gen      // draws one command
	seq    seqGen   // or draws a sequence (gen is then nil)
	cmp    comparer // nil: exactCompare
	// timing: cmp only absorbs clock differences (TTL & co.). Known cases
	// that use no relative expiry compare these replies exactly.
	timing bool
	// queries: cmp sends commands of its own to the servers (to finish a
	// SCAN, to check a random pick, to restore a DUMP). Such a comparer
	// can judge only a reply to the main connection outside a
	// transaction, so the transaction sequences never draw the command.
	queries bool
	family  string // set by register
}

// registry is the generator table, filled by the init functions of the
// gen_*_test.go files and sorted by (family, name), so that the sequence of
// a seed does not depend on file order.
var registry []cmdGen

// register adds a family's generators to the table.
func register(family string, gens ...cmdGen) {
	for _, g := range gens {
		if g.weight <= 0 {
			panic("diff: generator " + g.name + " has no weight")
		}
		g.family = family
		registry = append(registry, g)
	}
	slices.SortStableFunc(registry, func(a, b cmdGen) int {
		return cmp.Or(strings.Compare(a.family, b.family), strings.Compare(a.name, b.name))
	})
}

// comparerFor returns the comparer registered for a command name, or nil
// (exact) for names without one. timing: also the comparers that only
// absorb clock differences.
func comparerFor(name string, timing bool) comparer {
	name = strings.ToLower(name)
	for _, g := range registry {
		if g.name == name && g.cmp != nil && (timing || !g.timing) {
			return g.cmp
		}
	}
	return nil
}

// Key space and databases. Few keys so that commands interact; names with
// glob characters, a colon and binary bytes to exercise KEYS/SCAN patterns.
var keySpace = []string{"k0", "k1", "k2", "k3", "foo", "foo:bar", "a*b", "\x00bin\xff"}

// numDBs is how many databases the sequences use (SELECT, MOVE, COPY DB,
// SWAPDB pick among them; other indexes only appear as invalid arguments).
const numDBs = 2

// pair is one connection to each server, and a second one to each that
// sequences use (dialed when first needed).
type pair struct {
	redis, raftis   *side
	redis2, raftis2 *side
}

func (p *pair) Close() {
	p.redis.Close()
	p.raftis.Close()
	p.closeSecond()
}

func (p *pair) closeSecond() {
	if p.redis2 != nil {
		p.redis2.Close()
		p.raftis2.Close()
		p.redis2, p.raftis2 = nil, nil
	}
}

// sides returns connection conn (0 or 1) to each server.
func (p *pair) sides(conn int) (redis, raftis *side, err error) {
	if conn == 0 {
		return p.redis, p.raftis, nil
	}
	if p.redis2 == nil {
		r2, err := dialSide("redis", p.redis.addr)
		if err != nil {
			return nil, nil, err
		}
		f2, err := dialSide("raftis", p.raftis.addr)
		if err != nil {
			r2.Close()
			return nil, nil, err
		}
		p.redis2, p.raftis2 = r2, f2
	}
	return p.redis2, p.raftis2, nil
}

// both sends args to Redis then to raftis and returns both replies.
func (p *pair) both(args []string) (want, got []byte, err error) {
	return p.bothOn(0, args)
}

// bothOn is both on connection conn.
func (p *pair) bothOn(conn int, args []string) (want, got []byte, err error) {
	redis, raftis, err := p.sides(conn)
	if err != nil {
		return nil, nil, err
	}
	if want, err = redis.do(args...); err != nil {
		return nil, nil, err
	}
	if got, err = raftis.do(args...); err != nil {
		return want, nil, err
	}
	return want, got, nil
}

// reset empties both servers and selects DB 0 on both connections. It uses
// FLUSHALL; a server that does not answer +OK to it (raftis without
// FLUSHALL) is emptied key by key instead, for the key space in each DB the
// sequences use. It returns a note when it had to fall back.
func (p *pair) reset() (string, error) {
	var note string
	for _, s := range []*side{p.redis, p.raftis} {
		reply, err := s.do("FLUSHALL")
		if err != nil {
			return note, err
		}
		if string(reply) != "+OK\r\n" {
			note += fmt.Sprintf("%s replied %s to FLUSHALL: deleting the key space instead. ", s.name, quoteReply(reply, 120))
			for db := 0; db < numDBs; db++ {
				if err := s.expect("+OK\r\n", "SELECT", strconv.Itoa(db)); err != nil {
					return note, err
				}
				if _, err := s.do(append([]string{"DEL"}, keySpace...)...); err != nil {
					return note, err
				}
				if err := s.expect(":0\r\n", append([]string{"EXISTS"}, keySpace...)...); err != nil {
					return note, fmt.Errorf("key space not empty after DEL: %w", err)
				}
			}
		}
		if err := s.expect("+OK\r\n", "SELECT", "0"); err != nil {
			return note, err
		}
	}
	// The second connections may be in a transaction or another database.
	for _, s := range []*side{p.redis2, p.raftis2} {
		if s != nil {
			if err := s.expect("+RESET\r\n", "RESET"); err != nil {
				return note, err
			}
		}
	}
	return note, nil
}

// expect sends args and requires the exact reply want.
func (s *side) expect(want string, args ...string) error {
	reply, err := s.do(args...)
	if err != nil {
		return err
	}
	if string(reply) != want {
		return fmt.Errorf("%s: %s replied %s, want %s", s.name, quoteCmd(args, 40), quoteReply(reply, 200), strconv.Quote(want))
	}
	return nil
}

// reconnect replaces both connections (after a mismatch in keep-going mode:
// a bad reply may have left unread bytes behind).
func (p *pair) reconnect() error {
	redis, err := dialSide("redis", p.redis.addr)
	if err != nil {
		return err
	}
	raftis, err := dialSide("raftis", p.raftis.addr)
	if err != nil {
		redis.Close()
		return err
	}
	p.Close()
	p.redis, p.raftis = redis, raftis
	return nil
}

// step is one command of a sequence: what a seqGen produces.
type step struct {
	conn int      // 0: the main connection; 1: the second
	cmd  []string // the command
	cmp  comparer // nil: exactCompare
	// pipe: sent in one write with the pipe steps that follow it on the
	// same connection, the replies read afterwards.
	pipe bool
}

// replies are both servers' replies to one command.
type replies struct{ want, got []byte }

// pipeline sends steps (all on one connection) in one write to Redis, reads
// the replies, then does the same with raftis.
func (p *pair) pipeline(steps []step) ([]replies, error) {
	redis, raftis, err := p.sides(steps[0].conn)
	if err != nil {
		return nil, err
	}
	out := make([]replies, len(steps))
	for k, s := range []*side{redis, raftis} {
		for _, st := range steps {
			s.conn.Send(st.cmd...)
		}
		if err := s.conn.Flush(); err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		for i := range steps {
			reply, err := s.conn.Receive()
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", s.name, quoteCmd(steps[i].cmd, 64), err)
			}
			if k == 0 {
				out[i].want = reply
			} else {
				out[i].got = reply
			}
		}
	}
	return out, nil
}

// pipeGroup is the run of pipe steps on one connection that starts steps.
func pipeGroup(steps []step) []step {
	n := 1
	for n < len(steps) && steps[n].pipe && steps[n].conn == steps[0].conn {
		n++
	}
	return steps[:n]
}

// sendStep sends steps[j] to both servers and returns their replies. A
// pipe step that finds *pending empty sends its whole pipeGroup in one
// write; it and the group's later steps then take their replies from
// *pending, in order.
func (p *pair) sendStep(steps []step, j int, pending *[]replies) (want, got []byte, err error) {
	st := steps[j]
	if !st.pipe {
		return p.bothOn(st.conn, st.cmd)
	}
	if len(*pending) == 0 {
		if *pending, err = p.pipeline(pipeGroup(steps[j:])); err != nil {
			return nil, nil, err
		}
	}
	r := (*pending)[0]
	*pending = (*pending)[1:]
	return r.want, r.got, nil
}

func dialPair(t *testing.T, redisAddr, raftisAddr string) *pair {
	t.Helper()
	redis, err := dialSide("redis", redisAddr)
	if err != nil {
		t.Fatalf("dial redis-server %s: %v", redisAddr, err)
	}
	raftis, err := dialSide("raftis", raftisAddr)
	if err != nil {
		redis.Close()
		t.Fatalf("dial raftis %s: %v", raftisAddr, err)
	}
	p := &pair{redis: redis, raftis: raftis}
	t.Cleanup(p.Close)
	return p
}

// compare applies c (or exactCompare).
func compare(c comparer, p *pair, cmd []string, want, got []byte) string {
	if c == nil {
		return exactCompare(want, got)
	}
	return c(p, cmd, want, got)
}

// exactCompare is the default rule: the same bytes.
func exactCompare(want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	return "replies differ"
}

// sent is one command sent and Redis's reply, for failure reports.
type sent struct {
	index int
	conn  int
	cmd   []string
	want  []byte
}

// mismatch is one disagreement.
type mismatch struct {
	name       string // generator name ("" in known cases)
	index      int
	conn       int // the connection (1: the second) of a sequence's command
	cmd        []string
	want, got  []byte
	why        string
	history    []sent
	replayLine string
	shrunk     *shrinkResult // the shortened sequence, if shrinking ran
}

func (m *mismatch) String() string {
	var b strings.Builder
	if m.name != "" {
		fmt.Fprintf(&b, "command #%d (%s): %s%s\n", m.index, m.name, connNote(m.conn), quoteCmd(m.cmd, 0))
	} else {
		fmt.Fprintf(&b, "command #%d: %s\n", m.index, quoteCmd(m.cmd, 0))
	}
	fmt.Fprintf(&b, "    redis:  %s\n", quoteReply(m.want, 2000))
	fmt.Fprintf(&b, "    raftis: %s\n", quoteReply(m.got, 2000))
	if m.why != "replies differ" {
		fmt.Fprintf(&b, "    (%s)\n", m.why)
	}
	if len(m.history) > 0 {
		fmt.Fprintf(&b, "  preceding commands (-> Redis's reply):\n")
		for _, s := range m.history {
			fmt.Fprintf(&b, "    #%d %s%s -> %s\n", s.index, connNote(s.conn), quoteCmd(s.cmd, 48), quoteReply(s.want, 80))
		}
	}
	if m.shrunk != nil {
		b.WriteString(m.shrunk.String())
	}
	if m.replayLine != "" {
		fmt.Fprintf(&b, "  replay: %s\n", m.replayLine)
	}
	return b.String()
}

// connNote marks a command of the second connection in reports.
func connNote(conn int) string {
	if conn == 1 {
		return "(2nd connection) "
	}
	return ""
}

// historyLen is how many preceding commands a report shows.
const historyLen = 20

// runConfig is one random run.
type runConfig struct {
	seed      uint64
	n         int
	budget    time.Duration // stop early after this long (0: never)
	keepGoing bool
	shrink    bool // shorten the sequence of each mismatch reported
	stats     bool
	gens      []cmdGen
	replay    func(n int) string // the command line that replays the first n commands
}

// runResult is what a run found.
type runResult struct {
	mismatches []*mismatch
	sent       int // commands generated and sent
	stats      map[string]*replyStats
}

// replyStats counts the kinds of Redis's replies to one generator's
// commands (DIFF_STATS=1), to see whether a generator mostly produces
// errors or nils.
type replyStats struct{ total, errors, nils, ok int }

// availabilityError reports whether a raftis reply is a cluster
// availability error (no leader, commit timeout, shutdown) rather than an
// answer to the command: on an overloaded machine elections happen, and
// such a reply is no evidence about compatibility.
func availabilityError(reply []byte) bool {
	for _, p := range []string{"-UNCERTAIN ", "-CLUSTERDOWN ", "-NOTLEADER ", "-ERR server is shutting down"} {
		if bytes.HasPrefix(reply, []byte(p)) {
			return true
		}
	}
	return false
}

// newRand is the random source of a seed.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// picker chooses generators by weight.
type picker struct {
	gens  []cmdGen
	total int
}

func newPicker(gens []cmdGen) *picker {
	pk := &picker{gens: gens}
	for _, g := range gens {
		pk.total += g.weight
	}
	return pk
}

func (pk *picker) pick(r *rand.Rand) cmdGen {
	n := r.IntN(pk.total)
	for _, g := range pk.gens {
		if n < g.weight {
			return g
		}
		n -= g.weight
	}
	panic("unreachable")
}

// extraArgs are appended by the arity mutation. None is numeric, so a
// mutation never turns "EX" into a small, soon-due expiry, and none is a key
// a command could create outside the key space by accident.
var extraArgs = []string{"extra", "x y", "\x00"}

// nextSteps draws the next command, or sequence of commands, to send.
func nextSteps(r *rand.Rand, pk *picker, keys []string) (cmdGen, []step) {
	g := pk.pick(r)
	if g.seq != nil {
		return g, g.seq(r, keys)
	}
	return g, []step{{cmd: mutate(r, g.gen(r, keys)), cmp: g.cmp}}
}

// nextCommand draws the next single command (sequences are skipped): a
// generator, its arguments, then, now and then, a wrong-arity mutation
// (drop the last argument, or add one) and a random-case command name.
func nextCommand(r *rand.Rand, pk *picker, keys []string) (cmdGen, []string) {
	g := pk.pick(r)
	for g.seq != nil {
		g = pk.pick(r)
	}
	return g, mutate(r, g.gen(r, keys))
}

// mutate now and then drops the last argument or adds one (a wrong-arity
// command), and changes the case of the command name.
func mutate(r *rand.Rand, cmd []string) []string {
	switch r.IntN(40) {
	case 0:
		if len(cmd) > 1 {
			cmd = cmd[:len(cmd)-1]
		}
	case 1:
		cmd = append(cmd, pickOne(r, extraArgs...))
	}
	if r.IntN(10) == 0 {
		cmd[0] = randomCase(r, cmd[0])
	}
	return cmd
}

// runRandom sends up to cfg.n random commands to both servers through p,
// which must be freshly reset. It returns at most one mismatch unless
// keepGoing (then the first of each generator).
func runRandom(t *testing.T, p *pair, cfg runConfig) runResult {
	t.Helper()
	r := newRand(cfg.seed)
	pk := newPicker(cfg.gens)
	res := runResult{stats: map[string]*replyStats{}}
	var (
		history []sent
		trail   []step // every step since the servers were emptied, for shrink
		seen    = map[string]bool{}
		start   = time.Now()
	)
	for i := 0; i < cfg.n; {
		if cfg.budget > 0 && time.Since(start) > cfg.budget {
			t.Logf("time budget %v used up after %d of %d commands", cfg.budget, i, cfg.n)
			break
		}
		g, steps := nextSteps(r, pk, keySpace)
		var pending []replies // replies of the pipelined steps not yet checked
		for j, st := range steps {
			if i >= cfg.n {
				break
			}
			index := i
			i++
			res.sent++
			cmd := st.cmd
			want, got, err := p.sendStep(steps, j, &pending)
			if err != nil {
				t.Fatalf("seed %d, command #%d %s%s: %v\n(replay: %s)", cfg.seed, index, connNote(st.conn), quoteCmd(cmd, 64), err, cfg.replay(index+1))
			}
			if cfg.stats {
				res.count(g.name, want)
			}
			name := g.name
			why := ""
			if availabilityError(got) && !availabilityError(want) {
				name, why = "(cluster availability)", "raftis could not run the command (overloaded machine? elections?): not a compatibility verdict"
			} else {
				why = compare(st.cmp, p, cmd, want, got)
			}
			if cfg.shrink {
				if trail = append(trail, st); len(trail) > 2*trailLimit {
					trail = append(trail[:0], trail[len(trail)-trailLimit:]...)
				}
			}
			if why == "" {
				history = append(history, sent{index: index, conn: st.conn, cmd: cmd, want: want})
				if len(history) > historyLen {
					history = history[1:]
				}
				continue
			}
			m := &mismatch{name: name, index: index, conn: st.conn, cmd: cmd, want: want, got: got, why: why,
				history: slices.Clone(history), replayLine: cfg.replay(index + 1)}
			if cfg.shrink && !seen[name] && name != "(cluster availability)" {
				sr := shrink(p, trail)
				m.shrunk = &sr
			}
			if !cfg.keepGoing {
				res.mismatches = []*mismatch{m}
				return res
			}
			if !seen[name] {
				seen[name] = true
				res.mismatches = append(res.mismatches, m)
			}
			// The servers may now hold different data: start again from
			// empty, on new connections, with the next generator.
			if err := p.reconnect(); err != nil {
				t.Fatalf("reconnect: %v", err)
			}
			if _, err := p.reset(); err != nil {
				t.Fatalf("reset after mismatch: %v", err)
			}
			history, trail = history[:0], trail[:0]
			break
		}
	}
	return res
}

// count adds Redis's reply to a command of generator name to the
// DIFF_STATS counts.
func (res *runResult) count(name string, want []byte) {
	st := res.stats[name]
	if st == nil {
		st = &replyStats{}
		res.stats[name] = st
	}
	st.total++
	switch {
	case want[0] == '-':
		st.errors++
	case string(want) == "$-1\r\n" || string(want) == "*-1\r\n":
		st.nils++
	default:
		st.ok++
	}
}

// formatStats renders DIFF_STATS counts, one generator per line.
func formatStats(stats map[string]*replyStats) string {
	names := make([]string, 0, len(stats))
	for name := range stats {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString("Redis replies per generator (total: errors / nil / other):\n")
	for _, name := range names {
		st := stats[name]
		fmt.Fprintf(&b, "  %-12s %5d: %5d / %5d / %5d\n", name, st.total, st.errors, st.nils, st.ok)
	}
	return b.String()
}

// selectGens applies DIFF_ONLY and DIFF_SKIP (comma-separated names of
// commands or of families, e.g. DIFF_ONLY=lists).
func selectGens(t *testing.T) []cmdGen {
	t.Helper()
	only := nameSet(os.Getenv("DIFF_ONLY"))
	skip := nameSet(os.Getenv("DIFF_SKIP"))
	known := map[string]bool{}
	var out []cmdGen
	for _, g := range registry {
		known[g.name], known[g.family] = true, true
		selected := len(only) == 0 || only[g.name] || only[g.family]
		if selected && !skip[g.name] && !skip[g.family] {
			out = append(out, g)
		}
	}
	for name := range only {
		if !known[name] {
			t.Fatalf("DIFF_ONLY: no generator named %q", name)
		}
	}
	for name := range skip {
		if !known[name] {
			t.Fatalf("DIFF_SKIP: no generator named %q", name)
		}
	}
	if len(out) == 0 {
		t.Fatal("DIFF_ONLY/DIFF_SKIP leave no generator")
	}
	return out
}

func nameSet(s string) map[string]bool {
	set := map[string]bool{}
	for _, name := range strings.Split(s, ",") {
		if name = strings.ToLower(strings.TrimSpace(name)); name != "" {
			set[name] = true
		}
	}
	return set
}
