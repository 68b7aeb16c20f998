package rdb

import (
	"encoding/binary"
	"strconv"
)

// Intset layout (src/intset.c), little-endian:
//
//	<uint32 encoding: 2, 4 or 8><uint32 length> length × signed integers
//
// The integers are sorted ascending and unique.
const intsetHeaderSize = 8

// parseIntset validates a serialized intset and returns its members as
// decimal text.
func parseIntset(b []byte) ([][]byte, error) {
	if len(b) < intsetHeaderSize {
		return nil, corruptf("intset of %d bytes is too short", len(b))
	}
	enc := binary.LittleEndian.Uint32(b)
	if enc != 2 && enc != 4 && enc != 8 {
		return nil, corruptf("intset encoding %d", enc)
	}
	n := binary.LittleEndian.Uint32(b[4:])
	if uint64(n)*uint64(enc) != uint64(len(b)-intsetHeaderSize) {
		return nil, corruptf("intset of %d %d-byte integers in %d bytes", n, enc, len(b))
	}
	members := make([][]byte, 0, n)
	var prev int64
	for i := range int(n) {
		p := b[intsetHeaderSize+i*int(enc):]
		var v int64
		switch enc {
		case 2:
			v = int64(int16(binary.LittleEndian.Uint16(p)))
		case 4:
			v = int64(int32(binary.LittleEndian.Uint32(p)))
		default:
			v = int64(binary.LittleEndian.Uint64(p))
		}
		if i > 0 && v <= prev {
			return nil, corruptf("intset is not sorted and unique")
		}
		prev = v
		members = append(members, strconv.AppendInt(nil, v, 10))
	}
	return members, nil
}
