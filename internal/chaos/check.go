package chaos

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"
)

// verdict is what the checker concluded about a history.
type verdict struct {
	// Violations break a promise; each says what and where.
	Violations []string
	// Inconclusive names the linearizability checks that ran out of time.
	Inconclusive []string
	// Visualizations are the porcupine HTML files written for failed keys.
	Visualizations []string
}

func (v *verdict) violate(format string, args ...any) {
	v.Violations = append(v.Violations, fmt.Sprintf(format, args...))
}

func (v *verdict) ok() bool { return len(v.Violations) == 0 }

// check runs every check on a finished history (the final reads included).
// Porcupine visualizations of failed keys go to dir when it is not empty.
func check(ops []*Op, dir string, timeout time.Duration) *verdict {
	v := &verdict{}
	end := int64(0)
	for _, o := range ops {
		end = max(end, o.Return)
	}
	end += int64(time.Second)
	for _, key := range stringKeys() {
		checkLinearizable(v, "key "+key, stringModel, stringOps(ops, key, end), dir, timeout)
	}
	if bank := bankOps(ops, end); len(bank) > 0 {
		checkLinearizable(v, "accounts", bankModel, bank, dir, timeout)
	}
	checkStaleReads(v, ops)
	checkFinal(v, ops)
	return v
}

// checkLinearizable runs porcupine on one partition of the history.
func checkLinearizable(v *verdict, name string, model porcupine.Model, hist []porcupine.Operation, dir string, timeout time.Duration) {
	res, info := porcupine.CheckOperationsVerbose(model, hist, timeout)
	switch res {
	case porcupine.Ok:
		return
	case porcupine.Unknown:
		v.Inconclusive = append(v.Inconclusive, fmt.Sprintf("%s: %d operations, not decided within %v", name, len(hist), timeout))
		return
	}
	v.violate("%s: the history of its %d writes and fresh reads is not linearizable", name, len(hist))
	if dir == "" {
		return
	}
	path := filepath.Join(dir, "linearizability-"+sanitize(name)+".html")
	if err := porcupine.VisualizePath(model, info, path); err == nil {
		v.Visualizations = append(v.Visualizations, path)
	}
}

func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			b[i] = '-'
		}
	}
	return string(b)
}

// clientIDs numbers connections densely, in order of appearance, for
// porcupine's visualization.
type clientIDs map[int]int

func (c clientIDs) of(conn int) int {
	if id, ok := c[conn]; ok {
		return id
	}
	c[conn] = len(c)
	return c[conn]
}

// inPorcupine reports whether o enters the linearizability check: writes
// that may have been applied, and reads that returned a value at a fresh
// level or after the run.
func inPorcupine(o *Op) bool {
	switch o.Kind {
	case opGet, opBalances:
		return o.Outcome == OK && (fresh(o.Level) || o.Final)
	case opSet, opIncr, opAppend, opTransfer:
		return o.Outcome != Failed
	}
	return false
}

// ret is o's return time for porcupine: end for an unknown outcome.
func ret(o *Op, end int64) int64 {
	if o.Outcome == Unknown {
		return end
	}
	return o.Return
}

func stringOps(ops []*Op, key string, end int64) []porcupine.Operation {
	ids := clientIDs{}
	var out []porcupine.Operation
	for _, o := range ops {
		if o.Key != key || !inPorcupine(o) {
			continue
		}
		out = append(out, porcupine.Operation{
			ClientId: ids.of(o.Conn),
			Input:    strInput{Kind: o.Kind, Arg: o.Arg},
			Call:     o.Invoke,
			Output:   strOutput{Unknown: o.Outcome == Unknown, Null: o.Null, Str: o.Str, Int: o.Int},
			Return:   ret(o, end),
			Metadata: o.ID,
		})
	}
	return out
}

func bankOps(ops []*Op, end int64) []porcupine.Operation {
	ids := clientIDs{}
	var out []porcupine.Operation
	for _, o := range ops {
		if (o.Kind != opTransfer && o.Kind != opBalances) || !inPorcupine(o) {
			continue
		}
		in := bankInput{Kind: o.Kind}
		if o.Kind == opTransfer {
			in.From, in.To, in.Amount = slices.Index(accountKeys, o.Keys[0]), slices.Index(accountKeys, o.Keys[1]), o.Amount
		}
		out = append(out, porcupine.Operation{
			ClientId: ids.of(o.Conn),
			Input:    in,
			Call:     o.Invoke,
			Output:   bankOutput{Unknown: o.Outcome == Unknown, Ints: o.Ints},
			Return:   ret(o, end),
			Metadata: o.ID,
		})
	}
	return out
}

// byInvoke sorts operations by invocation time.
func byInvoke(ops []*Op) []*Op {
	s := append([]*Op(nil), ops...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].Invoke < s[j].Invoke })
	return s
}
