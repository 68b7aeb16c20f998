package rdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Reader decodes an RDB file record by record. It reads ahead from the
// underlying reader, so nothing after the file should be expected there.
type Reader struct {
	src     *source
	version int
	err     error // sticky; io.EOF once the file is complete

	expireAtMs int64 // pending expiry for the next key
	idle       uint64
	hasIdle    bool // idle is pending for the next key
}

// NewReader reads and checks the 9-byte header ("REDIS" and a four-digit
// version between 1 and 10).
func NewReader(r io.Reader) (*Reader, error) {
	src := newSource(r)
	var hdr [9]byte
	if err := src.readFull(hdr[:]); err != nil {
		return nil, fmt.Errorf("rdb: reading header: %w", err)
	}
	if string(hdr[:5]) != "REDIS" {
		return nil, corruptf("bad magic %q", hdr[:5])
	}
	v := 0
	for _, c := range hdr[5:] {
		if c < '0' || c > '9' {
			return nil, corruptf("bad version %q", hdr[5:])
		}
		v = v*10 + int(c-'0')
	}
	if v < 1 || v > Version {
		return nil, fmt.Errorf("%w: %d", ErrVersion, v)
	}
	return &Reader{src: src, version: v}, nil
}

// Version returns the RDB version from the header.
func (r *Reader) Version() int { return r.version }

// Offset returns the number of bytes of the file consumed so far.
func (r *Reader) Offset() int64 { return r.src.offset() }

// Next returns the next record. After the EOF opcode it verifies the
// checksum (for RDB version 5 and later; a stored zero means checksums were
// disabled) and returns io.EOF. A mismatch yields an error wrapping
// ErrChecksum. Errors are sticky.
//
// Expiry and LRU idle time opcodes are folded into the next RecordKey;
// LFU frequencies are discarded. Collections with no elements,
// which Redis also skips on load, are skipped.
func (r *Reader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	rec, err := r.next()
	if err != nil {
		if err != io.EOF {
			err = fmt.Errorf("%w (near offset %d)", err, r.src.offset())
		}
		r.err = err
		return nil, err
	}
	return rec, nil
}

func (r *Reader) next() (*Record, error) {
	s := r.src
	for {
		op, err := s.readByte()
		if err != nil {
			return nil, err
		}
		switch op {
		case opAux:
			k, err := s.readString()
			if err != nil {
				return nil, err
			}
			v, err := s.readString()
			if err != nil {
				return nil, err
			}
			return &Record{Kind: RecordAux, AuxKey: string(k), AuxValue: string(v)}, nil
		case opResizeDB:
			size, err := s.readLen()
			if err != nil {
				return nil, err
			}
			exp, err := s.readLen()
			if err != nil {
				return nil, err
			}
			return &Record{Kind: RecordResizeDB, DBSize: size, ExpiresSize: exp}, nil
		case opSelectDB:
			db, err := s.readLen()
			if err != nil {
				return nil, err
			}
			if db > math.MaxInt32 {
				return nil, corruptf("database number %d", db)
			}
			return &Record{Kind: RecordSelectDB, DB: int(db)}, nil
		case opExpireMs:
			var b [8]byte
			if err := s.readFull(b[:]); err != nil {
				return nil, err
			}
			r.expireAtMs = int64(binary.LittleEndian.Uint64(b[:]))
		case opExpireSec:
			var b [4]byte
			if err := s.readFull(b[:]); err != nil {
				return nil, err
			}
			r.expireAtMs = int64(int32(binary.LittleEndian.Uint32(b[:]))) * 1000
		case opIdle:
			if r.idle, err = s.readLen(); err != nil {
				return nil, err
			}
			r.hasIdle = true
		case opFreq:
			if _, err := s.readByte(); err != nil {
				return nil, err
			}
		case opModuleAux:
			return nil, unsupportedf("module aux data (opcode 0x%02x)", op)
		case opFunction2, opFunctionPre:
			return nil, unsupportedf("functions (opcode 0x%02x)", op)
		case opEOF:
			return nil, r.finish()
		default:
			key, err := s.readString()
			if err != nil {
				return nil, err
			}
			rec := &Record{Kind: RecordKey, Key: key, ExpireAtMs: r.expireAtMs, Idle: r.idle, HasIdle: r.hasIdle}
			r.expireAtMs, r.idle, r.hasIdle = 0, 0, false
			err = s.readValue(op, rec)
			if errors.Is(err, errEmptyKey) {
				continue
			}
			if err != nil {
				return nil, err
			}
			return rec, nil
		}
	}
}

// finish checks the trailer after the EOF opcode.
func (r *Reader) finish() error {
	if r.version < 5 {
		return io.EOF
	}
	want := r.src.sum()
	var b [8]byte
	if err := r.src.readFull(b[:]); err != nil {
		return fmt.Errorf("rdb: reading checksum: %w", err)
	}
	if got := binary.LittleEndian.Uint64(b[:]); got != 0 && got != want {
		return fmt.Errorf("%w: file says %016x, computed %016x", ErrChecksum, got, want)
	}
	return io.EOF
}
