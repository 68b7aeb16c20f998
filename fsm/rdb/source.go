package rdb

import (
	"fmt"
	"io"
	"math"
	"slices"
)

const (
	// The input buffer starts small and doubles while reads fill it, so
	// small inputs stay cheap and big ones are read in big pieces.
	sourceBufMin  = 4 << 10
	sourceBufSize = 64 << 10
	// readChunk is the largest allocation made for a string before its
	// bytes have actually arrived; bigger strings grow as data comes in.
	readChunk = 64 << 10
)

// source is a buffered reader that keeps a running CRC-64 of every byte
// consumed. The CRC is folded in lazily, a buffer at a time.
type source struct {
	rd   io.Reader // nil: buf holds all the input there is
	buf  []byte
	r, w int    // unread data is buf[r:w]
	c    int    // buf[:c] is already in crc
	crc  uint64 // CRC of everything consumed before buf[c]
	base int64  // stream offset of buf[0]
}

func newSource(rd io.Reader) *source {
	return &source{rd: rd, buf: make([]byte, sourceBufMin)}
}

// newBytesSource reads from p without copying it.
func newBytesSource(p []byte) *source {
	return &source{buf: p, w: len(p)}
}

// offset returns the number of bytes consumed so far.
func (s *source) offset() int64 { return s.base + int64(s.r) }

// sum returns the CRC-64 of every byte consumed so far.
func (s *source) sum() uint64 {
	s.crc = crcUpdate(s.crc, s.buf[s.c:s.r])
	s.c = s.r
	return s.crc
}

// remaining reports how many buffered bytes are left (bytes sources only).
func (s *source) remaining() int { return s.w - s.r }

// fill refills an exhausted buffer.
func (s *source) fill() error {
	if s.rd == nil {
		return truncated()
	}
	s.sum()
	s.base += int64(s.r)
	if s.w == len(s.buf) && len(s.buf) < sourceBufSize {
		s.buf = make([]byte, 2*len(s.buf))
	}
	s.r, s.w, s.c = 0, 0, 0
	for range 100 {
		n, err := s.rd.Read(s.buf)
		if n > 0 {
			s.w = n
			return nil
		}
		if err == io.EOF {
			return truncated()
		}
		if err != nil {
			return fmt.Errorf("rdb: read: %w", err)
		}
	}
	return fmt.Errorf("rdb: read: %w", io.ErrNoProgress)
}

func truncated() error {
	return fmt.Errorf("%w: %w", ErrCorrupt, io.ErrUnexpectedEOF)
}

func (s *source) readByte() (byte, error) {
	if s.r == s.w {
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
	b := s.buf[s.r]
	s.r++
	return b, nil
}

func (s *source) readFull(p []byte) error {
	for len(p) > 0 {
		if s.r == s.w {
			if err := s.fill(); err != nil {
				return err
			}
		}
		n := copy(p, s.buf[s.r:s.w])
		s.r += n
		p = p[n:]
	}
	return nil
}

// readBytes reads n bytes into a new slice. Memory grows with the data
// actually read, so a huge bogus n on a short input fails cheaply.
func (s *source) readBytes(n uint64) ([]byte, error) {
	if n > MaxStringLen || n > math.MaxInt {
		return nil, corruptf("string length %d exceeds limit", n)
	}
	if s.rd == nil && n > uint64(s.remaining()) {
		return nil, truncated()
	}
	size := int(n)
	if size <= readChunk || s.rd == nil {
		p := make([]byte, size)
		return p, s.readFull(p)
	}
	p := make([]byte, 0, readChunk)
	for len(p) < size {
		if len(p) == cap(p) {
			p = slices.Grow(p, min(size-len(p), cap(p)))
		}
		m := min(size, cap(p))
		if err := s.readFull(p[len(p):m]); err != nil {
			return nil, err
		}
		p = p[:m]
	}
	return p, nil
}
