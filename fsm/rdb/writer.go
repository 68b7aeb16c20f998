package rdb

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
)

const writerFlushSize = 64 << 10

type writerState uint8

const (
	stateNew writerState = iota
	stateOpen
	stateClosed
)

// Writer streams an RDB file (version 10). Call WriteHeader, then any
// number of WriteAux, WriteSelectDB, WriteResizeDB and key writes, then
// Close. Output is buffered; the CRC-64 trailer is computed as it goes.
//
// The first error is sticky: every later call returns it, and the bytes
// written so far must be discarded. Argument errors detected before
// anything is written (ErrEmptyCollection, a nil sequence, a bad database
// number, a call out of order) are returned without poisoning the Writer.
//
// Strings are written raw, except that short canonical decimal integers
// use Redis's integer encoding, as Redis itself does. Keys are not checked
// for duplicates, nor set members or hash fields: that is the caller's job.
type Writer struct {
	w     io.Writer
	buf   []byte
	crc   uint64 // CRC of everything flushed from buf
	state writerState
	err   error

	idle    uint64 // LRU idle seconds for the next key (hasIdle)
	hasIdle bool
	// dump is set on a Writer for one DUMP payload: a key's record is
	// its type byte and value only (see NewDumpWriter).
	dump    bool
	dumped  bool // the payload's value has been written
	payload *bytes.Buffer
}

// NewWriter returns a Writer writing to w. Nothing is written yet.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w, buf: make([]byte, 0, 4096)}
}

// WriteHeader writes the magic "REDIS0010".
func (w *Writer) WriteHeader() error {
	if w.err != nil {
		return w.err
	}
	if w.state != stateNew {
		return fmt.Errorf("%w: WriteHeader called twice or after Close", ErrWriterState)
	}
	w.state = stateOpen
	w.buf = fmt.Appendf(w.buf, "REDIS%04d", Version)
	return nil
}

// WriteAux writes an AUX field such as "redis-ver".
func (w *Writer) WriteAux(key, value string) error {
	if err := w.fileReady(); err != nil {
		return err
	}
	w.buf = append(w.buf, opAux)
	w.buf = appendString(w.buf, []byte(key))
	w.buf = appendString(w.buf, []byte(value))
	return w.maybeFlush()
}

// WriteSelectDB starts database db.
func (w *Writer) WriteSelectDB(db int) error {
	if err := w.fileReady(); err != nil {
		return err
	}
	if db < 0 || db > math.MaxInt32 {
		return fmt.Errorf("rdb: invalid database number %d", db)
	}
	w.buf = append(w.buf, opSelectDB)
	w.buf = appendLen(w.buf, uint64(db))
	return w.maybeFlush()
}

// WriteResizeDB writes the size hints for the current database: the
// number of keys and the number of keys with an expiry.
func (w *Writer) WriteResizeDB(size, expires uint64) error {
	if err := w.fileReady(); err != nil {
		return err
	}
	w.buf = append(w.buf, opResizeDB)
	w.buf = appendLen(w.buf, size)
	w.buf = appendLen(w.buf, expires)
	return w.maybeFlush()
}

// WriteString writes a string key. expireAtMs is an absolute Unix time in
// milliseconds; 0 means no expiry.
func (w *Writer) WriteString(key, value []byte, expireAtMs int64) error {
	if err := w.ready(); err != nil {
		return err
	}
	w.keyHeader(rdbString, key, expireAtMs)
	w.putString(value)
	return w.maybeFlush()
}

// WriteList writes a list of n > 0 items, in order.
func (w *Writer) WriteList(key []byte, expireAtMs int64, n int, items iter.Seq[[]byte]) error {
	return w.writeSeq(rdbList, key, expireAtMs, n, items)
}

// WriteSet writes a set of n > 0 distinct members.
func (w *Writer) WriteSet(key []byte, expireAtMs int64, n int, members iter.Seq[[]byte]) error {
	return w.writeSeq(rdbSet, key, expireAtMs, n, members)
}

// WriteZSet writes a sorted set of n > 0 distinct members with their
// scores (any order; ±Inf allowed, NaN rejected).
func (w *Writer) WriteZSet(key []byte, expireAtMs int64, n int, members iter.Seq2[[]byte, float64]) error {
	var seq iter.Seq2[[]byte, []byte]
	if members != nil {
		seq = w.binaryScores(members)
	}
	return w.writeSeq2(rdbZSet2, key, expireAtMs, n, seq, true)
}

// binaryScores turns scores into their 8-byte little-endian IEEE 754 form,
// failing the Writer on NaN.
func (w *Writer) binaryScores(members iter.Seq2[[]byte, float64]) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		var score [8]byte
		for m, f := range members {
			if math.IsNaN(f) {
				w.fail(fmt.Errorf("%w: member %q", ErrNaNScore, m))
				return
			}
			binary.LittleEndian.PutUint64(score[:], math.Float64bits(f))
			if !yield(m, score[:]) {
				return
			}
		}
	}
}

// WriteHash writes a hash of n > 0 distinct fields.
func (w *Writer) WriteHash(key []byte, expireAtMs int64, n int, fields iter.Seq2[[]byte, []byte]) error {
	return w.writeSeq2(rdbHash, key, expireAtMs, n, fields, false)
}

// Close writes the EOF opcode and the checksum and flushes. It does not
// close the underlying writer.
func (w *Writer) Close() error {
	if err := w.fileReady(); err != nil {
		return err
	}
	w.buf = append(w.buf, opEOF)
	w.state = stateClosed
	return w.finish()
}

// finish flushes everything buffered, then appends the CRC-64 of all bytes
// written, unchecksummed, and flushes again.
func (w *Writer) finish() error {
	if err := w.flush(); err != nil {
		return err
	}
	w.buf = binary.LittleEndian.AppendUint64(w.buf, w.crc)
	if _, err := w.w.Write(w.buf); err != nil {
		return w.fail(fmt.Errorf("rdb: write: %w", err))
	}
	w.buf = w.buf[:0]
	return nil
}

// fileReady is ready for what only an RDB file holds (not a DUMP payload).
func (w *Writer) fileReady() error {
	if w.dump {
		return fmt.Errorf("%w: a DUMP payload has no file structure", ErrWriterState)
	}
	return w.ready()
}

func (w *Writer) ready() error {
	if w.err != nil {
		return w.err
	}
	if w.dump && w.dumped {
		return fmt.Errorf("%w: a DUMP payload holds one value", ErrWriterState)
	}
	switch w.state {
	case stateNew:
		return fmt.Errorf("%w: WriteHeader not called", ErrWriterState)
	case stateClosed:
		return fmt.Errorf("%w: writer is closed", ErrWriterState)
	}
	return nil
}

func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}

// SetIdle makes the next key carry an LRU idle time in seconds (the IDLE
// opcode), which Redis applies when it loads the file.
func (w *Writer) SetIdle(seconds uint64) { w.idle, w.hasIdle = seconds, true }

func (w *Writer) keyHeader(t byte, key []byte, expireAtMs int64) {
	if w.dump {
		w.buf = append(w.buf, t)
		w.dumped = true
		return
	}
	if expireAtMs != 0 {
		w.buf = append(w.buf, opExpireMs)
		w.buf = binary.LittleEndian.AppendUint64(w.buf, uint64(expireAtMs))
	}
	if w.hasIdle {
		w.buf = append(w.buf, opIdle)
		w.buf = appendLen(w.buf, w.idle)
		w.idle, w.hasIdle = 0, false
	}
	w.buf = append(w.buf, t)
	w.putString(key)
}

// putString appends an RDB string; big ones bypass the buffer.
func (w *Writer) putString(s []byte) {
	if len(s) < writerFlushSize {
		w.buf = appendString(w.buf, s)
		return
	}
	w.buf = appendLen(w.buf, uint64(len(s)))
	if w.flush() == nil {
		w.write(s)
	}
}

func (w *Writer) maybeFlush() error {
	if len(w.buf) >= writerFlushSize {
		return w.flush()
	}
	return w.err
}

func (w *Writer) flush() error {
	if w.err != nil {
		return w.err
	}
	w.write(w.buf)
	w.buf = w.buf[:0]
	return w.err
}

func (w *Writer) write(p []byte) {
	if w.err != nil {
		return
	}
	w.crc = crcUpdate(w.crc, p)
	if _, err := w.w.Write(p); err != nil {
		w.fail(fmt.Errorf("rdb: write: %w", err))
	}
}

func checkCount(n int, seqNil bool) error {
	if n <= 0 {
		return fmt.Errorf("%w: declared %d elements", ErrEmptyCollection, n)
	}
	if seqNil {
		return fmt.Errorf("%w: nil sequence", ErrCountMismatch)
	}
	return nil
}

func (w *Writer) writeSeq(t byte, key []byte, expireAtMs int64, n int, seq iter.Seq[[]byte]) error {
	if err := w.ready(); err != nil {
		return err
	}
	if err := checkCount(n, seq == nil); err != nil {
		return err
	}
	w.keyHeader(t, key, expireAtMs)
	return w.seqBody(n, seq)
}

// writeSeq2 writes n pairs; with rawSecond the second element is written
// as is (a binary score) instead of as an RDB string.
func (w *Writer) writeSeq2(t byte, key []byte, expireAtMs int64, n int, seq iter.Seq2[[]byte, []byte], rawSecond bool) error {
	if err := w.ready(); err != nil {
		return err
	}
	if err := checkCount(n, seq == nil); err != nil {
		return err
	}
	w.keyHeader(t, key, expireAtMs)
	return w.seq2Body(n, seq, rawSecond)
}

func (w *Writer) seqBody(n int, seq iter.Seq[[]byte]) error {
	w.buf = appendLen(w.buf, uint64(n))
	count := 0
	for v := range seq {
		if count++; count > n || w.maybeFlush() != nil {
			break
		}
		w.putString(v)
	}
	return w.endSeq(n, count)
}

func (w *Writer) seq2Body(n int, seq iter.Seq2[[]byte, []byte], rawSecond bool) error {
	w.buf = appendLen(w.buf, uint64(n))
	count := 0
	for a, b := range seq {
		if count++; count > n || w.maybeFlush() != nil {
			break
		}
		w.putString(a)
		if rawSecond {
			w.buf = append(w.buf, b...)
		} else {
			w.putString(b)
		}
	}
	return w.endSeq(n, count)
}

func (w *Writer) endSeq(n, count int) error {
	if w.err != nil {
		return w.err
	}
	if count != n {
		got := strconv.Itoa(count)
		if count > n {
			got = "more"
		}
		return w.fail(fmt.Errorf("%w: declared %d, sequence yielded %s", ErrCountMismatch, n, got))
	}
	return w.maybeFlush()
}
