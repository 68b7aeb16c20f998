package fsm

import "strings"

// Flag describes a command, with the names COMMAND INFO reports.
type Flag uint32

const (
	FlagWrite Flag = 1 << iota
	FlagReadonly
	FlagDenyOOM
	FlagAdmin
	FlagPubsub
	FlagNoScript
	FlagBlocking
	FlagLoading
	FlagStale
	FlagSkipMonitor
	FlagSkipSlowlog
	FlagFast
	FlagNoAuth
	FlagMayReplicate
	FlagNoMulti
	FlagMovableKeys
)

var flagNames = []string{
	"write", "readonly", "denyoom", "admin", "pubsub", "noscript", "blocking",
	"loading", "stale", "skip_monitor", "skip_slowlog", "fast", "no_auth",
	"may_replicate", "no_multi", "movablekeys",
}

// Names lists the flag names in COMMAND's order.
func (f Flag) Names() []string {
	var names []string
	for i, name := range flagNames {
		if f&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	return names
}

// Spec is what the command table says about a command: everything but its
// implementation. The server's table uses the same Spec for the commands it
// implements itself (connection and admin commands).
type Spec struct {
	Name  string // lowercase
	Arity int    // Redis convention: N exactly, -N at least N (name included)
	Flags Flag
	// Key positions, as in COMMAND: first key, last key (negative counts
	// from the end), step. All zero for a command without keys.
	FirstKey, LastKey, KeyStep int
	// NumKeysAt, for a command with movable keys (LMPOP, BLMPOP, SINTERCARD,
	// ZUNION, ...), is the position of the argument that says how many keys follow
	// it. Keys at FirstKey..LastKey come before those (the destination
	// of ZUNIONSTORE).
	NumKeysAt int
	// KeysFunc, for a command with movable keys whose positions only
	// parsing tells (SORT's STORE), returns its keys.
	KeysFunc func(args [][]byte) [][]byte
	Group    string // "string", "generic", "connection", "server", ...
	Summary  string
	// ACL lists the ACL categories besides those the flags imply, as
	// Redis's command table names them ("keyspace", "dangerous", ...);
	// nil means the category of the group (see the server's table).
	ACL []string
	// Tips are COMMAND INFO's tips ("nondeterministic_output", ...).
	Tips []string
	// Help, for a subcommand ("object|encoding"), are its lines in its
	// container's HELP: its syntax, then what it does.
	Help []string
}

// ArityOK reports whether argc (name included) satisfies the arity.
func (s *Spec) ArityOK(argc int) bool {
	if s.Arity >= 0 {
		return argc == s.Arity
	}
	return argc >= -s.Arity
}

// Keys returns the key arguments of args according to the key positions.
func (s *Spec) Keys(args [][]byte) [][]byte {
	if s.KeysFunc != nil {
		return s.KeysFunc(args)
	}
	if s.NumKeysAt > 0 {
		numbered := numberedKeys(args, s.NumKeysAt)
		if numbered == nil || s.FirstKey <= 0 {
			return numbered
		}
		return append(s.fixedKeys(args), numbered...)
	}
	return s.fixedKeys(args)
}

// fixedKeys returns the keys at FirstKey..LastKey by KeyStep.
func (s *Spec) fixedKeys(args [][]byte) [][]byte {
	if s.FirstKey <= 0 || s.FirstKey >= len(args) {
		return nil
	}
	last := s.LastKey
	if last < 0 {
		last = len(args) + last
	}
	last = min(last, len(args)-1)
	var keys [][]byte
	for i := s.FirstKey; i <= last; i += max(s.KeyStep, 1) {
		keys = append(keys, args[i])
	}
	return keys
}

// numberedKeys returns the keys that follow a count of keys at args[at];
// nil if the count is not a positive integer or more keys than follow.
func numberedKeys(args [][]byte, at int) [][]byte {
	if at >= len(args) {
		return nil
	}
	n, ok := parseInt(args[at])
	if !ok || n < 1 || n > int64(len(args)-at-1) {
		return nil
	}
	return args[at+1 : at+1+int(n)]
}

// Command is a data command: its Spec and the function that runs it.
type Command struct {
	Spec
	// Run executes the command. args[0] is the name as the client sent it;
	// arity has been checked.
	Run func(c *Ctx, args [][]byte)
	// block parses a blocking command's arguments (BlockingTimeout,
	// BlockingKeys); nil for commands that never block.
	block func(args [][]byte) (blockingCall, string)
}

var (
	commands  []*Command
	byName    map[string]*Command
	maxNameLn int
	// containers are the names before the '|' of subcommands
	// ("object" for "object|encoding").
	containers map[string]bool
)

func init() {
	for _, group := range [][]*Command{stringCommands, keyCommands, expireCommands, hashCommands, listCommands, setCommands, zsetCommands, bitmapCommands, hyperLogLogCommands, objectCommands, dumpCommands, sortCommands} {
		commands = append(commands, group...)
	}
	byName = make(map[string]*Command, len(commands))
	containers = make(map[string]bool)
	for _, cmd := range commands {
		if byName[cmd.Name] != nil {
			panic("fsm: duplicate command " + cmd.Name)
		}
		byName[cmd.Name] = cmd
		maxNameLn = max(maxNameLn, len(cmd.Name))
		if parent, _, ok := strings.Cut(cmd.Name, "|"); ok {
			containers[parent] = true
		}
	}
}

// Commands returns the data commands, in table order.
func Commands() []*Command { return commands }

// Lookup finds a data command by its full name ("get", "object|encoding"),
// case-insensitively; nil if unknown.
func Lookup(name []byte) *Command {
	if len(name) > maxNameLn {
		return nil
	}
	var buf [32]byte
	return byName[string(appendLower(buf[:0], name))]
}

// LookupArgs finds the data command args call: args[0], or the
// subcommand args[1] of the container args[0] ("OBJECT ENCODING k" is
// object|encoding), as Redis's lookupCommand does. nil if unknown.
func LookupArgs(args [][]byte) *Command {
	if len(args) == 0 {
		return nil
	}
	if cmd := Lookup(args[0]); cmd != nil || len(args) < 2 {
		return cmd
	}
	if len(args[0])+1+len(args[1]) > maxNameLn {
		return nil
	}
	var buf [32]byte
	parent := appendLower(buf[:0], args[0])
	if !containers[string(parent)] {
		return nil
	}
	return byName[string(appendLower(append(parent, '|'), args[1]))]
}

// appendLower appends name to dst in lowercase.
func appendLower(dst, name []byte) []byte {
	n := len(dst)
	dst = append(dst, name...)
	for i := n; i < len(dst); i++ {
		if ch := dst[i]; 'A' <= ch && ch <= 'Z' {
			dst[i] = ch + 'a' - 'A'
		}
	}
	return dst
}

// equalFold compares an argument with a lowercase keyword.
func equalFold(arg []byte, keyword string) bool {
	return len(arg) == len(keyword) && strings.EqualFold(string(arg), keyword)
}
