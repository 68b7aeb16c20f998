package server

import (
	"math"
	"strconv"
	"strings"

	"github.com/raftis/raftis/fsm"
)

// Parsing CONFIG SET values as Redis 7.0 does, with its error texts: an
// integer parameter takes a canonical decimal (string2ll), a memory
// parameter a decimal with an optional unit (memtoull: b, k=1000,
// kb=1024, m, mb, g, gb, any case); then the range is checked, signed or
// unsigned after the parameter's C type.

const (
	errNotInteger = "argument couldn't be parsed into an integer"
	errNotMemory  = "argument must be a memory value"
)

// parseSigned parses a value of a signed parameter in [lo, hi].
func parseSigned(v []byte, memory bool, lo, hi int64) (int64, string) {
	var n int64
	if memory {
		u, ok := parseMemory(v)
		if !ok {
			return 0, errNotMemory
		}
		n = int64(u) // as C converts it: a huge value turns negative and fails the range
	} else {
		var ok bool
		if n, ok = fsm.ParseInt(v); !ok {
			return 0, errNotInteger
		}
	}
	if n < lo || n > hi {
		return 0, "argument must be between " + strconv.FormatInt(lo, 10) + " and " + strconv.FormatInt(hi, 10) + " inclusive"
	}
	return n, ""
}

// parseUnsigned parses a value of an unsigned parameter in [lo, hi]. An
// integer below zero is taken as C does, modulo 2^64, and so out of range.
func parseUnsigned(v []byte, memory bool, lo, hi uint64) (uint64, string) {
	var n uint64
	if memory {
		var ok bool
		if n, ok = parseMemory(v); !ok {
			return 0, errNotMemory
		}
	} else {
		i, ok := fsm.ParseInt(v)
		if !ok {
			return 0, errNotInteger
		}
		n = uint64(i)
	}
	if n < lo || n > hi {
		return 0, "argument must be between " + strconv.FormatUint(lo, 10) + " and " + strconv.FormatUint(hi, 10) + " inclusive"
	}
	return n, ""
}

// memoryUnits are memtoull's units.
var memoryUnits = map[string]uint64{"": 1, "b": 1, "k": 1000, "kb": 1024, "m": 1000 * 1000, "mb": 1 << 20, "g": 1000 * 1000 * 1000, "gb": 1 << 30}

// parseMemory is Redis's memtoull: digits, then a unit. No digits reads as
// 0, too many saturate at 2^64-1, and the product wraps around, all as in
// Redis.
func parseMemory(v []byte) (uint64, bool) {
	if len(v) > 0 && v[0] == '-' {
		return 0, false
	}
	digits := 0
	for digits < len(v) && '0' <= v[digits] && v[digits] <= '9' {
		digits++
	}
	mul, ok := memoryUnits[strings.ToLower(string(v[digits:]))]
	if !ok || digits >= 128 {
		return 0, false
	}
	n := uint64(0)
	if digits > 0 {
		var err error
		if n, err = strconv.ParseUint(string(v[:digits]), 10, 64); err != nil {
			n = math.MaxUint64 // strtoull's saturation on overflow
		}
	}
	return n * mul, true
}

// ParseMemory reads a memory size as CONFIG SET does (--maxmemory).
func ParseMemory(v string) (uint64, bool) { return parseMemory([]byte(v)) }
