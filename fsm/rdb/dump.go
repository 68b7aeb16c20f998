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

// NewDumpWriter returns a Writer for one Redis DUMP payload. Write one
// value with the key methods (WriteString, WriteList, ...; their key and
// expiry are left out of a payload), then take it with Payload:
// <type><value><RDB version, 2 bytes LE><CRC-64, 8 bytes LE>, as Redis's
// DUMP makes it and its RESTORE checks it.
func NewDumpWriter() *Writer {
	out := new(bytes.Buffer)
	w := NewWriter(out)
	w.state, w.dump, w.payload = stateOpen, true, out
	return w
}

// Payload finishes the payload and returns it. The Writer is closed.
func (w *Writer) Payload() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if !w.dump || !w.dumped || w.state != stateOpen {
		return nil, fmt.Errorf("%w: Payload needs one value written to a DUMP writer", ErrWriterState)
	}
	w.buf = binary.LittleEndian.AppendUint16(w.buf, Version)
	w.state = stateClosed
	if err := w.finish(); err != nil {
		return nil, err
	}
	return w.payload.Bytes(), nil
}

// EncodeDump serializes the value of rec (rec.Type and the matching field;
// Key and ExpireAtMs are ignored) as a Redis DUMP payload.
func EncodeDump(rec *Record) ([]byte, error) {
	w := NewDumpWriter()
	var err error
	switch rec.Type {
	case TypeString:
		err = w.WriteString(nil, rec.String, 0)
	case TypeList:
		err = w.WriteList(nil, 0, len(rec.List), slices.Values(rec.List))
	case TypeSet:
		err = w.WriteSet(nil, 0, len(rec.Set), slices.Values(rec.Set))
	case TypeZSet:
		err = w.WriteZSet(nil, 0, len(rec.ZSet), func(yield func([]byte, float64) bool) {
			for _, m := range rec.ZSet {
				if !yield(m.Member, m.Score) {
					return
				}
			}
		})
	case TypeHash:
		err = w.WriteHash(nil, 0, len(rec.Hash), func(yield func([]byte, []byte) bool) {
			for _, f := range rec.Hash {
				if !yield(f.Field, f.Value) {
					return
				}
			}
		})
	default:
		return nil, fmt.Errorf("rdb: EncodeDump: unknown value type %d", rec.Type)
	}
	if err != nil {
		return nil, err
	}
	return w.Payload()
}

// DecodeDump decodes a Redis DUMP payload into a RecordKey record without
// Key or expiry. The footer's RDB version must be at most 10 and its CRC-64
// must match (a zero CRC is not accepted); failures are reported as
// ErrDumpTooShort, ErrDumpVersion or ErrDumpChecksum. A malformed value
// yields an error wrapping ErrCorrupt or ErrUnsupported. As in Redis's
// RESTORE, the value is read from the whole payload: bytes after it are
// ignored, and a value cut short reads on into the footer.
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
	// Redis decodes from the whole payload: a value cut short reads on
	// into the footer, and what it leaves of the footer is ignored.
	s := newBytesSource(payload)
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
	return rec, nil
}
