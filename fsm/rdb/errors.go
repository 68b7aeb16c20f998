package rdb

import (
	"errors"
	"fmt"
)

// Errors returned by the Reader and DecodeDump. Decoding errors wrap one of
// these; test with errors.Is.
var (
	// ErrCorrupt reports malformed input: a bad length, a broken nested
	// encoding, a NaN score, truncated data (also wrapping
	// io.ErrUnexpectedEOF), and so on.
	ErrCorrupt = errors.New("rdb: corrupt data")
	// ErrChecksum reports an RDB file whose CRC-64 trailer does not match.
	ErrChecksum = errors.New("rdb: checksum mismatch")
	// ErrUnsupported reports valid RDB content this package cannot decode:
	// streams, modules, functions, or an unknown value type.
	ErrUnsupported = errors.New("rdb: unsupported")
	// ErrVersion reports an RDB version outside 1..10.
	ErrVersion = errors.New("rdb: unsupported RDB version")

	// ErrDumpTooShort reports a DUMP payload shorter than its 10-byte footer.
	ErrDumpTooShort = errors.New("rdb: DUMP payload too short")
	// ErrDumpVersion reports a DUMP payload from an RDB version newer than 10.
	ErrDumpVersion = errors.New("rdb: DUMP payload RDB version not supported")
	// ErrDumpChecksum reports a DUMP payload whose CRC-64 does not match.
	ErrDumpChecksum = errors.New("rdb: DUMP payload checksum mismatch")
)

// Errors returned by the Writer and EncodeDump.
var (
	// ErrEmptyCollection is returned when asked to write a list, set, sorted
	// set or hash with no elements: Redis refuses to load such keys.
	ErrEmptyCollection = errors.New("rdb: empty collection")
	// ErrCountMismatch is returned when a sequence yields a different number
	// of elements than declared. The output written so far is unusable.
	ErrCountMismatch = errors.New("rdb: element count does not match declared count")
	// ErrNaNScore is returned for a sorted-set member with a NaN score.
	ErrNaNScore = errors.New("rdb: NaN sorted set score")
	// ErrWriterState is returned for a call out of order: a record before
	// WriteHeader, WriteHeader twice, or any call after Close.
	ErrWriterState = errors.New("rdb: writer used out of order")
)

func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

func unsupportedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)
}
