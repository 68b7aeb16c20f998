package diff

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Argument pools shared by the generators. Each helper mixes valid values
// with the invalid ones Redis must reject, in roughly fixed proportions.
//
// Time arguments never make a key expire during a run (that would make the
// replies depend on timing): relative expiries are at least 1000 s,
// absolute ones far in the future (years 2100+). The only exceptions are
// deadlines already in the past (EXPIRE -1, EXPIREAT 1, GETEX EXAT 1) where
// Redis deletes the key at once, which is deterministic; only the commands
// that do that use them.

func pickOne[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

// chance is true with probability n/d.
func chance(r *rand.Rand, n, d int) bool { return r.IntN(d) < n }

// randomCase changes the case of some letters (command names and option
// words are case-insensitive).
func randomCase(r *rand.Rand, s string) string {
	b := []byte(s)
	for i, c := range b {
		if chance(r, 1, 2) {
			switch {
			case 'a' <= c && c <= 'z':
				b[i] = c - 'a' + 'A'
			case 'A' <= c && c <= 'Z':
				b[i] = c - 'A' + 'a'
			}
		}
	}
	return string(b)
}

// kw is an option keyword, now and then in another case.
func kw(r *rand.Rand, word string) string {
	if chance(r, 1, 8) {
		return randomCase(r, word)
	}
	return word
}

func randKey(r *rand.Rand, keys []string) string { return keys[r.IntN(len(keys))] }

// randKeys returns between lo and hi keys (repeats allowed).
func randKeys(r *rand.Rand, keys []string, lo, hi int) []string {
	n := lo + r.IntN(hi-lo+1)
	out := make([]string, n)
	for i := range out {
		out[i] = randKey(r, keys)
	}
	return out
}

var intValues = []string{
	"0", "1", "-1", "2", "7", "10", "42", "-42", "100", "-100", "12345",
	"9223372036854775807", "-9223372036854775808", "9223372036854775806", "-9223372036854775807",
	"9223372036854775808", "-9223372036854775809", "18446744073709551616",
	"+1", "01", "-0", " 1", "1 ", "0x10", "1e3", "",
}

var floatValues = []string{
	"0.1", "0.2", "-0.1", "1.5", "-2.25", "3.0e3", "5.0e3", "1e10", "-1e10", "1e-5",
	"0", "-0", "-0.0", ".5", "5.", "1.", "3.14159265358979323846", "1e308", "-1e308",
	"1.7976931348623157e308", "2.5e-310", "1e400", "inf", "-inf", "+inf", "nan", "NaN",
	"0x10", "1e", "e1", "1.5.5", " 1.5", "1.5 ", "1_000", "abc", "",
}

// randValue is a value to store: numbers (so INCR & co. meet both kinds),
// text, empty, binary, long.
func randValue(r *rand.Rand) string {
	switch r.IntN(12) {
	case 0, 1, 2:
		return pickOne(r, intValues...)
	case 3:
		return strconv.Itoa(r.IntN(2001) - 1000)
	case 4:
		return pickOne(r, floatValues...)
	case 5:
		return ""
	case 6:
		return randBinary(r, 1+r.IntN(16))
	case 7:
		return randText(r, 100+r.IntN(2000))
	default:
		return pickOne(r, "hello", "world", "foo bar", "v", "x", "Hello, World!", "a\r\nb", "tab\there", "ünïcödé")
	}
}

// randBinary is n arbitrary bytes, with NUL, CR and LF more likely.
func randBinary(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		if chance(r, 1, 4) {
			b[i] = pickOne(r, byte(0), '\r', '\n', 0xff, 0x80)
		} else {
			b[i] = byte(r.IntN(256))
		}
	}
	return string(b)
}

// randText is n printable ASCII bytes.
func randText(r *rand.Rand, n int) string {
	var b strings.Builder
	b.Grow(n)
	for range n {
		b.WriteByte(byte(' ' + r.IntN(95)))
	}
	return b.String()
}

// randInt is an integer argument (INCRBY, DECRBY): mostly valid, sometimes
// overflowing or not an integer.
func randInt(r *rand.Rand) string {
	if chance(r, 1, 2) {
		return strconv.Itoa(r.IntN(201) - 100)
	}
	return pickOne(r, intValues...)
}

// randFloat is an INCRBYFLOAT increment.
func randFloat(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return strconv.Itoa(r.IntN(201) - 100)
	case 1:
		return strconv.FormatFloat(float64(r.IntN(20001)-10000)/100, 'f', -1, 64)
	default:
		return pickOne(r, floatValues...)
	}
}

// relSeconds is a relative expiry in seconds for EX/SETEX/EXPIRE. Valid
// values are 1000..100000 s; invalid ones are zero, negative, not integers
// or overflowing (0 and negatives make EXPIRE delete the key at once, and
// are an error for SET EX).
func relSeconds(r *rand.Rand) string {
	if chance(r, 6, 7) {
		return strconv.Itoa(1000 + r.IntN(99001))
	}
	return pickOne(r, "0", "-1", "-100", "abc", "1.5", "", "9223372036854775807", "-9223372036854775808", "9223372036854775", "9223372036854776")
}

// relMillis is a relative expiry in ms for PX/PSETEX/PEXPIRE, never a whole
// number of seconds (so it never equals a relSeconds deadline exactly).
func relMillis(r *rand.Rand) string {
	if chance(r, 6, 7) {
		ms := 1_000_000 + r.IntN(99_000_001)
		if ms%1000 == 0 {
			ms++
		}
		return strconv.Itoa(ms)
	}
	return pickOne(r, "0", "-1", "-100", "abc", "1.5", "", "9223372036854775807", "-9223372036854775808", "9223372036854775806")
}

// far is 2100-01-01 in Unix seconds: absolute deadlines start there.
const far = 4102444800

// absSeconds is an absolute deadline in s for EXAT/EXPIREAT. past: may be
// in the past (the key is then deleted at once).
func absSeconds(r *rand.Rand, past bool) string {
	switch {
	case chance(r, 6, 8):
		return strconv.Itoa(far + r.IntN(100_000_000))
	case past && chance(r, 1, 2):
		return pickOne(r, "1", "1000000000", "0", "-1")
	default:
		return pickOne(r, "0", "-1", "abc", "1.5", "9223372036854775807", "9223372036854775", "-9223372036854775808")
	}
}

// absMillis is an absolute deadline in ms for PXAT/PEXPIREAT.
func absMillis(r *rand.Rand, past bool) string {
	switch {
	case chance(r, 6, 8):
		return strconv.Itoa((far+r.IntN(100_000_000))*1000 + 1 + r.IntN(999))
	case past && chance(r, 1, 2):
		return pickOne(r, "1", "1000000000000", "0", "-1")
	default:
		return pickOne(r, "0", "-1", "abc", "1.5", "9223372036854775807", "-9223372036854775808")
	}
}

// randIndex is a GETRANGE index.
func randIndex(r *rand.Rand) string {
	if chance(r, 3, 4) {
		return strconv.Itoa(r.IntN(41) - 20)
	}
	return pickOne(r, "0", "-1", "100", "-100", "3000", "-3000", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "abc", "1.5", "", "+1")
}

// randOffset is a SETRANGE offset. Large valid offsets would allocate
// hundreds of MB: the largest valid one is 5000; 536870912 and above are
// Redis's "string exceeds maximum allowed size" (with a non-empty value).
func randOffset(r *rand.Rand) string {
	if chance(r, 3, 4) {
		return strconv.Itoa(pickOne(r, r.IntN(20), r.IntN(200), r.IntN(5001)))
	}
	return pickOne(r, "-1", "abc", "1.5", "", "536870912", "536870913", "9223372036854775807", "-9223372036854775808")
}

// randDB is a database index: mostly one the sequences use, sometimes out
// of range or not a number.
func randDB(r *rand.Rand) string {
	if chance(r, 5, 6) {
		return strconv.Itoa(r.IntN(numDBs))
	}
	return pickOne(r, "16", "-1", "abc", "1.5", "", "9223372036854775808", "99999999999")
}

// randPattern is a KEYS/SCAN MATCH glob, over the key space's names.
func randPattern(r *rand.Rand) string {
	return pickOne(r, "*", "*", "k*", "k?", "k[0-2]", "k[^0]", "k[!1]", "*:*", "a\\*b", "a*b", "a?b",
		"foo*", "FOO*", "*o*", "\\*", "[", "[a-", "*[", "\\", "*\x00*", "\x00*", "", "k[1-]", "k[]1]", "?", "??", "*bar")
}
