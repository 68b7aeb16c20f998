package fsm

import (
	"math"
	"strconv"
	"strings"
)

// Doubles as Redis reads and writes them: sorted-set scores, weights and
// score ranges. Redis parses them with C's strtod and prints them with
// printf's "%.17g". glibc's strtod rounds correctly, as strconv.ParseFloat
// does, but accepts more syntax (hex mantissas without an exponent,
// "nan(...)", leading spaces, a prefix of the string); scanStrtod
// reproduces what it consumes, so that every argument Redis accepts is
// accepted here with the same value, and every one it refuses is refused.

// scanStrtod parses the longest prefix of b that glibc's strtod would
// convert, reading b as a C string (it stops at a NUL byte). It returns the
// value, the number of bytes consumed (0 when nothing converts: strtod then
// sets its end pointer to the start, leading spaces included), and whether
// strtod would report a range error that Redis refuses: an overflow to
// ±Inf, or a nonzero number that underflows to zero.
func scanStrtod(b []byte) (v float64, n int, rangeErr bool) {
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	start := i
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	sign := 1.0
	if neg {
		sign = -1
	}
	if n := matchInfNaN(b[i:]); n > 0 {
		if b[i]|0x20 == 'n' {
			return math.NaN(), i + n, false
		}
		return math.Inf(int(sign)), i + n, false
	}
	if i+1 < len(b) && b[i] == '0' && b[i+1]|0x20 == 'x' {
		if end, ok := scanMantissa(b, i+2, 16); ok {
			end = scanExponent(b, end, 'p')
			v, rangeErr := convertHex(b[i+2:end], sign)
			return v, end, rangeErr
		}
		// "0x" without hex digits: strtod converts the "0".
		return math.Copysign(0, sign), i + 1, false
	}
	end, ok := scanMantissa(b, i, 10)
	if !ok {
		return 0, 0, false
	}
	end = scanExponent(b, end, 'e')
	v, err := strconv.ParseFloat(string(b[start:end]), 64)
	if err != nil {
		// ParseFloat refuses only what overflows once the syntax was
		// checked above: strtod returns ±HUGE_VAL with ERANGE.
		return v, end, true
	}
	return v, end, v == 0 && hasNonzeroDigit(b[i:end])
}

// matchInfNaN returns how many bytes of "inf", "infinity", "nan" or
// "nan(chars)" (any case) start b, or 0.
func matchInfNaN(b []byte) int {
	hasPrefixFold := func(p string) bool {
		return len(b) >= len(p) && strings.EqualFold(string(b[:len(p)]), p)
	}
	switch {
	case hasPrefixFold("infinity"):
		return 8
	case hasPrefixFold("inf"):
		return 3
	case hasPrefixFold("nan"):
		// An n-char-sequence in parentheses belongs to the NaN only if
		// the parenthesis closes.
		if len(b) > 3 && b[3] == '(' {
			j := 4
			for j < len(b) && isNaNChar(b[j]) {
				j++
			}
			if j < len(b) && b[j] == ')' {
				return j + 1
			}
		}
		return 3
	}
	return 0
}

// isNaNChar reports whether ch may appear in the parentheses of "nan(...)".
func isNaNChar(ch byte) bool {
	lower := ch | 0x20
	return isDigitIn(ch, 10) || ch == '_' || ('a' <= lower && lower <= 'z')
}

// scanMantissa scans digits in base with at most one radix point from
// b[i:] and returns where they end; ok is false when there is no digit.
func scanMantissa(b []byte, i, base int) (end int, ok bool) {
	digits, point := 0, false
	for ; i < len(b); i++ {
		switch {
		case b[i] == '.' && !point:
			point = true
		case isDigitIn(b[i], base):
			digits++
		default:
			return i, digits > 0
		}
	}
	return i, digits > 0
}

// scanExponent returns where an exponent (marker, optional sign, decimal
// digits) starting at b[i] ends; i itself if there is none or it has no
// digits.
func scanExponent(b []byte, i int, marker byte) int {
	if i >= len(b) || b[i]|0x20 != marker {
		return i
	}
	j := i + 1
	if j < len(b) && (b[j] == '+' || b[j] == '-') {
		j++
	}
	digits := j
	for j < len(b) && isDigitIn(b[j], 10) {
		j++
	}
	if j == digits {
		return i
	}
	return j
}

// convertHex converts a hex mantissa with an optional binary exponent
// ("1.8p3", "ff"), correctly rounded as glibc does.
func convertHex(text []byte, sign float64) (float64, bool) {
	s := string(text)
	if !strings.ContainsAny(s, "pP") {
		s += "p0"
	}
	v, err := strconv.ParseFloat("0x"+s, 64)
	v = math.Copysign(math.Abs(v), sign)
	if err != nil {
		return v, true
	}
	mant := s[:strings.IndexAny(s, "pP")]
	return v, v == 0 && hasNonzeroDigit([]byte(mant))
}

// hasNonzeroDigit reports whether the mantissa of a number's text has a
// nonzero digit (before any exponent).
func hasNonzeroDigit(b []byte) bool {
	for _, ch := range b {
		if ch|0x20 == 'e' || ch|0x20 == 'p' {
			return false
		}
		if ch != '0' && ch != '.' && isDigitIn(ch, 16) {
			return true
		}
	}
	return false
}

// parseDouble parses a whole argument as a double the way Redis's
// string2d does (ZADD scores, ZINCRBY increments, WEIGHTS): strtod must
// consume every byte, no leading space, no NaN, and no overflow or
// underflow to zero.
func parseDouble(b []byte) (float64, bool) {
	if len(b) == 0 || isCSpace(b[0]) {
		return 0, false
	}
	v, n, rangeErr := scanStrtod(b)
	if n != len(b) || rangeErr || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// parseRangeDouble parses one end of a score range as Redis's
// zslParseRange does: strtod on the C string, which must end where the
// number ends, and no NaN. Unlike parseDouble it skips leading spaces,
// stops at a NUL byte, takes "" as 0 and lets ±Inf and 0 come from
// overflow and underflow.
func parseRangeDouble(b []byte) (float64, bool) {
	v, n, _ := scanStrtod(b)
	if n < len(b) && b[n] != 0 {
		return 0, false
	}
	return v, !math.IsNaN(v)
}

// appendScore appends d as Redis replies a double to a RESP2 client
// (addReplyDouble): "inf", "-inf" or "%.17g".
func appendScore(dst []byte, d float64) []byte {
	switch {
	case math.IsInf(d, 1):
		return append(dst, "inf"...)
	case math.IsInf(d, -1):
		return append(dst, "-inf"...)
	}
	return strconv.AppendFloat(dst, d, 'g', 17, 64)
}

// Score writes d as Redis's bulk-string reply for a double.
func (c *Ctx) Score(d float64) {
	var buf [32]byte
	c.Bulk(appendScore(buf[:0], d))
}

// appendD2String appends d as Redis's d2string prints it: the text a
// packed sorted set stores for a score, which ZSCAN returns. Integers in
// ±2^62 print as integers ("-0" included, as 0), the rest as "%.17g".
func appendD2String(dst []byte, d float64) []byte {
	if n, ok := double2ll(d); ok {
		return strconv.AppendInt(dst, n, 10)
	}
	return appendScore(dst, d)
}

// double2ll reports whether d is an integer Redis stores as such (its
// double2ll): within ±LLONG_MAX/2 and without a fraction.
func double2ll(d float64) (int64, bool) {
	const limit = float64(math.MaxInt64 / 2)
	if d < -limit || d > limit || math.IsNaN(d) {
		return 0, false
	}
	n := int64(d)
	return n, float64(n) == d
}
