package chaos

import (
	"strconv"
	"strings"
)

// The final reads of collections (after the run, on the healed cluster).
const (
	opMembers = "smembers" // SMEMBERS s0
	opRange   = "lrange"   // LRANGE l0 0 -1
)

// checkFinal checks the healed cluster's data against every write: each
// acknowledged write is there once, each write that failed is not, and
// nothing is there that no client wrote; order where the clients' timing
// fixes it.
func checkFinal(v *verdict, ops []*Op) {
	var members, elems *Op
	for _, o := range ops {
		if o.Final && o.Kind == opMembers {
			members = o
		}
		if o.Final && o.Kind == opRange {
			elems = o
		}
	}
	if members != nil {
		checkElements(v, "set "+setKey, writesOf(ops, opSAdd), members.Strs, unordered)
	}
	if elems != nil {
		checkElements(v, "list "+listKey, writesOf(ops, opLPush), elems.Strs, newestFirst)
	}
	finals := finalValues(ops)
	for _, key := range appendKeys {
		if f := finals[key]; f != nil {
			checkElements(v, "appended value of "+key, appendsTo(ops, key), strings.Split(strings.TrimSuffix(f.Str, ","), ","), newestLast)
		}
	}
	for _, key := range counterKeys {
		if f := finals[key]; f != nil {
			checkCounter(v, key, f, ops)
		}
	}
	for _, key := range registerKeys {
		if f := finals[key]; f != nil {
			checkRegister(v, key, f, ops)
		}
	}
	for _, o := range ops {
		if o.Kind == opSAdd && o.Outcome == OK && o.Int != 1 {
			v.violate("op %d: SADD %s %s of a new element answered %d, not 1: applied twice?", o.ID, o.Key, o.Arg, o.Int)
		}
	}
}

// writesOf are the operations of kind, whose Arg is the element written.
func writesOf(ops []*Op, kind string) []*Op {
	var out []*Op
	for _, o := range ops {
		if o.Kind == kind {
			out = append(out, o)
		}
	}
	return out
}

// appendsTo are the APPENDs to key with their token (Arg less its comma).
func appendsTo(ops []*Op, key string) []*Op {
	var out []*Op
	for _, o := range ops {
		if o.Kind == opAppend && o.Key == key {
			c := *o
			c.Arg = strings.TrimSuffix(o.Arg, ",")
			out = append(out, &c)
		}
	}
	return out
}

// order is where a collection keeps its newest element.
type order int

const (
	unordered   order = iota // a set
	newestFirst              // LPUSH
	newestLast               // APPEND
)

// checkElements checks the elements found (in their order) against the
// writes that added them.
func checkElements(v *verdict, what string, writes []*Op, found []string, ord order) {
	if len(found) == 1 && found[0] == "" {
		found = nil
	}
	pos := map[string]int{}
	for i, e := range found {
		if j, dup := pos[e]; dup {
			v.violate("%s: element %s at %d and %d: applied twice", what, e, j, i)
		}
		pos[e] = i
	}
	byArg := map[string]*Op{}
	for _, w := range writes {
		byArg[w.Arg] = w
		_, there := pos[w.Arg]
		switch {
		case w.Outcome == OK && !there:
			v.violate("%s: op %d (conn %d on %s) added %s and was acknowledged, but it is gone", what, w.ID, w.Conn, w.Node, w.Arg)
		case w.Outcome == Failed && there:
			v.violate("%s: op %d (conn %d on %s) failed with %q, but %s is there", what, w.ID, w.Conn, w.Node, w.Err, w.Arg)
		}
	}
	for _, e := range found {
		if byArg[e] == nil {
			v.violate("%s: element %q was never written", what, e)
		}
	}
	if ord != unordered {
		checkOrder(v, what, writes, pos, ord == newestFirst)
	}
}

// checkOrder: of two acknowledged writes where one returned before the
// other was sent, the later one is nearer the newest end.
func checkOrder(v *verdict, what string, writes []*Op, pos map[string]int, headFirst bool) {
	var acked []*Op
	for _, w := range writes {
		if _, there := pos[w.Arg]; there && w.Outcome == OK {
			acked = append(acked, w)
		}
	}
	for _, a := range acked {
		for _, b := range acked {
			if a.Return >= b.Invoke {
				continue
			}
			newerFirst := pos[b.Arg] < pos[a.Arg]
			if newerFirst != headFirst {
				v.violate("%s: op %d (%s) finished before op %d (%s) began, but their elements are in the other order", what, a.ID, a.Arg, b.ID, b.Arg)
				return
			}
		}
	}
}

// checkCounter: the final count lies between the acknowledged INCRs and
// those that may have been applied.
func checkCounter(v *verdict, key string, f *Op, ops []*Op) {
	n := int64(0)
	if !f.Null {
		var err error
		if n, err = parseInt(f.Str); err != nil {
			v.violate("counter %s ends as %q", key, f.Str)
			return
		}
	}
	var acked, maybe int64
	for _, o := range ops {
		if o.Kind == opIncr && o.Key == key {
			switch o.Outcome {
			case OK:
				acked++
			case Unknown:
				maybe++
			}
		}
	}
	if n < acked || n > acked+maybe {
		v.violate("counter %s ends at %d; %d INCRs were acknowledged and %d more may have been applied", key, n, acked, maybe)
	}
}

// checkRegister: the final value was written by a SET that did not fail,
// and is there if any SET was acknowledged.
func checkRegister(v *verdict, key string, f *Op, ops []*Op) {
	var acked bool
	for _, o := range ops {
		if o.Kind != opSet || o.Key != key {
			continue
		}
		acked = acked || o.Outcome == OK
		if !f.Null && o.Arg == f.Str {
			if o.Outcome == Failed {
				v.violate("register %s ends as %q, written by op %d, which failed with %q", key, f.Str, o.ID, o.Err)
			}
			return
		}
	}
	if !f.Null {
		v.violate("register %s ends as %q, which no client wrote", key, f.Str)
	} else if acked {
		v.violate("register %s ends as nil, though SETs were acknowledged", key)
	}
}

func parseInt(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }

func itoa(n int) string { return strconv.Itoa(n) }
