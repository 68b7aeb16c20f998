package rdb

import "hash/crc64"

// crcPoly is the reflected form of the CRC-64/Jones polynomial
// 0xad93d23594c935a9 that Redis uses (src/crc64.c).
const crcPoly = 0x95AC9329AC4BC9B5

var crcTable = crc64.MakeTable(crcPoly)

// crcUpdate extends a Redis CRC-64 with p. Redis uses no initial or final
// inversion, while hash/crc64 applies both, so they are undone here.
func crcUpdate(crc uint64, p []byte) uint64 {
	return ^crc64.Update(^crc, crcTable, p)
}

// Checksum returns the Redis CRC-64 (Jones polynomial, init 0, no final
// xor) of p, as used in RDB trailers and DUMP payloads.
// Checksum([]byte("123456789")) == 0xe9c6d914c4b8d9ca.
func Checksum(p []byte) uint64 {
	return crcUpdate(0, p)
}
