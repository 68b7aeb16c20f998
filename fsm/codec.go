package fsm

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// EntryType is the first byte of every log entry. Types are appended, never
// renumbered: a log written by one version is read by every later one.
type EntryType byte

const (
	// EntryCommands carries one or more data commands (connections'
	// pipelined writes, and transaction blocks when FlagAtomic is set)
	// applied in order.
	EntryCommands EntryType = 1
	// EntryExpire names keys the leader saw expired. Each Cmd holds one key
	// in Args[0]; it is deleted only if expired at the entry's Time.
	EntryExpire EntryType = 2
	// EntryNode records or removes a member's client-facing address:
	// Args = ["set", id, redisAddr] or ["del", id].
	EntryNode EntryType = 3
)

// Entry flags. A decoder refuses bits it does not know, so an old node
// stops instead of silently ignoring a feature it cannot apply.
const (
	// FlagAtomic marks an EntryCommands entry that carries transaction
	// blocks (MULTI/EXEC): each block is a command of the entry whose
	// argument count is 0, and a section after the commands gives every
	// such command, in order, its block (see Encode). A block is applied
	// as one unit, with one array reply; the other commands of the entry
	// (other clients' writes) are applied around it as usual. Encode sets
	// the flag when a command has a Block.
	FlagAtomic uint64 = 1 << iota

	knownFlags = FlagAtomic
)

// Cmd is one command of an entry: the database it runs in and its argv;
// or, with Block set (and no Args), a whole transaction.
type Cmd struct {
	DB    int
	Args  [][]byte
	Block *Block
}

// Block is a transaction: what EXEC runs. The guards are checked first
// (WATCH); if one fails nothing runs and the reply is the null array,
// else the commands run in order, each in its own database, and their
// replies form one array. Nothing else runs between them on any node.
type Block struct {
	Cmds   []Cmd // plain commands, never blocks
	Guards []Guard
}

// Guard is a WATCHed key, as the node where WATCH ran saw it: the block
// fails if the key has changed since (see guardHolds).
type Guard struct {
	DB  int
	Key []byte
	// Index is the index of the last entry the watching node had applied.
	Index uint64
	// Live: the key existed, and had not expired, at that point.
	Live bool
}

// Entry is the decoded form of a Raft log entry.
type Entry struct {
	Type  EntryType
	Time  int64  // leader wall clock, ms since the Unix epoch
	Seed  uint64 // source of every random choice the entry makes
	Flags uint64
	Cmds  []Cmd
}

// Codec limits keep a corrupt entry from asking for absurd allocations.
const (
	maxCmdsPerEntry = 1 << 24
	maxArgsPerCmd   = 1 << 24
)

// ErrCorruptEntry is wrapped by every decoding error.
var ErrCorruptEntry = errors.New("corrupt log entry")

// Encode appends the binary form of e to dst:
//
//	type:1 | time:varint | seed:8 LE | flags:uvarint | ncmds:uvarint |
//	ncmds × cmd
//	[ with FlagAtomic: nblocks:uvarint | nblocks × block ]
//
//	cmd   = db:uvarint | argc:uvarint | argc × ( len:uvarint | bytes )
//	block = ncmds:uvarint | ncmds × cmd | nguards:uvarint | nguards × guard
//	guard = db:uvarint | len:uvarint | key | index:uvarint | live:1 (0 or 1)
//
// A command with a Block is written as its db and an argc of 0, and its
// block goes to the blocks section, in the order of the commands. With
// FlagAtomic every command of argc 0 is a block's (the server never
// proposes an empty command).
func (e *Entry) Encode(dst []byte) []byte {
	flags := e.Flags
	if e.hasBlocks() {
		flags |= FlagAtomic
	}
	dst = append(dst, byte(e.Type))
	dst = binary.AppendVarint(dst, e.Time)
	dst = binary.LittleEndian.AppendUint64(dst, e.Seed)
	dst = binary.AppendUvarint(dst, flags)
	dst = binary.AppendUvarint(dst, uint64(len(e.Cmds)))
	nblocks := 0
	for _, c := range e.Cmds {
		if c.Block != nil {
			nblocks++
			dst = binary.AppendUvarint(dst, uint64(c.DB))
			dst = binary.AppendUvarint(dst, 0)
			continue
		}
		dst = appendCmd(dst, c)
	}
	if flags&FlagAtomic == 0 {
		return dst
	}
	dst = binary.AppendUvarint(dst, uint64(nblocks))
	for _, c := range e.Cmds {
		if c.Block == nil {
			continue
		}
		dst = binary.AppendUvarint(dst, uint64(len(c.Block.Cmds)))
		for _, inner := range c.Block.Cmds {
			dst = appendCmd(dst, inner)
		}
		dst = binary.AppendUvarint(dst, uint64(len(c.Block.Guards)))
		for _, g := range c.Block.Guards {
			dst = binary.AppendUvarint(dst, uint64(g.DB))
			dst = binary.AppendUvarint(dst, uint64(len(g.Key)))
			dst = append(dst, g.Key...)
			dst = binary.AppendUvarint(dst, g.Index)
			live := byte(0)
			if g.Live {
				live = 1
			}
			dst = append(dst, live)
		}
	}
	return dst
}

func appendCmd(dst []byte, c Cmd) []byte {
	dst = binary.AppendUvarint(dst, uint64(c.DB))
	dst = binary.AppendUvarint(dst, uint64(len(c.Args)))
	for _, a := range c.Args {
		dst = binary.AppendUvarint(dst, uint64(len(a)))
		dst = append(dst, a...)
	}
	return dst
}

func (e *Entry) hasBlocks() bool {
	for _, c := range e.Cmds {
		if c.Block != nil {
			return true
		}
	}
	return false
}

// SizeHint is an upper bound of len(e.Encode(nil)), used to size buffers.
func (e *Entry) SizeHint() int {
	n := 1 + binary.MaxVarintLen64 + 8 + binary.MaxVarintLen64*3
	for _, c := range e.Cmds {
		n += cmdSizeHint(c)
	}
	return n
}

func cmdSizeHint(c Cmd) int {
	n := 2 * binary.MaxVarintLen64
	for _, a := range c.Args {
		n += binary.MaxVarintLen64 + len(a)
	}
	if b := c.Block; b != nil {
		n += 2 * binary.MaxVarintLen64
		for _, inner := range b.Cmds {
			n += cmdSizeHint(inner)
		}
		for _, g := range b.Guards {
			n += 3*binary.MaxVarintLen64 + len(g.Key) + 1
		}
	}
	return n
}

// DecodeEntry parses data. Args alias data: the caller must not modify data
// while the entry is in use (Raft never does).
func DecodeEntry(data []byte) (*Entry, error) {
	d := decoder{buf: data}
	e := &Entry{Type: EntryType(d.byte())}
	switch e.Type {
	case EntryCommands, EntryExpire, EntryNode:
	default:
		return nil, fmt.Errorf("%w: unknown entry type %d", ErrCorruptEntry, e.Type)
	}
	e.Time = d.varint()
	e.Seed = d.uint64()
	e.Flags = d.uvarint()
	if e.Flags&^knownFlags != 0 {
		return nil, fmt.Errorf("%w: unknown flags %#x", ErrCorruptEntry, e.Flags)
	}
	if e.Flags&FlagAtomic != 0 && e.Type != EntryCommands {
		return nil, fmt.Errorf("%w: transaction blocks in an entry of type %d", ErrCorruptEntry, e.Type)
	}
	ncmds, nargs, err := d.check(e.Flags&FlagAtomic != 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorruptEntry, err)
	}
	e.Cmds = d.fillCmds(ncmds, nargs)
	if e.Flags&FlagAtomic != 0 {
		d.blocks(e.Cmds)
	}
	// check refused trailing bytes, and the reads since read what it did.
	if d.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorruptEntry, d.err)
	}
	return e, nil
}

// cmds reads a count and that many commands into two slices of exactly
// the sizes a copy of the decoder counted first, allocating nothing (see
// check).
func (d *decoder) cmds() []Cmd {
	sc := *d
	ncmds, nargs := sc.skipCmds()
	if sc.err != nil {
		d.fail(sc.err)
		return nil
	}
	return d.fillCmds(ncmds, nargs)
}

// fillCmds reads a list of ncmds commands holding nargs arguments in all,
// counts a copy of the decoder has read already.
func (d *decoder) fillCmds(ncmds, nargs int) []Cmd {
	d.count(maxCmdsPerEntry)
	if ncmds == 0 {
		return nil
	}
	cmds := make([]Cmd, ncmds)
	args := make([][]byte, nargs)
	for i := range cmds {
		db := d.count(NumDatabases - 1)
		argc := d.count(maxArgsPerCmd)
		for j := range argc {
			args[j] = d.bytes()
		}
		cmds[i] = Cmd{DB: db, Args: args[:argc:argc]}
		args = args[argc:]
	}
	return cmds
}

// check reads the rest of the entry from d's position, keeping nothing,
// and returns its first problem, and the counts of its list of commands
// (for fillCmds). DecodeEntry checks an entry whole before
// it allocates anything for it, and then allocates exactly what the
// counts it has seen to be true call for. So decoding allocates the
// decoded form of a valid entry and nothing for an invalid one, whatever
// its counts claim (a 32 MiB entry claiming 2^24 commands once allocated
// 512 MiB before failing), and a list of commands costs two allocations
// however long it is. d is a copy: the caller's position does not move.
func (d decoder) check(atomic bool) (ncmds, nargs int, err error) {
	ncmds, nargs = d.skipCmds()
	if atomic {
		n := d.count(maxCmdsPerEntry)
		for i := 0; i < n && d.err == nil; i++ {
			d.skipCmds()
			d.skipGuards(d.count(maxCmdsPerEntry))
		}
	}
	if d.err == nil && len(d.buf) != 0 {
		d.fail(fmt.Errorf("%d trailing bytes", len(d.buf)))
	}
	return ncmds, nargs, d.err
}

// skipCmds reads a list of commands without keeping them and returns how
// many commands and arguments it holds.
func (d *decoder) skipCmds() (ncmds, nargs int) {
	ncmds = d.count(maxCmdsPerEntry)
	for i := 0; i < ncmds && d.err == nil; i++ {
		d.count(NumDatabases - 1)
		argc := d.count(maxArgsPerCmd)
		for j := 0; j < argc && d.err == nil; j++ {
			d.bytes()
		}
		nargs += argc
	}
	return ncmds, nargs
}

// skipGuards reads n guards without keeping them.
func (d *decoder) skipGuards(n int) {
	for i := 0; i < n && d.err == nil; i++ {
		d.guard()
	}
}

// guard reads one guard of a transaction block.
func (d *decoder) guard() Guard {
	g := Guard{DB: d.count(NumDatabases - 1), Key: d.bytes(), Index: d.uvarint()}
	switch d.byte() {
	case 0:
	case 1:
		g.Live = true
	default:
		d.fail(errors.New("bad guard flag"))
	}
	return g
}

// blocks reads the blocks section and gives each command of cmds with no
// arguments its block, in order; there must be exactly one per such
// command.
func (d *decoder) blocks(cmds []Cmd) {
	n := d.count(maxCmdsPerEntry)
	next := 0
	for i := 0; i < n && d.err == nil; i++ {
		for next < len(cmds) && len(cmds[next].Args) != 0 {
			next++
		}
		if next == len(cmds) {
			d.fail(fmt.Errorf("%d blocks for fewer placeholders", n))
			return
		}
		b := &Block{Cmds: d.cmds()}
		ng := d.count(maxCmdsPerEntry)
		if d.err == nil && ng > 0 {
			b.Guards = make([]Guard, 0, ng) // check has read them
		}
		for j := 0; j < ng && d.err == nil; j++ {
			b.Guards = append(b.Guards, d.guard())
		}
		cmds[next].Args, cmds[next].Block = nil, b
		next++
	}
	for ; next < len(cmds) && d.err == nil; next++ {
		if len(cmds[next].Args) == 0 {
			d.fail(errors.New("a placeholder without its block"))
		}
	}
}

// decoder reads from buf and remembers the first error; once it is set every
// read returns a zero value.
type decoder struct {
	buf []byte
	err error
}

var errShort = errors.New("unexpected end of entry")

func (d *decoder) byte() byte {
	if d.err != nil || len(d.buf) < 1 {
		d.fail(errShort)
		return 0
	}
	b := d.buf[0]
	d.buf = d.buf[1:]
	return b
}

func (d *decoder) uint64() uint64 {
	if d.err != nil || len(d.buf) < 8 {
		d.fail(errShort)
		return 0
	}
	v := binary.LittleEndian.Uint64(d.buf)
	d.buf = d.buf[8:]
	return v
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.fail(errors.New("bad uvarint"))
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.buf)
	if n <= 0 {
		d.fail(errors.New("bad varint"))
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

// count reads a uvarint that must not exceed limit.
func (d *decoder) count(limit int) int {
	v := d.uvarint()
	if v > uint64(limit) {
		d.fail(fmt.Errorf("count %d over limit %d", v, limit))
		return 0
	}
	return int(v)
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.buf)) {
		d.fail(errShort)
		return nil
	}
	b := d.buf[:n:n]
	d.buf = d.buf[n:]
	return b
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}
