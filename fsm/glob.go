package fsm

// MatchPattern reports whether s matches the glob pattern with Redis's
// semantics (stringmatchlen in util.c): * ? [abc] [^a-z] and \ escapes.
//
// It reproduces Redis's edge cases byte for byte, as Redis 7.0 on x86-64
// behaves:
//   - an unterminated class runs to the end of the pattern ("[^" matches
//     any one byte, "[a-" matches 'a' or '-');
//   - a reversed range is swapped ("[c-a]" is "[a-c]");
//   - range bounds compare as C's signed char, so bytes 0x80-0xff sort
//     below 0x00 ("[a-\xff]" matches 0x00-'a' and 0xff, not 0xe9);
//   - an escaped byte in a class compares exactly even when nocase;
//   - "*" does not match the empty string (KEYS and SCAN special-case a
//     pattern of exactly "*" before calling the matcher);
//   - more than 1000 nested stars fail to match.
func MatchPattern(pattern, s []byte, nocase bool) bool {
	return stringMatch(pattern, s, nocase)
}

// globText is what the matcher reads: keys are strings, arguments byte slices.
type globText interface{ ~string | ~[]byte }

func stringMatch[P, S globText](pattern P, s S, nocase bool) bool {
	skipLonger := false
	return matchFrom(pattern, 0, s, 0, nocase, &skipLonger, 0)
}

// maxNesting bounds the recursion on stars, as Redis does, so a hostile
// pattern cannot exhaust the stack.
const maxNesting = 1000

// matchFrom matches s[si:] against p[pi:]. It is stringmatchlen_impl with
// indices instead of pointers: reading at len(p) stands for C's NUL.
//
// skipLonger is Redis's guard against exponential backtracking: once the
// rest of the pattern after a star matches no suffix of the string, no
// earlier star can help by matching more, so the whole match fails.
func matchFrom[P, S globText](p P, pi int, s S, si int, nocase bool, skipLonger *bool, nesting int) bool {
	if nesting > maxNesting {
		return false
	}
	for pi < len(p) && si < len(s) {
		switch p[pi] {
		case '*':
			for pi+1 < len(p) && p[pi+1] == '*' {
				pi++
			}
			if pi+1 == len(p) {
				return true
			}
			for si < len(s) {
				if matchFrom(p, pi+1, s, si, nocase, skipLonger, nesting+1) {
					return true
				}
				if *skipLonger {
					return false
				}
				si++
			}
			*skipLonger = true
			return false
		case '?':
			si++
		case '[':
			end, ok := matchClass(p, pi, s[si], nocase)
			if !ok {
				return false
			}
			pi = end
			si++
		case '\\':
			if pi+1 < len(p) {
				pi++
			}
			fallthrough
		default:
			if !equalByte(p[pi], s[si], nocase) {
				return false
			}
			si++
		}
		pi++
		if si == len(s) {
			for pi < len(p) && p[pi] == '*' {
				pi++
			}
			break
		}
	}
	return pi == len(p) && si == len(s)
}

// matchClass matches c against the class that opens at p[pi] == '['. It
// returns the index of the class's closing ']' or, for a class missing
// it, of the pattern's last byte (where Redis backs up to).
func matchClass[P globText](p P, pi int, c byte, nocase bool) (int, bool) {
	i := pi + 1
	not := i < len(p) && p[i] == '^'
	if not {
		i++
	}
	match := false
	for {
		if p0 := i < len(p); p0 && p[i] == '\\' && i+1 < len(p) {
			i++
			if p[i] == c { // exact even when nocase, as in Redis
				match = true
			}
		} else if p0 && p[i] == ']' {
			break
		} else if !p0 {
			i = len(p) - 1
			break
		} else if len(p)-i >= 3 && p[i+1] == '-' {
			// C's char is signed on x86-64: bytes ≥ 0x80 are negative.
			start, end, cc := int(int8(p[i])), int(int8(p[i+2])), int(int8(c))
			if start > end {
				start, end = end, start
			}
			if nocase {
				start, end, cc = lowerInt(start), lowerInt(end), lowerInt(cc)
			}
			i += 2
			if cc >= start && cc <= end {
				match = true
			}
		} else if equalByte(p[i], c, nocase) {
			match = true
		}
		i++
	}
	if not {
		match = !match
	}
	return i, match
}

// lowerInt is C's tolower in the "C" locale, which Redis runs in.
func lowerInt(c int) int {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func equalByte(a, b byte, nocase bool) bool {
	if nocase {
		return lower(a) == lower(b)
	}
	return a == b
}
