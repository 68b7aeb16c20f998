package server

import (
	"bytes"
	"strings"

	"github.com/raftis/raftis/fsm"
)

// CONFIG GET parameter [parameter ...]
//
// A name without glob characters is looked up (case-insensitively) and
// answered under the name as given; a pattern matches every name and
// alias. A parameter is listed once, under the first name that found it.
// Redis's order is its hash table's; raftis answers in the order found.
func cmdConfigGet(s *Server, c *call) {
	st := s.currentSettable()
	var names []string
	var found []*param
	seen := map[string]bool{}
	add := func(name string, p *param) {
		if key := strings.ToLower(name); !seen[key] {
			seen[key] = true
			names = append(names, name)
			found = append(found, p)
		}
	}
	for _, arg := range c.args[2:] {
		if !bytes.ContainsAny(arg, "[*?") {
			if pn, ok := lookupParam(arg); ok {
				add(string(arg), pn.p)
			}
			continue
		}
		for _, pn := range paramNames {
			if fsm.MatchPattern(arg, []byte(pn.name), true) {
				add(pn.name, pn.p)
			}
		}
	}
	c.conn.WriteArray(2 * len(names))
	for i, name := range names {
		c.conn.WriteBulkString(name)
		c.conn.WriteBulkString(found[i].get(s, &st))
	}
}

// CONFIG SET parameter value [parameter value ...]
//
// As Redis 7.0: every name is checked first (unknown, immutable, given
// twice: the first problem is the answer), then every value is parsed in
// order into a copy of the settings; only if all parse is the copy
// installed. A name and its alias are different parameters here, as in
// Redis: the later value wins.
func cmdConfigSet(s *Server, c *call) {
	if len(c.args)%2 != 0 {
		c.conn.WriteError(fsm.ErrSyntax)
		return
	}
	pairs := c.args[2:]
	names := make([]paramName, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		arg := pairs[i]
		pn, ok := lookupParam(arg)
		switch {
		case !ok:
			c.conn.WriteError("ERR Unknown option or number of arguments for CONFIG SET - '" + string(arg) + "'")
			return
		case pn.p.set == nil:
			c.conn.WriteError(configSetFailed(string(arg), "can't set immutable config"))
			return
		case containsName(names, pn.name):
			c.conn.WriteError(configSetFailed(string(arg), "duplicate parameter"))
			return
		}
		names = append(names, pn)
	}
	s.configMu.Lock()
	defer s.configMu.Unlock()
	st := s.currentSettable()
	for i, pn := range names {
		if errText := pn.p.set(&st, pairs[2*i+1]); errText != "" {
			c.conn.WriteError(configSetFailed(pn.name, errText))
			return
		}
	}
	s.install(st)
	c.conn.WriteString("OK")
}

func containsName(names []paramName, name string) bool {
	for _, pn := range names {
		if pn.name == name {
			return true
		}
	}
	return false
}

func configSetFailed(arg, why string) string {
	return "ERR CONFIG SET failed (possibly related to argument '" + arg + "') - " + why
}

// CONFIG RESETSTAT
func cmdConfigResetStat(s *Server, c *call) {
	s.resetStats()
	c.conn.WriteString("OK")
}

// CONFIG REWRITE: raftis takes its settings from flags and the
// environment, never from a file, which is what Redis answers then.
func cmdConfigRewrite(_ *Server, c *call) {
	c.conn.WriteError("ERR The server is running without a config file")
}
