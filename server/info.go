package server

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"
)

// infoSections are INFO's sections in Redis's order, then raftis's own.
// INFO without arguments (or "default") prints the default ones; "all" and
// "everything" print every one (commandstats is not a default section).
var infoSections = []struct {
	name       string
	notDefault bool
}{
	{name: "server"}, {name: "clients"}, {name: "memory"}, {name: "persistence"}, {name: "stats"},
	{name: "replication"}, {name: "cpu"}, {name: "commandstats", notDefault: true}, {name: "errorstats"},
	{name: "keyspace"}, {name: "raft"},
}

// INFO [section ...]
func cmdInfo(s *Server, c *call) {
	want := map[string]bool{}
	for _, a := range c.args[1:] {
		want[strings.ToLower(string(a))] = true
	}
	all := want["all"] || want["everything"]
	defaults := len(want) == 0 || want["default"]
	var b strings.Builder
	for _, sec := range infoSections {
		if !all && !want[sec.name] && (!defaults || sec.notDefault) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\r\n")
		}
		b.WriteString(s.infoSection(sec.name))
	}
	c.conn.WriteBulkString(b.String())
}

func (s *Server) infoSection(name string) string {
	switch name {
	case "server":
		return s.infoServer()
	case "clients":
		return section("Clients", "connected_clients", s.connected.Load(), "blocked_clients", s.blocked.blocked(), "maxclients", s.params.maxClients.Load())
	case "memory":
		return s.infoMemory()
	case "persistence":
		st := s.node.Status()
		return section("Persistence", "loading", 0, "rdb_changes_since_last_save", st.AppliedIndex-min(st.AppliedIndex, st.LastSnapshot),
			"rdb_bgsave_in_progress", 0, "rdb_last_save_time", s.lastSave().Unix(), "rdb_last_bgsave_status", "ok",
			"aof_enabled", 1, "aof_rewrite_in_progress", 0, "aof_last_write_status", "ok")
	case "stats":
		return section("Stats", "total_connections_received", s.stats.connsReceived.Load(),
			"total_commands_processed", s.commandsProcessed(), "rejected_connections", s.stats.connsRejected.Load(),
			"unexpected_error_replies", 0, "total_error_replies", s.stats.errorReplies.Load())
	case "replication":
		return s.infoReplication()
	case "cpu":
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return section("CPU", "used_cpu_sys", fmt.Sprintf("%.6f", tvSeconds(ru.Stime)), "used_cpu_user", fmt.Sprintf("%.6f", tvSeconds(ru.Utime)))
	case "commandstats":
		var lines []string
		s.table.walk(func(c *command) {
			if c.stats.any() {
				lines = append(lines, cmdstatLine(c))
			}
		})
		return lineSection("Commandstats", lines)
	case "errorstats":
		return lineSection("Errorstats", s.stats.errorstatLines())
	case "keyspace":
		return s.infoKeyspace()
	case "raft":
		return s.infoRaft()
	}
	return ""
}

func (s *Server) infoServer() string {
	_, port := splitHostPort(s.cfg.RedisAddr)
	exe, _ := os.Executable()
	up := time.Since(s.start)
	return section("Server", "redis_version", redisVersion, "raftis_node_id", s.cfg.ID, "redis_mode", "standalone",
		"os", runtime.GOOS+" "+runtime.GOARCH, "arch_bits", 64, "go_version", runtime.Version(), "process_id", os.Getpid(),
		"tcp_port", port, "uptime_in_seconds", int64(up/time.Second), "uptime_in_days", int64(up/(24*time.Hour)),
		"executable", exe)
}

// infoReplication speaks Redis's replication fields: the leader is a master
// whose followers are its slaves, a follower is a slave of the leader, and
// the offsets are Raft log indexes (replication.go).
func (s *Server) infoReplication() string {
	master, received, processed := s.replicationOffsets()
	if s.node.IsLeader() {
		replicas := s.replicas()
		kv := []any{"role", "master", "connected_slaves", len(replicas)}
		for i, r := range replicas {
			kv = append(kv, fmt.Sprintf("slave%d", i), fmt.Sprintf("ip=%s,port=%s,state=online,offset=%d,lag=%d", r.host, r.port, r.offset, r.lag))
		}
		kv = append(kv, "master_failover_state", "no-failover", "master_repl_offset", master)
		return section("Replication", kv...)
	}
	host, port := splitHostPort(s.leaderRedisAddr())
	link, lastIO := "down", int64(-1)
	if host != "" {
		link = "up"
		lastIO = int64(time.Since(s.node.LastContact()) / time.Second)
	}
	kv := []any{"role", "slave", "master_host", host, "master_port", port, "master_link_status", link,
		"master_last_io_seconds_ago", lastIO, "master_sync_in_progress", 0,
		"slave_read_repl_offset", received, "slave_repl_offset", processed}
	if link == "down" {
		kv = append(kv, "master_link_down_since_seconds", -1)
	}
	readOnly := 0
	if s.cfg.FollowerWrites == FollowerWritesReject {
		readOnly = 1
	}
	kv = append(kv, "slave_priority", 100, "slave_read_only", readOnly, "replica_announced", 1,
		"connected_slaves", 0, "master_failover_state", "no-failover", "master_repl_offset", processed)
	return section("Replication", kv...)
}

func (s *Server) infoKeyspace() string {
	stats := s.data.KeyspaceStats()
	dbs := make([]int, 0, len(stats))
	for db := range stats {
		dbs = append(dbs, db)
	}
	sort.Ints(dbs)
	var kv []any
	for _, db := range dbs {
		kv = append(kv, fmt.Sprintf("db%d", db), fmt.Sprintf("keys=%d,expires=%d,avg_ttl=0", stats[db][0], stats[db][1]))
	}
	return section("Keyspace", kv...)
}

// infoRaft is raftis's own section: Raft state, indexes and members.
func (s *Server) infoRaft() string {
	st := s.node.Status()
	kv := []any{"raft_node_id", st.ID, "raft_state", strings.ToLower(st.State), "raft_term", st.Term,
		"raft_leader_id", st.LeaderID, "raft_leader_redis_addr", s.leaderRedisAddr(),
		"raft_commit_index", st.CommitIndex, "raft_durable_commit_index", st.DurableCommit, "raft_applied_index", s.data.AppliedIndex(),
		"raft_last_log_index", st.LastIndex, "raft_last_snapshot_index", st.LastSnapshot,
		"raft_last_configuration_index", st.LastConfig}
	members, _ := s.members()
	kv = append(kv, "raft_members", len(members))
	for i, m := range members {
		kv = append(kv, fmt.Sprintf("raft_member%d", i),
			fmt.Sprintf("id=%s,raft_addr=%s,redis_addr=%s,suffrage=%s,leader=%t", m.ID, m.RaftAddr, m.RedisAddr, strings.ToLower(m.Suffrage), m.Leader))
	}
	return section("Raft", kv...)
}

// lineSection formats an INFO section from its lines.
func lineSection(title string, lines []string) string {
	return "# " + title + "\r\n" + strings.Join(append(lines, ""), "\r\n")
}

// section formats an INFO section from alternating field names and values.
func section(title string, kv ...any) string {
	var b strings.Builder
	b.WriteString("# " + title + "\r\n")
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&b, "%v:%v\r\n", kv[i], kv[i+1])
	}
	return b.String()
}

func tvSeconds(tv syscall.Timeval) float64 {
	return float64(tv.Sec) + float64(tv.Usec)/1e6
}
