package chaos

import (
	"slices"
	"strings"
)

// checkStaleReads checks every read against what a read at any level
// promises: the value was written (and not by a write that failed), a
// connection never reads older data than it read or wrote before (so it
// reads its own writes), and a transaction's accounts always sum to zero.
// A connection stays on one node, so this is what even a stale read of a
// lagging follower must keep.
func checkStaleReads(v *verdict, ops []*Op) {
	finals := finalValues(ops)
	sets := map[string]map[string]*Op{} // key -> value -> SET
	incrs := map[string][]*Op{}         // key -> INCRs
	for _, o := range ops {
		switch o.Kind {
		case opSet:
			if sets[o.Key] == nil {
				sets[o.Key] = map[string]*Op{}
			}
			sets[o.Key][o.Arg] = o
		case opIncr:
			incrs[o.Key] = append(incrs[o.Key], o)
		}
	}
	byConn := map[int][]*Op{}
	for _, o := range byInvoke(ops) {
		if !o.Final {
			byConn[o.Conn] = append(byConn[o.Conn], o)
		}
	}
	for _, conn := range byConn {
		s := &connState{v: v, sets: sets, incrs: incrs, finals: finals,
			seen: map[string][]*Op{}, count: map[string]int64{}, length: map[string]int{}}
		for _, o := range conn {
			s.observe(o)
		}
	}
	for _, o := range ops {
		if o.Kind == opBalances && o.Outcome == OK {
			var sum int64
			for _, n := range o.Ints {
				sum += n
			}
			if sum != 0 {
				v.violate("op %d (conn %d on %s, %s): balances %v sum to %d, not 0: a transfer was seen half applied", o.ID, o.Conn, o.Node, levelName(o.Level), o.Ints, sum)
			}
		}
	}
}

func levelName(level string) string {
	if level == "" {
		return "default level"
	}
	return level + " level"
}

// connState is what one connection has observed so far.
type connState struct {
	v      *verdict
	sets   map[string]map[string]*Op
	incrs  map[string][]*Op
	finals map[string]*Op
	seen   map[string][]*Op // register key -> SETs whose value it read or wrote
	count  map[string]int64 // counter key -> highest value seen
	length map[string]int   // append key -> longest value seen
}

func (s *connState) observe(o *Op) {
	if o.Outcome != OK {
		return
	}
	switch o.Kind {
	case opSet:
		s.seen[o.Key] = append(s.seen[o.Key], o)
	case opIncr:
		s.count[o.Key] = max(s.count[o.Key], o.Int)
	case opAppend:
		s.length[o.Key] = max(s.length[o.Key], int(o.Int))
	case opGet:
		switch {
		case slices.Contains(registerKeys, o.Key):
			s.readRegister(o)
		case slices.Contains(counterKeys, o.Key):
			s.readCounter(o)
		case slices.Contains(appendKeys, o.Key):
			s.readAppend(o)
		}
	}
}

func (s *connState) where(o *Op) string {
	return "op " + itoa(o.ID) + " (conn " + itoa(o.Conn) + " on " + o.Node + ", " + levelName(o.Level) + ", GET " + o.Key + ")"
}

func (s *connState) readRegister(o *Op) {
	seen := s.seen[o.Key]
	if o.Null {
		if len(seen) > 0 {
			s.v.violate("%s: nil after this connection saw or wrote %q (op %d)", s.where(o), seen[len(seen)-1].Arg, seen[len(seen)-1].ID)
		}
		return
	}
	w := s.sets[o.Key][o.Str]
	switch {
	case w == nil:
		s.v.violate("%s: read %q, which no client wrote", s.where(o), o.Str)
		return
	case w.Outcome == Failed:
		s.v.violate("%s: read %q, written by op %d, which failed with %q", s.where(o), o.Str, w.ID, w.Err)
	case w.Invoke > o.Return:
		s.v.violate("%s: read %q before op %d wrote it", s.where(o), o.Str, w.ID)
	}
	for _, prev := range seen {
		if prev != w && w.returnTime() < prev.Invoke {
			s.v.violate("%s: read %q (op %d) after this connection saw %q (op %d), which was written later: went back in time", s.where(o), o.Str, w.ID, prev.Arg, prev.ID)
			break
		}
	}
	s.seen[o.Key] = append(seen, w)
}

func (s *connState) readCounter(o *Op) {
	n := int64(0)
	if !o.Null {
		var err error
		if n, err = parseInt(o.Str); err != nil {
			s.v.violate("%s: read %q from a counter", s.where(o), o.Str)
			return
		}
	}
	if n < s.count[o.Key] {
		s.v.violate("%s: read %d after this connection saw or made %d: went back in time", s.where(o), n, s.count[o.Key])
	}
	sent := int64(0)
	for _, w := range s.incrs[o.Key] {
		if w.Invoke < o.Return && w.Outcome != Failed {
			sent++
		}
	}
	if n > sent {
		s.v.violate("%s: read %d, but only %d INCRs that did not fail had been sent", s.where(o), n, sent)
	}
	s.count[o.Key] = max(s.count[o.Key], n)
}

func (s *connState) readAppend(o *Op) {
	if len(o.Str) < s.length[o.Key] {
		s.v.violate("%s: read %d bytes after this connection saw or made %d: went back in time", s.where(o), len(o.Str), s.length[o.Key])
	}
	if f := s.finals[o.Key]; f != nil && !strings.HasPrefix(f.Str, o.Str) {
		s.v.violate("%s: read %q, which is not a prefix of the final value %q", s.where(o), o.Str, f.Str)
	}
	s.length[o.Key] = max(s.length[o.Key], len(o.Str))
}

// finalValues are the final reads of the string keys, by key.
func finalValues(ops []*Op) map[string]*Op {
	m := map[string]*Op{}
	for _, o := range ops {
		if o.Final && o.Kind == opGet && o.Outcome == OK {
			m[o.Key] = o
		}
	}
	return m
}
