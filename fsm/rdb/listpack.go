package rdb

import (
	"encoding/binary"
	"strconv"
)

// Listpack layout (src/listpack.c, Redis 7.0), all little-endian:
//
//	<uint32 total bytes><uint16 count (65535 = unknown)> entries... 0xFF
//
// Each entry is <encoding+data><backlen>, where backlen is the size of
// encoding+data written in 1..5 bytes readable from the right.
const (
	lpHeaderSize    = 6
	lpEOF           = 0xFF
	lpCountUnknown  = 0xFFFF
	lpEnc16BitInt   = 0xF1
	lpEnc24BitInt   = 0xF2
	lpEnc32BitInt   = 0xF3
	lpEnc64BitInt   = 0xF4
	lpEnc32BitStr   = 0xF0
	lpMaxBacklenLen = 5
)

// parseListpack validates a serialized listpack and returns its entries;
// integer entries are returned as decimal text. Returned slices alias b
// with their capacity clipped.
func parseListpack(b []byte) ([][]byte, error) {
	if len(b) < lpHeaderSize+1 {
		return nil, corruptf("listpack of %d bytes is too short", len(b))
	}
	if total := binary.LittleEndian.Uint32(b); uint64(total) != uint64(len(b)) {
		return nil, corruptf("listpack header says %d bytes, have %d", total, len(b))
	}
	if b[len(b)-1] != lpEOF {
		return nil, corruptf("listpack does not end with 0xFF")
	}
	count := int(binary.LittleEndian.Uint16(b[4:]))
	// The smallest entry is 2 bytes, which bounds the slice we allocate.
	entries := make([][]byte, 0, min(count, (len(b)-lpHeaderSize)/2))
	p := lpHeaderSize
	for b[p] != lpEOF {
		val, size, err := lpEntry(b[p : len(b)-1])
		if err != nil {
			return nil, err
		}
		// The backlen must encode size exactly, as lpEncodeBacklen does.
		var back [lpMaxBacklenLen]byte
		bl := lpEncodeBacklen(back[:], uint64(size))
		end := p + size + bl
		if end > len(b)-1 {
			return nil, corruptf("listpack entry overruns the listpack")
		}
		if string(b[p+size:end]) != string(back[:bl]) {
			return nil, corruptf("listpack entry has a bad back-length")
		}
		entries = append(entries, val)
		p = end
	}
	if p != len(b)-1 {
		return nil, corruptf("listpack has data after its end marker")
	}
	if count != lpCountUnknown && count != len(entries) {
		return nil, corruptf("listpack header says %d entries, found %d", count, len(entries))
	}
	return entries, nil
}

// lpEntry decodes the entry at the start of b, returning its value and the
// size of its encoding and data (without backlen).
func lpEntry(b []byte) (val []byte, size int, err error) {
	c := b[0]
	var u uint64 // integer payload
	var bits uint
	switch {
	case c&0x80 == 0: // 0xxxxxxx: 7-bit unsigned int
		return strconv.AppendInt(nil, int64(c), 10), 1, nil
	case c&0xC0 == 0x80: // 10xxxxxx: string up to 63 bytes
		return lpStr(b, 1, int(c&0x3F))
	case c&0xE0 == 0xC0: // 110xxxxx xxxxxxxx: 13-bit signed int
		if len(b) < 2 {
			return nil, 0, lpTruncated()
		}
		u, bits, size = uint64(c&0x1F)<<8|uint64(b[1]), 13, 2
	case c&0xF0 == 0xE0: // 1110xxxx xxxxxxxx: string up to 4095 bytes
		if len(b) < 2 {
			return nil, 0, lpTruncated()
		}
		return lpStr(b, 2, int(c&0x0F)<<8|int(b[1]))
	case c == lpEnc32BitStr:
		if len(b) < 5 {
			return nil, 0, lpTruncated()
		}
		n := binary.LittleEndian.Uint32(b[1:])
		if uint64(n) > uint64(len(b)) {
			return nil, 0, lpTruncated()
		}
		return lpStr(b, 5, int(n))
	case c >= lpEnc16BitInt && c <= lpEnc64BitInt:
		nb := [...]int{2, 3, 4, 8}[c-lpEnc16BitInt]
		if len(b) < 1+nb {
			return nil, 0, lpTruncated()
		}
		for i := nb; i >= 1; i-- {
			u = u<<8 | uint64(b[i])
		}
		bits, size = uint(nb*8), 1+nb
	default:
		return nil, 0, corruptf("invalid listpack entry encoding 0x%02x", c)
	}
	return strconv.AppendInt(nil, signExtend(u, bits), 10), size, nil
}

// signExtend interprets the low bits of u as a two's complement integer.
func signExtend(u uint64, bits uint) int64 {
	shift := 64 - bits
	return int64(u<<shift) >> shift
}

func lpStr(b []byte, hdr, n int) ([]byte, int, error) {
	if hdr+n > len(b) {
		return nil, 0, lpTruncated()
	}
	return b[hdr : hdr+n : hdr+n], hdr + n, nil
}

func lpTruncated() error {
	return corruptf("listpack entry overruns the listpack")
}

// lpEncodeBacklen writes the back-length of an entry of size l into buf
// exactly as Redis's lpEncodeBacklen does and returns its length.
func lpEncodeBacklen(buf []byte, l uint64) int {
	switch {
	case l <= 127:
		buf[0] = byte(l)
		return 1
	case l < 16383:
		buf[0] = byte(l >> 7)
		buf[1] = byte(l&127) | 128
		return 2
	case l < 2097151:
		buf[0] = byte(l >> 14)
		buf[1] = byte((l>>7)&127) | 128
		buf[2] = byte(l&127) | 128
		return 3
	case l < 268435455:
		buf[0] = byte(l >> 21)
		buf[1] = byte((l>>14)&127) | 128
		buf[2] = byte((l>>7)&127) | 128
		buf[3] = byte(l&127) | 128
		return 4
	default:
		buf[0] = byte(l >> 28)
		buf[1] = byte((l>>21)&127) | 128
		buf[2] = byte((l>>14)&127) | 128
		buf[3] = byte((l>>7)&127) | 128
		buf[4] = byte(l&127) | 128
		return 5
	}
}
