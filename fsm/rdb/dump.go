package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// dumpFooterSize is the <2-byte RDB version><8-byte CRC-64> footer of a
// DUMP payload.
const dumpFooterSize = 10

// EncodeDump serializes the value of rec (rec.Type and the matching field;
// Key and ExpireAtMs are ignored) as a Redis DUMP payload that RESTORE
// accepts: <type><value><RDB version, 2 bytes LE><CRC-64, 8 bytes LE>.
func EncodeDump(rec *Record) ([]byte, error) {
	var out bytes.Buffer
	w := NewWriter(&out)
	w.state = stateOpen
	var err error
	switch rec.Type {
	case TypeString:
		w.buf = append(w.buf, rdbString)
		w.putString(rec.String)
	case TypeList:
		err = w.dumpSeq(rdbList, len(rec.List), slices.Values(rec.List))
	case TypeSet:
		err = w.dumpSeq(rdbSet, len(rec.Set), slices.Values(rec.Set))
	case TypeZSet:
		err = w.dumpSeq2(rdbZSet2, len(rec.ZSet), w.binaryScores(func(yield func([]byte, float64) bool) {
			for _, m := range rec.ZSet {
				if !yield(m.Member, m.Score) {
					return
				}
			}
		}), true)
	case TypeHash:
		err = w.dumpSeq2(rdbHash, len(rec.Hash), func(yield func([]byte, []byte) bool) {
			for _, f := range rec.Hash {
				if !yield(f.Field, f.Value) {
					return
				}
			}
		}, false)
	default:
		return nil, fmt.Errorf("rdb: EncodeDump: unknown value type %d", rec.Type)
	}
	if err != nil {
		return nil, err
	}
	w.buf = binary.LittleEndian.AppendUint16(w.buf, Version)
	if err := w.finish(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// DecodeDump decodes a Redis DUMP payload into a RecordKey record without
// Key or expiry. The footer's RDB version must be at most 10 and its CRC-64
// must match (a zero CRC is not accepted); failures are reported as
// ErrDumpTooShort, ErrDumpVersion or ErrDumpChecksum. A malformed value
// yields an error wrapping ErrCorrupt or ErrUnsupported.
func DecodeDump(payload []byte) (*Record, error) {
	if len(payload) < dumpFooterSize {
		return nil, ErrDumpTooShort
	}
	body := len(payload) - dumpFooterSize
	if v := binary.LittleEndian.Uint16(payload[body:]); v > Version {
		return nil, fmt.Errorf("%w: version %d", ErrDumpVersion, v)
	}
	if Checksum(payload[:body+2]) != binary.LittleEndian.Uint64(payload[body+2:]) {
		return nil, ErrDumpChecksum
	}
	s := newBytesSource(payload[:body])
	t, err := s.readByte()
	if err != nil {
		return nil, err
	}
	rec := &Record{Kind: RecordKey}
	if err := s.readValue(t, rec); err != nil {
		if errors.Is(err, errEmptyKey) {
			return nil, corruptf("DUMP payload holds an empty collection")
		}
		return nil, err
	}
	if s.remaining() != 0 {
		return nil, corruptf("DUMP payload has %d bytes after the value", s.remaining())
	}
	return rec, nil
}

func (w *Writer) dumpSeq(t byte, n int, seq func(func([]byte) bool)) error {
	if err := checkCount(n, false); err != nil {
		return err
	}
	w.buf = append(w.buf, t)
	return w.seqBody(n, seq)
}

func (w *Writer) dumpSeq2(t byte, n int, seq func(func([]byte, []byte) bool), rawSecond bool) error {
	if err := checkCount(n, false); err != nil {
		return err
	}
	w.buf = append(w.buf, t)
	return w.seq2Body(n, seq, rawSecond)
}
