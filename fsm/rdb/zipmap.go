package rdb

import "encoding/binary"

// Zipmap layout (src/zipmap.c, hashes in RDB files before Redis 2.6):
//
//	<zmlen> (<len>key <len><free>value <free unused bytes>)... 0xFF
//
// zmlen is the pair count if < 254. A <len> is one byte if < 254, else
// 0xFE followed by a little-endian uint32.
const (
	zmBigLen = 0xFE
	zmEnd    = 0xFF
)

// parseZipmap validates a serialized zipmap and returns its fields.
func parseZipmap(b []byte) ([]HashField, error) {
	if len(b) < 2 {
		return nil, corruptf("zipmap of %d bytes is too short", len(b))
	}
	if b[len(b)-1] != zmEnd {
		return nil, corruptf("zipmap does not end with 0xFF")
	}
	count := int(b[0])
	fields := make([]HashField, 0, min(count, len(b)/4))
	p := 1
	for b[p] != zmEnd {
		key, np, err := zmString(b, p, false)
		if err != nil {
			return nil, err
		}
		val, np, err := zmString(b, np, true)
		if err != nil {
			return nil, err
		}
		fields = append(fields, HashField{Field: key, Value: val})
		p = np
	}
	if p != len(b)-1 {
		return nil, corruptf("zipmap has data after its end marker")
	}
	if count < zmBigLen && count != len(fields) {
		return nil, corruptf("zipmap header says %d pairs, found %d", count, len(fields))
	}
	return fields, nil
}

// zmString reads a length, an optional free-byte count, the string and
// its free bytes, returning the string and the offset after it. The
// terminating 0xFF byte of b is never part of a string.
func zmString(b []byte, p int, value bool) ([]byte, int, error) {
	body := len(b) - 1
	if p >= body {
		return nil, 0, zmTruncated()
	}
	n := uint64(b[p])
	p++
	switch n {
	case zmBigLen:
		if p+4 > body {
			return nil, 0, zmTruncated()
		}
		n = uint64(binary.LittleEndian.Uint32(b[p:]))
		p += 4
	case zmEnd:
		return nil, 0, corruptf("zipmap end marker where a length was expected")
	}
	free := uint64(0)
	if value {
		if p >= body {
			return nil, 0, zmTruncated()
		}
		free = uint64(b[p])
		p++
	}
	if n+free > uint64(body-p) {
		return nil, 0, zmTruncated()
	}
	end := p + int(n)
	return b[p:end:end], end + int(free), nil
}

func zmTruncated() error {
	return corruptf("zipmap entry overruns the zipmap")
}
