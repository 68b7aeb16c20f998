package fsm

import (
	"bytes"
	"math/big"
	"strings"
)

// Long double emulation for INCRBYFLOAT. Redis parses both operands with
// strtold, adds them as C long doubles (on x86-64 the x87 80-bit format: a
// 64-bit mantissa, values below 2^ldMaxExp, normal values from
// 2^(ldMinExp-1) and subnormal ones down to 2^ldDenormExp) and stores the
// sum as the text "%.17Lf" prints. That text is the new value, so every
// node must produce exactly Redis's bytes whatever its CPU. Go has no long
// double: the values are held exactly in big.Float and rounded where the
// hardware rounds.
const (
	ldMantBits  = 64
	ldMaxExp    = 16384  // |x| < 2^16384
	ldMinExp    = -16381 // smallest normal: 0.5 × 2^-16381 = 2^-16382
	ldDenormExp = -16445 // smallest subnormal: 2^-16445

	// maxLongDoubleChars is Redis's MAX_LONG_DOUBLE_CHARS: longer strings
	// are not valid floats.
	maxLongDoubleChars = 5 * 1024
)

// parseLongDouble parses b the way Redis's string2ld does: strtold must
// consume the whole string, no leading space, no NaN, and no overflow or
// underflow to zero. The value is the long double strtold would return,
// held exactly in a big.Float (±Inf for "inf" and "infinity").
func parseLongDouble(b []byte) (*big.Float, bool) {
	if len(b) == 0 || len(b) >= maxLongDoubleChars || isCSpace(b[0]) {
		return nil, false
	}
	s := string(b)
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if strings.EqualFold(s, "inf") || strings.EqualFold(s, "infinity") {
		return new(big.Float).SetInf(neg), true
	}
	hex := len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')
	base, expChars := 10, "eE"
	if hex {
		base, expChars = 16, "pP"
		s = s[2:]
	}
	// Mantissa: digits with at most one radix point, at least one digit.
	var digits []byte
	frac, point := 0, false
	i := 0
	for ; i < len(s); i++ {
		ch := s[i]
		if ch == '.' && !point {
			point = true
			continue
		}
		if !isDigitIn(ch, base) {
			break
		}
		digits = append(digits, ch)
		if point {
			frac++
		}
	}
	if len(digits) == 0 {
		return nil, false
	}
	// Optional exponent (for hex floats too): decimal digits, a power of
	// 10 for a decimal mantissa, of 2 for a hex one.
	var exp int64
	if i < len(s) && strings.IndexByte(expChars, s[i]) >= 0 {
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		start := i
		for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
			exp = min(exp*10+int64(s[i]-'0'), 1<<40) // saturate: far out of range anyway
		}
		if i == start {
			return nil, false
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(s) {
		return nil, false
	}
	mant, _ := new(big.Int).SetString(string(digits), base)
	if hex {
		exp -= 4 * int64(frac)
	} else {
		exp -= int64(frac)
	}
	v, ok := longDoubleFrom(mant, len(bytes.TrimLeft(digits, "0")), exp, hex)
	if !ok {
		return nil, false
	}
	if neg {
		v.Neg(v)
	}
	return v, true
}

// longDoubleFrom rounds mant × 10^exp (or × 2^exp when binary) to the
// nearest long double, ties to even; ndigits is mant's number of significant
// digits. ok is false when strtold would report a range error: overflow, or
// a nonzero value that rounds to zero.
func longDoubleFrom(mant *big.Int, ndigits int, exp int64, binary bool) (*big.Float, bool) {
	if mant.Sign() == 0 {
		return new(big.Float).SetPrec(ldMantBits), true
	}
	// Cheap range checks first, so that absurd exponents cost nothing:
	// the value lies in [B^(top-1), B^top).
	num, den := new(big.Int).Set(mant), big.NewInt(1)
	if binary {
		top := int64(mant.BitLen()) + exp
		if top > ldMaxExp {
			return nil, false
		}
		if top < ldDenormExp-8 {
			return nil, false
		}
		if exp >= 0 {
			num.Lsh(num, uint(exp))
		} else {
			den.Lsh(den, uint(-exp))
		}
	} else {
		top := int64(ndigits) + exp
		if top-1 > 4933 { // 10^4933 > LDBL_MAX ≈ 1.19e4932
			return nil, false
		}
		if top < -4960 { // below half the smallest subnormal (3.6e-4951)
			return nil, false
		}
		pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(abs64(exp)), nil)
		if exp >= 0 {
			num.Mul(num, pow)
		} else {
			den = pow
		}
	}
	// Subnormal range (x < 2^-16382): round to a multiple of 2^-16445.
	if new(big.Int).Lsh(num, uint(1-ldMinExp)).Cmp(den) < 0 {
		q, r := new(big.Int).QuoRem(new(big.Int).Lsh(num, uint(-ldDenormExp)), den, new(big.Int))
		switch r.Lsh(r, 1).Cmp(den) {
		case 1:
			q.Add(q, big.NewInt(1))
		case 0:
			if q.Bit(0) == 1 {
				q.Add(q, big.NewInt(1))
			}
		}
		if q.Sign() == 0 {
			return nil, false // underflow to zero: ERANGE
		}
		v := new(big.Float).SetInt(q)
		v.SetMantExp(v, ldDenormExp)
		return v.SetPrec(ldMantBits), true
	}
	v := new(big.Float).SetPrec(ldMantBits).Quo(new(big.Float).SetInt(num), new(big.Float).SetInt(den))
	if v.MantExp(nil) > ldMaxExp {
		return nil, false // rounds up to infinity: ERANGE
	}
	return v, true
}

// addLongDouble adds two long doubles as the x87 FPU does: the exact sum
// rounded to a 64-bit mantissa, ties to even. ok is false when Redis would
// answer "increment would produce NaN or Infinity": an operand is infinite
// or the sum overflows.
func addLongDouble(a, b *big.Float) (sum *big.Float, ok bool) {
	if a.IsInf() || b.IsInf() {
		return nil, false
	}
	sum = new(big.Float).SetPrec(ldMantBits).Add(a, b)
	if sum.MantExp(nil) > ldMaxExp {
		return nil, false
	}
	return sum, true
}

// formatLongDouble formats v as Redis's ld2string in LD_STR_HUMAN mode:
// "%.17Lf", trailing zeros and a trailing point removed, "-0" made "0".
func formatLongDouble(v *big.Float) string {
	if v.MantExp(nil) < -57 {
		// |v| < 2^-58 < 0.5e-17 prints as ±0.00000000000000000: skip the
		// exact decimal expansion, thousands of digits for a subnormal.
		return "0"
	}
	s := v.Text('f', 17)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

func isCSpace(ch byte) bool {
	return ch == ' ' || ('\t' <= ch && ch <= '\r')
}

func isDigitIn(ch byte, base int) bool {
	switch {
	case '0' <= ch && ch <= '9':
		return true
	case base == 16:
		ch |= 0x20
		return 'a' <= ch && ch <= 'f'
	}
	return false
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
