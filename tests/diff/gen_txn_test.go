package diff

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/raftis/raftis/fsm"
	"github.com/raftis/raftis/internal/resp"
)

// The transactions family: each generator draws a short sequence (MULTI,
// commands of the other families, EXEC or DISCARD; WATCH with commands of
// a second connection in between; the errors Redis gives around them),
// and every reply is compared. EXEC's array is compared reply by reply,
// each with the comparer of the command that produced it.
func init() {
	register("txn",
		cmdGen{name: "multi-exec", weight: 6, seq: genMultiExec},
		cmdGen{name: "watch-exec", weight: 8, seq: genWatchExec},
		cmdGen{name: "txn-errors", weight: 4, seq: genTxnErrors},
		cmdGen{name: "txn-select", weight: 2, seq: genTxnSelect},
		cmdGen{name: "txn-blocking", weight: 2, seq: genTxnBlocking},
		cmdGen{name: "txn-reads", weight: 3, seq: genTxnReads},
		cmdGen{name: "txn-pipeline", weight: 2, seq: genTxnPipeline},
	)
	// FLUSHDB and FLUSHALL fail a WATCH only of the keys they remove.
	knownCases = append(knownCases,
		knownCase{name: "watch across a flush", cmds: cmds(
			"SET x v", "WATCH k", "FLUSHDB", "MULTI", "SET done 1", "EXEC",
			"SET k v", "WATCH k", "FLUSHDB", "MULTI", "SET done 2", "EXEC",
			"WATCH k", "SET k v", "DEL k", "SET y v", "FLUSHALL", "MULTI", "SET done 3", "EXEC",
			"SELECT 2", "SET k v", "SELECT 0", "WATCH k", "FLUSHALL", "MULTI", "SET done 4", "EXEC", "GET done",
			"WATCH k", "SET x v", "FLUSHDB", "MULTI", "SET done 5", "EXEC",
			"SET k v", "WATCH k", "SET x w", "FLUSHDB", "MULTI", "SET done 6", "EXEC", "GET done",
		)},
	)
}

// The commands transactions are made of: every other family's, but for
// the commands whose comparers send commands of their own (cmdGen.queries:
// the SCAN family, RANDOMKEY, the random picks, DUMP, SORT, OBJECT; and
// the HyperLogLog family), which cannot check a reply that an EXEC
// returned after later commands changed the data, nor one of the second
// connection, which may be in another database.
var (
	poolOnce        sync.Once
	allPool, rdPool *picker
)

func pools() (all, reads *picker) {
	poolOnce.Do(func() {
		var gens, readGens []cmdGen
		for _, g := range registry {
			if g.gen == nil || g.family == "txn" || g.family == "hll" || g.queries {
				continue
			}
			gens = append(gens, g)
			if dc := fsm.Lookup([]byte(g.name)); dc != nil && dc.Flags&fsm.FlagReadonly != 0 {
				readGens = append(readGens, g)
			}
		}
		allPool, rdPool = newPicker(gens), newPicker(readGens)
	})
	return allPool, rdPool
}

// inner draws a command of another family, mutated now and then as any
// command is (wrong arity, name case).
func inner(r *rand.Rand, pk *picker, keys []string, conn int) step {
	g := pk.pick(r)
	return step{conn: conn, cmd: mutate(r, g.gen(r, keys)), cmp: g.cmp}
}

func inners(r *rand.Rand, pk *picker, keys []string, lo, hi int) []step {
	n := lo + r.IntN(hi-lo+1)
	out := make([]step, n)
	for i := range out {
		out[i] = inner(r, pk, keys, 0)
	}
	return out
}

// queued is MULTI, cmds (whose replies are +QUEUED or an error, compared
// exactly) and EXEC, whose array is compared with the comparers of the
// commands that were queued (MULTI and WATCH inside MULTI are refused
// without aborting the transaction: they have no place in the array).
func queued(r *rand.Rand, cmds []step, tolerateAbort bool) []step {
	out := []step{{cmd: []string{kw(r, "MULTI")}}}
	var inArray []step
	for _, c := range cmds {
		out = append(out, step{cmd: c.cmd})
		if !(strings.EqualFold(c.cmd[0], "multi") && len(c.cmd) == 1) && !(strings.EqualFold(c.cmd[0], "watch") && len(c.cmd) > 1) {
			inArray = append(inArray, c)
		}
	}
	return append(out, step{cmd: []string{kw(r, "EXEC")}, cmp: execCompare(inArray, tolerateAbort)})
}

// MULTI, up to five commands, EXEC (or DISCARD).
func genMultiExec(r *rand.Rand, keys []string) []step {
	all, _ := pools()
	cmds := inners(r, all, keys, 0, 5)
	if chance(r, 1, 10) {
		seq := queued(r, cmds, false)
		seq[len(seq)-1] = step{cmd: []string{kw(r, "DISCARD")}}
		return append(seq, step{cmd: []string{"EXEC"}})
	}
	return queued(r, cmds, false)
}

// WATCH, commands of this connection and of a second one, then a
// transaction. Redis aborts it (null array) if a watched key was touched.
func genWatchExec(r *rand.Rand, keys []string) []step {
	all, _ := pools()
	seq := inners(r, all, keys, 0, 2)
	watched := keys
	if chance(r, 1, 2) {
		watched = keys[:3] // fewer keys: more conflicts
	}
	seq = append(seq, step{cmd: append([]string{kw(r, "WATCH")}, randKeys(r, watched, 1, 3)...)})
	if chance(r, 1, 6) {
		seq = append(seq, step{cmd: append([]string{"WATCH"}, randKeys(r, keys, 1, 2)...)})
	}
	swapped := false
	for range r.IntN(4) {
		st := inner(r, all, watched, r.IntN(2))
		swapped = swapped || swaps(st.cmd)
		seq = append(seq, st)
	}
	if chance(r, 1, 10) {
		seq = append(seq, step{cmd: []string{kw(r, "UNWATCH")}})
	}
	return append(seq, queued(r, inners(r, all, keys, 0, 4), swapped)...)
}

// swaps reports whether cmd is SWAPDB. After one, raftis fails a WATCH
// of a key that did not exist even when Redis runs the transaction
// (docs/DESIGN.md, Transactions): the one difference execCompare
// tolerates. (FLUSHDB and FLUSHALL of databases as small as these decide
// every guard as Redis does.)
func swaps(cmd []string) bool { return strings.EqualFold(cmd[0], "SWAPDB") }

// The errors around transactions: refused while queueing (EXECABORT),
// nested MULTI, WATCH inside MULTI, EXEC and DISCARD without MULTI or
// with arguments, RESET inside MULTI.
func genTxnErrors(r *rand.Rand, keys []string) []step {
	all, _ := pools()
	before, after := inners(r, all, keys, 0, 2), inners(r, all, keys, 0, 2)
	var bad []string
	switch r.IntN(12) {
	case 0:
		bad = []string{"NOSUCHCOMMAND", randKey(r, keys)}
	case 1:
		bad = []string{"GET"}
	case 2:
		bad = []string{"SET", randKey(r, keys)}
	case 3:
		bad = []string{"MULTI"}
	case 4:
		bad = []string{"WATCH", randKey(r, keys)}
	case 5:
		bad = []string{"DISCARD", "x"}
	case 6:
		bad = []string{"MULTI", "x"}
	case 7:
		bad = []string{"CLIENT", "NOPE"}
	case 8:
		bad = []string{"CONFIG"}
	case 9:
		// EXEC with arguments aborts the transaction at once.
		return append(append([]step{{cmd: []string{"MULTI"}}}, before...),
			step{cmd: []string{"EXEC", "x"}}, step{cmd: []string{"EXEC"}})
	case 10:
		// Outside MULTI; EXEC with arguments also forgets WATCHed keys.
		return []step{{cmd: []string{"EXEC"}}, {cmd: []string{"DISCARD"}}, {cmd: []string{"WATCH", randKey(r, keys)}},
			inner(r, all, keys, 1), {cmd: []string{"EXEC", "x"}}, {cmd: []string{"MULTI"}}, {cmd: []string{"EXEC"}},
			{cmd: []string{"WATCH"}}, {cmd: []string{"UNWATCH", "x"}}, {cmd: []string{"MULTI", "x"}}, {cmd: []string{"EXEC"}}}
	default:
		// RESET leaves the transaction (and the database) at once.
		seq := append([]step{{cmd: []string{"MULTI"}}}, before...)
		return append(seq, step{cmd: []string{"RESET"}}, step{cmd: []string{"EXEC"}})
	}
	cmds := append(append(before, step{cmd: bad}), after...)
	return queued(r, cmds, false)
}

// SELECT inside MULTI: the commands queued after it run in its database,
// and the connection stays there after EXEC.
func genTxnSelect(r *rand.Rand, keys []string) []step {
	all, _ := pools()
	cmds := inners(r, all, keys, 0, 2)
	cmds = append(cmds, step{cmd: []string{"SELECT", randDB(r)}})
	cmds = append(cmds, inners(r, all, keys, 1, 3)...)
	if chance(r, 1, 2) {
		cmds = append(cmds, step{cmd: []string{"SELECT", randDB(r)}})
		cmds = append(cmds, inners(r, all, keys, 0, 2)...)
	}
	seq := queued(r, cmds, false)
	return append(seq, step{cmd: []string{"DBSIZE"}}, step{cmd: []string{"GET", randKey(r, keys)}})
}

// Blocking commands inside MULTI do not block: they pop or reply null,
// whatever their timeout (0 included).
func genTxnBlocking(r *rand.Rand, keys []string) []step {
	all, _ := pools()
	var cmds []step
	for range 1 + r.IntN(3) {
		switch r.IntN(6) {
		case 0:
			cmds = append(cmds, step{cmd: append(append([]string{"BLPOP"}, randKeys(r, keys, 1, 2)...), "0")})
		case 1:
			cmds = append(cmds, step{cmd: append(append([]string{"BRPOP"}, randKeys(r, keys, 1, 2)...), "0")})
		case 2:
			cmds = append(cmds, step{cmd: []string{"BLMOVE", randKey(r, keys), randKey(r, keys), randDirection(r), randDirection(r), "0"}})
		case 3:
			cmds = append(cmds, step{cmd: []string{"BRPOPLPUSH", randKey(r, keys), randKey(r, keys), "0"}})
		case 4:
			cmds = append(cmds, step{cmd: []string{"BLMPOP", "0", "1", randKey(r, keys), randDirection(r)}})
		default:
			cmds = append(cmds, step{cmd: []string{"RPUSH", randKey(r, keys), randListElement(r)}})
		}
		cmds = append(cmds, inners(r, all, keys, 0, 1)...)
	}
	return queued(r, cmds, false)
}

// A transaction of reads, WATCHing or not: raftis runs it on the node it
// was sent to, without the log.
func genTxnReads(r *rand.Rand, keys []string) []step {
	all, reads := pools()
	var seq []step
	if chance(r, 1, 2) {
		seq = append(seq, step{cmd: append([]string{"WATCH"}, randKeys(r, keys[:3], 1, 2)...)})
		for range r.IntN(3) {
			seq = append(seq, inner(r, all, keys[:3], r.IntN(2)))
		}
	}
	swapped := slices.ContainsFunc(seq, func(s step) bool { return swaps(s.cmd) })
	return append(seq, queued(r, inners(r, reads, keys, 1, 4), swapped)...)
}

// A transaction sent in one write, as client libraries pipeline it: all
// its replies are read afterwards.
func genTxnPipeline(r *rand.Rand, keys []string) []step {
	all, _ := pools()
	seq := genMultiExec(r, keys)
	if chance(r, 1, 2) {
		seq = append(inners(r, all, keys, 1, 3), seq...)
	}
	for i := range seq {
		seq[i].pipe = true
	}
	return seq
}

// execCompare compares EXEC's replies: two arrays of the same length are
// compared element by element, each with the comparer of the queued
// command that produced it; anything else (EXECABORT, the null array, an
// error) exactly. tolerateAbort accepts raftis's null array where Redis
// ran the transaction, after a SWAPDB between WATCH and EXEC; both
// servers are then emptied, since their data now differs.
func execCompare(cmds []step, tolerateAbort bool) comparer {
	return func(p *pair, _ []string, want, got []byte) string {
		if tolerateAbort && string(got) == "*-1\r\n" && want[0] == '*' && string(want) != "*-1\r\n" {
			if _, err := p.reset(); err != nil {
				return "reset after a tolerated abort: " + err.Error()
			}
			return ""
		}
		w, okw := arrayElements(want)
		g, okg := arrayElements(got)
		if !okw || !okg || len(w) != len(g) || len(w) != len(cmds) {
			return exactCompare(want, got)
		}
		for i := range w {
			if why := compare(cmds[i].cmp, p, cmds[i].cmd, w[i], g[i]); why != "" {
				return fmt.Sprintf("reply %d, to %s: %s", i+1, quoteCmd(cmds[i].cmd, 40), why)
			}
		}
		return ""
	}
}

// arrayElements splits an array reply into the raw bytes of its
// elements; ok is false for anything else, the null array included.
func arrayElements(raw []byte) (elems [][]byte, ok bool) {
	header, rest, found := bytes.Cut(raw, []byte("\r\n"))
	if !found || len(header) < 2 || header[0] != '*' {
		return nil, false
	}
	n, err := strconv.Atoi(string(header[1:]))
	if err != nil || n < 0 {
		return nil, false
	}
	rd := resp.NewReader(bytes.NewReader(rest), len(rest)+1)
	for range n {
		e, err := rd.ReadReply()
		if err != nil {
			return nil, false
		}
		elems = append(elems, e)
	}
	return elems, true
}
