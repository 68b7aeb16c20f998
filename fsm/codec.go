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
	// EntryCommands carries one or more data commands (a connection's
	// pipelined writes, or later a MULTI/EXEC block) applied in order.
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
	// FlagAtomic marks a transaction (MULTI/EXEC): the replies form one array.
	FlagAtomic uint64 = 1 << iota

	knownFlags = FlagAtomic
)

// Cmd is one command of an entry: the database it runs in and its argv.
type Cmd struct {
	DB   int
	Args [][]byte
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
//	ncmds × ( db:uvarint | argc:uvarint | argc × ( len:uvarint | bytes ) )
func (e *Entry) Encode(dst []byte) []byte {
	dst = append(dst, byte(e.Type))
	dst = binary.AppendVarint(dst, e.Time)
	dst = binary.LittleEndian.AppendUint64(dst, e.Seed)
	dst = binary.AppendUvarint(dst, e.Flags)
	dst = binary.AppendUvarint(dst, uint64(len(e.Cmds)))
	for _, c := range e.Cmds {
		dst = binary.AppendUvarint(dst, uint64(c.DB))
		dst = binary.AppendUvarint(dst, uint64(len(c.Args)))
		for _, a := range c.Args {
			dst = binary.AppendUvarint(dst, uint64(len(a)))
			dst = append(dst, a...)
		}
	}
	return dst
}

// SizeHint is an upper bound of len(e.Encode(nil)), used to size buffers.
func (e *Entry) SizeHint() int {
	n := 1 + binary.MaxVarintLen64 + 8 + binary.MaxVarintLen64*2
	for _, c := range e.Cmds {
		n += 2 * binary.MaxVarintLen64
		for _, a := range c.Args {
			n += binary.MaxVarintLen64 + len(a)
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
	// The body is read twice: once to check it and count its commands and
	// arguments, allocating nothing, then to fill two slices of exactly
	// those sizes. So decoding allocates the decoded form of a valid entry
	// and nothing for an invalid one, whatever its counts claim (a 32 MiB
	// entry claiming 2^24 commands once allocated 512 MiB before failing),
	// and a valid entry costs three allocations however many commands it has.
	ncmds, nargs, err := d.scanBody()
	d.fail(err)
	if d.err == nil {
		d.fillBody(e, ncmds, nargs)
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorruptEntry, d.err)
	}
	return e, nil
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

// scanBody checks the commands of the entry from d's position to its end
// without keeping them and returns how many commands and arguments it
// holds, or the first problem. d is a copy: the caller's position does not
// move.
func (d decoder) scanBody() (ncmds, nargs int, err error) {
	ncmds = d.count(maxCmdsPerEntry)
	for i := 0; i < ncmds && d.err == nil; i++ {
		d.count(NumDatabases - 1)
		argc := d.count(maxArgsPerCmd)
		for j := 0; j < argc && d.err == nil; j++ {
			d.bytes()
		}
		nargs += argc
	}
	if d.err == nil && len(d.buf) != 0 {
		d.fail(fmt.Errorf("%d trailing bytes", len(d.buf)))
	}
	return ncmds, nargs, d.err
}

// fillBody decodes the commands scanBody checked into e, every command's
// Args a slice of one array of nargs arguments.
func (d *decoder) fillBody(e *Entry, ncmds, nargs int) {
	d.count(maxCmdsPerEntry)
	if ncmds == 0 {
		return
	}
	e.Cmds = make([]Cmd, ncmds)
	args := make([][]byte, nargs)
	for i := range e.Cmds {
		db := d.count(NumDatabases - 1)
		argc := d.count(maxArgsPerCmd)
		for j := range argc {
			args[j] = d.bytes()
		}
		e.Cmds[i] = Cmd{DB: db, Args: args[:argc:argc]}
		args = args[argc:]
	}
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
