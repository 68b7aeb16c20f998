package rdb

import (
	"encoding/binary"
	"strconv"
)

// Ziplist layout (src/ziplist.c), little-endian unless noted:
//
//	<uint32 zlbytes><uint32 zltail><uint16 zllen (65535 = unknown)> entries... 0xFF
//
// Each entry is <prevlen><encoding><data>. prevlen is one byte if < 254,
// else 0xFE followed by a uint32. Encodings:
//
//	00pppppp                   string, 6-bit length
//	01pppppp qqqqqqqq          string, 14-bit big-endian length
//	10...... + 4 bytes         string, 32-bit big-endian length
//	0xC0 int16, 0xD0 int32, 0xE0 int64, 0xF0 int24, 0xFE int8
//	0xF1..0xFD                 immediate 0..12
const (
	zlHeaderSize = 10
	zlEnd        = 0xFF
	zlBigPrevlen = 0xFE
	zlCountUnkwn = 0xFFFF
)

// parseZiplist validates a serialized ziplist and returns its entries;
// integers are returned as decimal text. Returned slices alias b with
// their capacity clipped.
func parseZiplist(b []byte) ([][]byte, error) {
	if len(b) < zlHeaderSize+1 {
		return nil, corruptf("ziplist of %d bytes is too short", len(b))
	}
	if n := binary.LittleEndian.Uint32(b); uint64(n) != uint64(len(b)) {
		return nil, corruptf("ziplist header says %d bytes, have %d", n, len(b))
	}
	if b[len(b)-1] != zlEnd {
		return nil, corruptf("ziplist does not end with 0xFF")
	}
	tail := binary.LittleEndian.Uint32(b[4:])
	count := int(binary.LittleEndian.Uint16(b[8:]))
	// The smallest entry is 2 bytes, which bounds the slice we allocate.
	entries := make([][]byte, 0, min(count, (len(b)-zlHeaderSize)/2))
	body := b[:len(b)-1]
	p, prev, last := zlHeaderSize, 0, zlHeaderSize
	for p < len(body) {
		val, size, err := zlEntry(body[p:], prev)
		if err != nil {
			return nil, err
		}
		entries = append(entries, val)
		last, prev = p, size
		p += size
	}
	if uint64(tail) != uint64(last) {
		return nil, corruptf("ziplist tail offset %d, last entry at %d", tail, last)
	}
	if count != zlCountUnkwn && count != len(entries) {
		return nil, corruptf("ziplist header says %d entries, found %d", count, len(entries))
	}
	return entries, nil
}

// zlEntry decodes the entry at the start of b (which excludes the end
// marker), checking that its prevlen equals prev. It returns the value and
// the entry's total size.
func zlEntry(b []byte, prev int) ([]byte, int, error) {
	p := 1
	prevlen := uint64(b[0])
	if b[0] == zlBigPrevlen {
		if len(b) < 5 {
			return nil, 0, zlTruncated()
		}
		prevlen = uint64(binary.LittleEndian.Uint32(b[1:]))
		p = 5
	} else if b[0] == zlEnd {
		return nil, 0, corruptf("ziplist end marker inside the ziplist")
	}
	if prevlen != uint64(prev) {
		return nil, 0, corruptf("ziplist entry prevlen %d, previous entry is %d bytes", prevlen, prev)
	}
	if p >= len(b) {
		return nil, 0, zlTruncated()
	}
	c := b[p]
	p++
	var n uint64 // string length
	switch c >> 6 {
	case 0:
		n = uint64(c & 0x3F)
	case 1:
		if p >= len(b) {
			return nil, 0, zlTruncated()
		}
		n = uint64(c&0x3F)<<8 | uint64(b[p])
		p++
	case 2:
		if p+4 > len(b) {
			return nil, 0, zlTruncated()
		}
		n = uint64(binary.BigEndian.Uint32(b[p:]))
		p += 4
	default:
		return zlInt(b, p, c)
	}
	if n > uint64(len(b)-p) {
		return nil, 0, zlTruncated()
	}
	end := p + int(n)
	return b[p:end:end], end, nil
}

func zlInt(b []byte, p int, c byte) ([]byte, int, error) {
	var nb int
	switch c {
	case 0xFE:
		nb = 1
	case 0xC0:
		nb = 2
	case 0xF0:
		nb = 3
	case 0xD0:
		nb = 4
	case 0xE0:
		nb = 8
	default:
		if c >= 0xF1 && c <= 0xFD {
			return strconv.AppendInt(nil, int64(c&0x0F)-1, 10), p, nil
		}
		return nil, 0, corruptf("invalid ziplist entry encoding 0x%02x", c)
	}
	if p+nb > len(b) {
		return nil, 0, zlTruncated()
	}
	var u uint64
	for i := nb - 1; i >= 0; i-- {
		u = u<<8 | uint64(b[p+i])
	}
	return strconv.AppendInt(nil, signExtend(u, uint(nb*8)), 10), p + nb, nil
}

func zlTruncated() error {
	return corruptf("ziplist entry overruns the ziplist")
}
