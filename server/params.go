package server

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/raftis/raftis/fsm"
)

// The CONFIG parameters. As in Redis they are node-local: CONFIG SET on
// one node changes that node only. The encoding limits live in fsm (they
// change how collections growing from now on are stored, never what
// commands reply); the rest of what can change at runtime is in
// runtimeParams. A parameter that cannot change while raftis runs (its
// address, the number of databases, persistence, which is Raft's) answers
// Redis's error for an immutable config.

// settable is everything CONFIG SET can change, as one value: SET works on
// a copy and installs it only once every pair has parsed, so a failing
// CONFIG SET changes nothing.
type settable struct {
	limits          fsm.Limits
	maxMemory       uint64
	maxMemoryPolicy string
	maxClients      int64
	protoMaxBulkLen int64
	timeout         int64 // seconds
	outputLimits    [3]outputLimit
	readLevel       readLevel
}

// runtimeParams holds the settable values the server reads (fsm holds the
// limits).
type runtimeParams struct {
	maxMemory       atomic.Uint64
	maxMemoryPolicy atomic.Pointer[string]
	maxClients      atomic.Int64
	protoMaxBulkLen atomic.Int64
	timeout         atomic.Int64                   // seconds
	outputLimits    atomic.Pointer[[3]outputLimit] // [0], normal, is read before every flush
	readLevel       atomic.Uint32                  // a new connection's read consistency
}

func (p *runtimeParams) init(cfg Config) {
	policy := "noeviction"
	p.maxMemoryPolicy.Store(&policy)
	p.maxClients.Store(10000)
	p.protoMaxBulkLen.Store(cfg.ProtoMaxBulkLen)
	p.maxMemory.Store(cfg.MaxMemory)
	limits := defaultOutputLimits
	p.outputLimits.Store(&limits)
	level, _ := parseReadLevel(cfg.ReadConsistency)
	p.readLevel.Store(uint32(level))
}

func (s *Server) currentSettable() settable {
	return settable{
		limits:          s.data.Limits(),
		maxMemory:       s.params.maxMemory.Load(),
		maxMemoryPolicy: *s.params.maxMemoryPolicy.Load(),
		maxClients:      s.params.maxClients.Load(),
		protoMaxBulkLen: s.params.protoMaxBulkLen.Load(),
		timeout:         s.params.timeout.Load(),
		outputLimits:    *s.params.outputLimits.Load(),
		readLevel:       readLevel(s.params.readLevel.Load()),
	}
}

// install makes st the configuration in force. proto-max-bulk-len applies
// to every request whose bulk lengths are read from now on.
func (s *Server) install(st settable) {
	if st.limits != s.data.Limits() {
		s.data.SetLimits(st.limits)
	}
	s.params.maxMemory.Store(st.maxMemory)
	s.params.maxMemoryPolicy.Store(&st.maxMemoryPolicy)
	s.params.maxClients.Store(st.maxClients)
	s.params.timeout.Store(st.timeout)
	s.params.outputLimits.Store(&st.outputLimits)
	s.params.readLevel.Store(uint32(st.readLevel))
	if st.protoMaxBulkLen != s.params.protoMaxBulkLen.Load() {
		s.params.protoMaxBulkLen.Store(st.protoMaxBulkLen)
		if s.resp != nil {
			s.resp.SetProtoMaxBulkLen(st.protoMaxBulkLen)
		}
	}
}

// param is one CONFIG parameter.
type param struct {
	name  string
	alias string // the older name Redis still accepts (and lists)
	get   func(s *Server, st *settable) string
	// set parses value into st and returns Redis's error text if it does
	// not parse. nil: the parameter cannot change at runtime.
	set func(st *settable, value []byte) string
}

// paramName is one name a parameter answers to: its name or its alias,
// each a parameter of its own for CONFIG GET patterns and error texts.
type paramName struct {
	name string
	p    *param
}

var params = []*param{
	{name: "appendfsync", get: constant("always")}, // every write is in a quorum's log on disk before its reply
	{name: "appendonly", get: constant("yes")},
	outputLimitParam,
	{name: "bind", get: func(s *Server, _ *settable) string { host, _ := splitHostPort(s.cfg.RedisAddr); return host }},
	{name: "databases", get: constant(strconv.Itoa(fsm.NumDatabases))},
	limitParam("hash-max-listpack-entries", "hash-max-ziplist-entries", false, func(l *fsm.Limits) *int64 { return &l.HashMaxListpackEntries }),
	limitParam("hash-max-listpack-value", "hash-max-ziplist-value", true, func(l *fsm.Limits) *int64 { return &l.HashMaxListpackValue }),
	{name: "list-max-listpack-size", alias: "list-max-ziplist-size",
		get: func(_ *Server, st *settable) string { return strconv.FormatInt(st.limits.ListMaxListpackSize, 10) },
		set: func(st *settable, v []byte) string {
			n, errText := parseSigned(v, false, math.MinInt32, math.MaxInt32)
			st.limits.ListMaxListpackSize = n
			return errText
		}},
	{name: "maxclients",
		get: func(_ *Server, st *settable) string { return strconv.FormatInt(st.maxClients, 10) },
		set: func(st *settable, v []byte) string {
			n, errText := parseUnsigned(v, false, 1, math.MaxUint32)
			st.maxClients = int64(n)
			return errText
		}},
	{name: "maxmemory",
		get: func(_ *Server, st *settable) string { return strconv.FormatUint(st.maxMemory, 10) },
		set: func(st *settable, v []byte) string {
			n, errText := parseUnsigned(v, true, 0, math.MaxUint64)
			st.maxMemory = n
			return errText
		}},
	{name: "maxmemory-policy",
		get: func(_ *Server, st *settable) string { return st.maxMemoryPolicy },
		set: func(st *settable, v []byte) string {
			for _, p := range maxMemoryPolicies {
				if strings.EqualFold(string(v), p) {
					st.maxMemoryPolicy = p
					return ""
				}
			}
			return "argument(s) must be one of the following: " + strings.Join(maxMemoryPolicies, ", ")
		}},
	{name: "port", get: func(s *Server, _ *settable) string { _, port := splitHostPort(s.cfg.RedisAddr); return port }},
	{name: "proto-max-bulk-len",
		get: func(_ *Server, st *settable) string { return strconv.FormatInt(st.protoMaxBulkLen, 10) },
		set: func(st *settable, v []byte) string {
			n, errText := parseSigned(v, true, 1<<20, math.MaxInt64)
			st.protoMaxBulkLen = n
			return errText
		}},
	// raftis's own: the read level of connections opened from now on
	// (--read-consistency; RAFT CONSISTENCY changes one connection's).
	{name: "read-consistency",
		get: func(_ *Server, st *settable) string { return st.readLevel.String() },
		set: func(st *settable, v []byte) string {
			l, ok := parseReadLevel(string(v))
			if !ok {
				return "argument(s) must be one of the following: " + strings.Join(readLevelNames[:], ", ")
			}
			st.readLevel = l
			return ""
		}},
	{name: "replica-read-only", alias: "slave-read-only", get: func(s *Server, _ *settable) string {
		return yesNo(s.cfg.FollowerWrites == FollowerWritesReject)
	}},
	{name: "replica-serve-stale-data", alias: "slave-serve-stale-data", get: func(s *Server, _ *settable) string {
		return yesNo(s.cfg.MaxStaleness == 0)
	}},
	{name: "save", get: constant("")}, // snapshots follow Raft's thresholds
	limitParam("set-max-intset-entries", "", false, func(l *fsm.Limits) *int64 { return &l.SetMaxIntsetEntries }),
	limitParam("zset-max-listpack-entries", "zset-max-ziplist-entries", false, func(l *fsm.Limits) *int64 { return &l.ZSetMaxListpackEntries }),
	timeoutParam,
	limitParam("zset-max-listpack-value", "zset-max-ziplist-value", true, func(l *fsm.Limits) *int64 { return &l.ZSetMaxListpackValue }),
}

// maxMemoryPolicies are the eviction policies, in Redis's order (its error
// text lists them so).
var maxMemoryPolicies = []string{
	"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
	"allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction",
}

// paramNames are every name and alias, in name order.
var paramNames = func() []paramName {
	var out []paramName
	for _, p := range params {
		out = append(out, paramName{p.name, p})
		if p.alias != "" {
			out = append(out, paramName{p.alias, p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}()

// lookupParam finds a parameter name, case-insensitively.
func lookupParam(name []byte) (paramName, bool) {
	for _, pn := range paramNames {
		if strings.EqualFold(pn.name, string(name)) {
			return pn, true
		}
	}
	return paramName{}, false
}

// limitParam is an encoding limit: a size (0 to 2^63-1) Redis parses as an
// integer, or with memory units for the *-value ones.
func limitParam(name, alias string, memory bool, field func(*fsm.Limits) *int64) *param {
	return &param{
		name: name, alias: alias,
		get: func(_ *Server, st *settable) string { return strconv.FormatInt(*field(&st.limits), 10) },
		set: func(st *settable, v []byte) string {
			n, errText := parseUnsigned(v, memory, 0, math.MaxInt64)
			*field(&st.limits) = int64(n)
			return errText
		},
	}
}

func constant(v string) func(*Server, *settable) string {
	return func(*Server, *settable) string { return v }
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
