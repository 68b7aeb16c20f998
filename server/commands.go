package server

import "github.com/raftis/raftis/fsm"

// Flags shared by many server commands.
const (
	flagsConnection = fsm.FlagFast | fsm.FlagStale | fsm.FlagLoading
	flagsAdmin      = fsm.FlagAdmin | fsm.FlagNoScript | fsm.FlagLoading | fsm.FlagStale
	flagsIntrospect = fsm.FlagNoScript | fsm.FlagLoading | fsm.FlagStale
	flagsHelp       = fsm.FlagLoading | fsm.FlagStale
)

// Tips as COMMAND INFO reports them.
var (
	tipsNondeterministic      = []string{"nondeterministic_output"}
	tipsNondeterministicOrder = []string{"nondeterministic_output_order"}
	tipsAllNodes              = []string{"request_policy:all_nodes", "response_policy:all_succeeded"}
)

var (
	aclConnection  = []string{"connection"}
	aclTransaction = []string{"transaction"}
)

// flagsTransaction are the flags the transaction commands share.
const flagsTransaction = fsm.FlagNoScript | fsm.FlagLoading | fsm.FlagStale

func watchSpec() fsm.Spec {
	s := spec("watch", -2, flagsTransaction|fsm.FlagFast, "transactions", "Watch the given keys to determine execution of the MULTI/EXEC block")
	s.FirstKey, s.LastKey, s.KeyStep = 1, -1, 1
	return s
}

// serverCommands are the rows of the commands this package implements,
// with Redis 7.0's arity, flags, ACL categories, tips and summaries (raftis's
// RAFT excepted). It returns fresh rows: each table holds its own
// statistics. A container lists its subcommands in HELP order; the
// container's HELP subcommand comes last.
func serverCommands() []*command {
	return []*command{
		{Spec: spec("ping", -1, fsm.FlagFast, "connection", "Ping the server"), fn: cmdPing, acl: aclConnection,
			tips: []string{"request_policy:all_shards", "response_policy:all_succeeded"}},
		{Spec: spec("echo", 2, flagsConnection, "connection", "Echo the given string"), fn: cmdEcho, acl: aclConnection},
		{Spec: spec("quit", -1, fsm.FlagNoScript|flagsConnection|fsm.FlagNoAuth, "connection", "Close the connection"), fn: cmdQuit, acl: aclConnection},
		{Spec: spec("select", 2, flagsConnection, "connection", "Change the selected database for the current connection"), fn: cmdSelect, acl: aclConnection},
		{Spec: spec("hello", -1, fsm.FlagNoScript|flagsConnection|fsm.FlagNoAuth, "connection", "Handshake with Redis"), fn: cmdHello, acl: aclConnection},
		{Spec: spec("auth", -2, fsm.FlagNoScript|flagsConnection|fsm.FlagNoAuth, "connection", "Authenticate to the server"), fn: cmdAuth, acl: aclConnection},
		{Spec: spec("readonly", 1, flagsConnection, "cluster", "Enables read queries for a connection to a cluster replica node"), fn: cmdOK, acl: aclConnection},
		{Spec: spec("readwrite", 1, flagsConnection, "cluster", "Disables read queries for a connection to a cluster replica node"), fn: cmdOK, acl: aclConnection},
		{Spec: spec("info", -1, fsm.FlagLoading|fsm.FlagStale, "server", "Get information and statistics about the server"), fn: cmdInfo,
			acl: []string{"dangerous"}, tips: []string{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"}},
		{Spec: spec("role", 1, fsm.FlagNoScript|flagsConnection, "server", "Return the role of the instance in the context of replication"), fn: cmdRole,
			acl: []string{"admin", "dangerous"}},
		{Spec: spec("time", 1, flagsConnection, "server", "Return the current server time"), fn: cmdTime, tips: tipsNondeterministic},
		{Spec: spec("lastsave", 1, flagsConnection, "server", "Get the UNIX time stamp of the last successful save to disk"), fn: cmdLastSave,
			acl: []string{"admin", "dangerous"}, tips: tipsNondeterministic},
		{Spec: spec("reset", 1, fsm.FlagNoScript|flagsConnection|fsm.FlagNoAuth, "connection", "Reset the connection"), fn: cmdReset, acl: aclConnection},
		{Spec: spec("multi", 1, flagsTransaction|fsm.FlagFast, "transactions", "Mark the start of a transaction block"), fn: cmdMulti, acl: aclTransaction},
		{Spec: spec("exec", 1, flagsTransaction|fsm.FlagSkipSlowlog, "transactions", "Execute all commands issued after MULTI"), fn: cmdExec, acl: aclTransaction},
		{Spec: spec("discard", 1, flagsTransaction|fsm.FlagFast, "transactions", "Discard all commands issued after MULTI"), fn: cmdDiscard, acl: aclTransaction},
		{Spec: watchSpec(), fn: cmdWatch, acl: aclTransaction},
		{Spec: spec("unwatch", 1, flagsTransaction|fsm.FlagFast, "transactions", "Forget about all watched keys"), fn: cmdUnwatch, acl: aclTransaction},
		{Spec: spec("wait", 3, fsm.FlagNoScript, "generic", "Wait for the synchronous replication of all the write commands sent in the context of the current connection"),
			fn: cmdWait, acl: aclConnection, tips: []string{"request_policy:all_shards", "response_policy:agg_min"}},
		clientCommand(),
		commandCommand(),
		configCommand(),
		memoryCommand(),
		// OBJECT's subcommands are fsm's reads.
		{Spec: spec("object", -2, 0, "generic", "A container for object introspection commands")},
		raftCommand(),
	}
}

// helpRow is a container's HELP subcommand.
func helpRow(container, group string, acl []string) *command {
	return &command{Spec: spec(container+"|help", 2, flagsHelp, group, "Show helpful text about the different subcommands"), fn: cmdHelp, acl: acl}
}

func clientCommand() *command {
	return &command{
		Spec: spec("client", -2, 0, "connection", "A container for client connection commands"),
		subs: []*command{
			{Spec: spec("client|getname", 2, flagsIntrospect, "connection", "Get the current connection name"), fn: cmdClientGetName, acl: aclConnection,
				help: []string{"GETNAME", "    Return the name of the current connection."}},
			{Spec: spec("client|id", 2, flagsIntrospect, "connection", "Returns the client ID for the current connection"), fn: cmdClientID, acl: aclConnection,
				help: []string{"ID", "    Return the ID of the current connection."}},
			{Spec: spec("client|info", 2, flagsIntrospect, "connection", "Returns information about the current client connection."), fn: cmdClientInfo, acl: aclConnection,
				tips: tipsNondeterministic, help: []string{"INFO", "    Return information about the current client connection."}},
			{Spec: spec("client|list", -2, flagsAdmin, "connection", "Get the list of client connections"), fn: cmdClientList, acl: aclConnection,
				tips: tipsNondeterministic, help: []string{"LIST [options ...]", "    Return information about client connections. Options:",
					"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Return clients of specified type."}},
			{Spec: spec("client|setname", 3, flagsIntrospect, "connection", "Set the current connection name"), fn: cmdClientSetName, acl: aclConnection,
				help: []string{"SETNAME <name>", "    Assign the name <name> to the current connection."}},
			// Redis 7.2's; client libraries send it on connect.
			{Spec: spec("client|setinfo", 4, flagsIntrospect, "connection", "Set client or connection specific info"), fn: cmdOK, acl: aclConnection,
				tips: tipsAllNodes, help: []string{"SETINFO <option> <value>", "    Set client meta attr. Options are:",
					"    * LIB-NAME: the client lib name.", "    * LIB-VER: the client lib version."}},
			helpRow("client", "connection", aclConnection),
		},
	}
}

func commandCommand() *command {
	return &command{
		Spec: spec("command", -1, flagsHelp, "server", "Get array of Redis command details"), fn: cmdCommand, acl: aclConnection,
		tips: tipsNondeterministicOrder, help: []string{"(no subcommand)", "    Return details about all Redis commands."},
		subs: []*command{
			{Spec: spec("command|count", 2, flagsHelp, "server", "Get total number of Redis commands"), fn: cmdCommandCount, acl: aclConnection,
				help: []string{"COUNT", "    Return the total number of commands in this Redis server."}},
			{Spec: spec("command|list", -2, flagsHelp, "server", "Get an array of Redis command names"), fn: cmdCommandList, acl: aclConnection,
				tips: tipsNondeterministicOrder, help: []string{"LIST", "    Return a list of all commands in this Redis server."}},
			{Spec: spec("command|info", -2, flagsHelp, "server", "Get array of specific Redis command details, or all when no argument is given."), fn: cmdCommandInfo, acl: aclConnection,
				tips: tipsNondeterministicOrder, help: []string{"INFO [<command-name> ...]", "    Return details about multiple Redis commands.",
					"    If no command names are given, documentation details for all", "    commands are returned."}},
			{Spec: spec("command|docs", -2, flagsHelp, "server", "Get array of specific Redis command documentation"), fn: cmdCommandDocs, acl: aclConnection,
				tips: tipsNondeterministicOrder, help: []string{"DOCS [<command-name> ...]", "    Return documentation details about multiple Redis commands.",
					"    If no command names are given, documentation details for all", "    commands are returned."}},
			{Spec: spec("command|getkeys", -4, flagsHelp, "server", "Extract keys given a full Redis command"), fn: cmdCommandGetKeys, acl: aclConnection,
				help: []string{"GETKEYS <full-command>", "    Return the keys from a full Redis command."}},
			helpRow("command", "server", aclConnection),
		},
	}
}

func configCommand() *command {
	return &command{
		Spec: spec("config", -2, 0, "server", "A container for server configuration commands"),
		subs: []*command{
			{Spec: spec("config|get", -3, flagsAdmin, "server", "Get the values of configuration parameters"), fn: cmdConfigGet,
				help: []string{"GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values."}},
			{Spec: spec("config|set", -4, flagsAdmin, "server", "Set configuration parameters to the given values"), fn: cmdConfigSet, tips: tipsAllNodes,
				help: []string{"SET <directive> <value>", "    Set the configuration <directive> to <value>."}},
			{Spec: spec("config|resetstat", 2, flagsAdmin, "server", "Reset the stats returned by INFO"), fn: cmdConfigResetStat,
				help: []string{"RESETSTAT", "    Reset statistics reported by the INFO command."}},
			{Spec: spec("config|rewrite", 2, flagsAdmin, "server", "Rewrite the configuration file with the in memory configuration"), fn: cmdConfigRewrite,
				help: []string{"REWRITE", "    Rewrite the configuration file."}},
			helpRow("config", "server", nil),
		},
	}
}

func memoryCommand() *command {
	usage := spec("memory|usage", -3, fsm.FlagReadonly, "server", "Estimate the memory usage of a key")
	usage.FirstKey, usage.LastKey, usage.KeyStep = 2, 2, 1
	return &command{
		Spec: spec("memory", -2, 0, "server", "A container for memory diagnostics commands"),
		subs: []*command{
			{Spec: spec("memory|malloc-stats", 2, 0, "server", "Show allocator internal stats"), fn: cmdMemoryMallocStats,
				tips: []string{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"},
				help: []string{"MALLOC-STATS", "    Return internal statistics report from the memory allocator."}},
			{Spec: spec("memory|purge", 2, 0, "server", "Ask the allocator to release memory"), fn: cmdMemoryPurge,
				tips: []string{"request_policy:all_shards", "response_policy:all_succeeded"},
				help: []string{"PURGE", "    Attempt to purge dirty pages for reclamation by the allocator."}},
			{Spec: usage, fn: cmdMemoryUsage, help: []string{"USAGE <key> [SAMPLES <count>]",
				"    Return memory in bytes used by <key> and its value. Nested values are",
				"    sampled up to <count> times (default: 5, 0 means sample all)."}},
			helpRow("memory", "server", nil),
		},
	}
}

// raftCommand is RAFT's container. The subcommands that act on the
// cluster are refused inside MULTI (no_multi, as Redis refuses SAVE and
// SHUTDOWN there): they are not data commands, a transaction could not
// make them atomic with its writes.
func raftCommand() *command {
	info := fsm.FlagNoScript | fsm.FlagLoading | fsm.FlagStale
	cluster := flagsAdmin | fsm.FlagNoMulti
	return &command{
		Spec: spec("raft", -2, 0, "raft", "A container for Raft cluster administration commands"),
		subs: []*command{
			{Spec: spec("raft|info", 2, info, "raft", "Return Raft state and members"), fn: cmdRaftInfo,
				help: []string{"INFO", "    Return Raft state and members."}},
			{Spec: spec("raft|leader", 2, info, "raft", "Return the leader's id and client address"), fn: cmdRaftLeader,
				help: []string{"LEADER", "    Return the leader's id and client address."}},
			{Spec: spec("raft|join", 5, cluster, "raft", "Add a member to the cluster"), fn: membersOnly(cmdRaftJoin),
				help: []string{"JOIN <id> <raft-addr> <redis-addr>", "    Add a member (asks the leader)."}},
			{Spec: spec("raft|remove", 3, cluster, "raft", "Remove a member from the cluster"), fn: membersOnly(cmdRaftRemove),
				help: []string{"REMOVE <id>", "    Remove a member (asks the leader)."}},
			{Spec: spec("raft|transfer", -2, cluster, "raft", "Hand leadership to another member"), fn: membersOnly(cmdRaftTransfer),
				help: []string{"TRANSFER [<id>]", "    Hand leadership to <id>, or to the most up-to-date follower."}},
			{Spec: spec("raft|snapshot", 2, cluster, "raft", "Take a snapshot of the data set now"), fn: cmdRaftSnapshot,
				help: []string{"SNAPSHOT", "    Take a snapshot of the data set now."}},
			{Spec: spec("raft|forward", 3, cluster, "raft", "Run a follower's writes as one log entry on the leader"), fn: membersOnly(cmdRaftForward),
				help: []string{"FORWARD <entry>", "    Run a follower's writes as one log entry (between members only)."}},
			{Spec: spec("raft|auth", 3, cluster|fsm.FlagNoAuth, "raft", "Present the cluster secret on this connection"), fn: cmdRaftAuth,
				help: []string{"AUTH <cluster-secret>", "    Allow this connection the commands between members (FORWARD, JOIN, REMOVE, TRANSFER, READINDEX, WAIT)."}},
			{Spec: spec("raft|consistency", -2, flagsConnection, "raft", "Get or set the connection's read consistency level"), fn: cmdRaftConsistency,
				acl: aclConnection, help: []string{"CONSISTENCY [stale|leader|linearizable]",
					"    Return or set the read consistency level of the current connection."}},
			{Spec: spec("raft|readindex", -2, cluster, "raft", "Return the leader's read index for a follower's fresh reads"), fn: membersOnly(cmdRaftReadIndex),
				help: []string{"READINDEX [LEASE]", "    Return [commit index, its term, leader time in ms] once leadership is",
					"    confirmed, or under the leader's lease (between members only)."}},
			{Spec: spec("raft|wait", 6, cluster, "raft", "Count the members that hold a log entry, waiting up to a timeout"), fn: membersOnly(cmdRaftWait),
				help: []string{"WAIT <index> <numreplicas> <timeout> <except-id>",
					"    WAIT for a follower's client: members other than <except-id> holding <index> (between members only)."}},
			helpRow("raft", "raft", nil),
		},
	}
}
