package rdb

import (
	"encoding/binary"
	"strconv"
)

// Length encoding (src/rdb.h): the top two bits of the first byte select
// the form.
const (
	len6Bit  = 0    // 00xxxxxx
	len14Bit = 1    // 01xxxxxx xxxxxxxx (big-endian)
	len32Bit = 0x80 // 0x80 + 4 bytes big-endian
	len64Bit = 0x81 // 0x81 + 8 bytes big-endian
	lenEnc   = 3    // 11xxxxxx: special string encoding follows

	encInt8  = 0
	encInt16 = 1
	encInt32 = 2
	encLZF   = 3
)

// appendLen appends the minimal length encoding of n.
func appendLen(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n))
	case n < 1<<14:
		return append(b, byte(n>>8)|0x40, byte(n))
	case n <= 0xFFFFFFFF:
		b = append(b, len32Bit)
		return binary.BigEndian.AppendUint32(b, uint32(n))
	default:
		b = append(b, len64Bit)
		return binary.BigEndian.AppendUint64(b, n)
	}
}

// appendString appends s in RDB string form. Like Redis, short strings
// that are the canonical decimal form of an int32 are stored as integers.
func appendString(b []byte, s []byte) []byte {
	if v, ok := parseCanonicalInt(s); ok {
		switch {
		case v >= -1<<7 && v < 1<<7:
			return append(b, 0xC0|encInt8, byte(v))
		case v >= -1<<15 && v < 1<<15:
			b = append(b, 0xC0|encInt16)
			return binary.LittleEndian.AppendUint16(b, uint16(v))
		case v >= -1<<31 && v < 1<<31:
			b = append(b, 0xC0|encInt32)
			return binary.LittleEndian.AppendUint32(b, uint32(v))
		}
	}
	b = appendLen(b, uint64(len(s)))
	return append(b, s...)
}

// parseCanonicalInt reports whether s (at most 11 bytes) is exactly the
// decimal text of an integer, with no sign on zero, no '+', no leading
// zeros: converting the value back gives s again.
func parseCanonicalInt(s []byte) (int64, bool) {
	if len(s) == 0 || len(s) > 11 {
		return 0, false
	}
	d := s
	neg := s[0] == '-'
	if neg {
		d = s[1:]
	}
	if len(d) == 0 || (d[0] == '0' && (len(d) > 1 || neg)) {
		return 0, false
	}
	var v int64
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// readLenEnc reads a length. If the first byte is of the 11xxxxxx form it
// returns its low six bits with enc set.
func (s *source) readLenEnc() (n uint64, enc bool, err error) {
	b, err := s.readByte()
	if err != nil {
		return 0, false, err
	}
	switch b >> 6 {
	case len6Bit:
		return uint64(b & 0x3F), false, nil
	case len14Bit:
		b2, err := s.readByte()
		if err != nil {
			return 0, false, err
		}
		return uint64(b&0x3F)<<8 | uint64(b2), false, nil
	case lenEnc:
		return uint64(b & 0x3F), true, nil
	}
	var buf [8]byte
	switch b {
	case len32Bit:
		if err := s.readFull(buf[:4]); err != nil {
			return 0, false, err
		}
		return uint64(binary.BigEndian.Uint32(buf[:4])), false, nil
	case len64Bit:
		if err := s.readFull(buf[:]); err != nil {
			return 0, false, err
		}
		return binary.BigEndian.Uint64(buf[:]), false, nil
	}
	return 0, false, corruptf("invalid length encoding 0x%02x", b)
}

// readLen reads a plain length (no special string encoding allowed).
func (s *source) readLen() (uint64, error) {
	n, enc, err := s.readLenEnc()
	if err != nil {
		return 0, err
	}
	if enc {
		return 0, corruptf("string encoding 0x%02x where a length was expected", 0xC0|n)
	}
	return n, nil
}

// readCount reads a collection element count.
func (s *source) readCount() (int, error) {
	n, err := s.readLen()
	if err != nil {
		return 0, err
	}
	if n > MaxElements || n > uint64(maxInt) {
		return 0, corruptf("element count %d exceeds limit", n)
	}
	return int(n), nil
}

const maxInt = int(^uint(0) >> 1)

// readString reads an RDB string in any of its encodings; integers come
// back as decimal text.
func (s *source) readString() ([]byte, error) {
	n, enc, err := s.readLenEnc()
	if err != nil {
		return nil, err
	}
	if !enc {
		return s.readBytes(n)
	}
	var buf [4]byte
	switch n {
	case encInt8:
		b, err := s.readByte()
		if err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, int64(int8(b)), 10), nil
	case encInt16:
		if err := s.readFull(buf[:2]); err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, int64(int16(binary.LittleEndian.Uint16(buf[:2]))), 10), nil
	case encInt32:
		if err := s.readFull(buf[:4]); err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, int64(int32(binary.LittleEndian.Uint32(buf[:4]))), 10), nil
	case encLZF:
		return s.readLZF()
	}
	return nil, corruptf("unknown string encoding 0x%02x", 0xC0|n)
}

// readLZF reads <len clen><len ulen><clen bytes> and decompresses it.
func (s *source) readLZF() ([]byte, error) {
	clen, err := s.readLen()
	if err != nil {
		return nil, err
	}
	ulen, err := s.readLen()
	if err != nil {
		return nil, err
	}
	if ulen > MaxStringLen || clen > MaxStringLen {
		return nil, corruptf("LZF string length %d/%d exceeds limit", clen, ulen)
	}
	// Every LZF instruction expands at most 3 input bytes into 264 output
	// bytes, which bounds ulen by what the input can hold.
	if ulen > clen*lzfMaxRatio {
		return nil, corruptf("LZF string of %d bytes cannot expand to %d", clen, ulen)
	}
	in, err := s.readBytes(clen)
	if err != nil {
		return nil, err
	}
	out := make([]byte, ulen)
	if err := lzfDecompress(in, out); err != nil {
		return nil, err
	}
	return out, nil
}
