package fsm

// MatchPattern reports whether s matches the glob pattern with Redis's
// semantics (stringmatchlen in util.c): * ? [abc] [^a-z] and \ escapes.
func MatchPattern(pattern, s []byte, nocase bool) bool {
	return matchPattern(pattern, s, nocase, 0)
}

// maxNesting bounds the recursion on consecutive stars, as Redis does, so a
// hostile pattern cannot exhaust the stack.
const maxNesting = 1000

func matchPattern(p, s []byte, nocase bool, nesting int) bool {
	if nesting > maxNesting {
		return false
	}
	for len(p) > 0 && len(s) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 1 && p[1] == '*' {
				p = p[1:]
			}
			if len(p) == 1 {
				return true
			}
			for len(s) > 0 {
				if matchPattern(p[1:], s, nocase, nesting+1) {
					return true
				}
				s = s[1:]
			}
			return false
		case '?':
			s = s[1:]
		case '[':
			var ok bool
			p, ok = matchClass(p, s[0], nocase)
			if !ok {
				return false
			}
			s = s[1:]
		case '\\':
			if len(p) >= 2 {
				p = p[1:]
			}
			fallthrough
		default:
			if !equalByte(p[0], s[0], nocase) {
				return false
			}
			s = s[1:]
		}
		p = p[1:]
		if len(s) == 0 {
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			break
		}
	}
	return len(p) == 0 && len(s) == 0
}

// matchClass matches c against the class starting at p[0] == '['. It
// returns p advanced to the class's closing ']' (or its last byte).
func matchClass(p []byte, c byte, nocase bool) ([]byte, bool) {
	p = p[1:]
	not := len(p) > 0 && p[0] == '^'
	if not {
		p = p[1:]
	}
	match := false
	for {
		switch {
		case len(p) == 0:
			return p, false // unterminated class: Redis treats it as no match
		case p[0] == '\\' && len(p) >= 2:
			p = p[1:]
			if p[0] == c {
				match = true
			}
		case p[0] == ']':
			if not {
				match = !match
			}
			return p, match
		case len(p) >= 3 && p[1] == '-':
			start, end := p[0], p[2]
			if start > end {
				start, end = end, start
			}
			cc := c
			if nocase {
				start, end, cc = lower(start), lower(end), lower(c)
			}
			p = p[2:]
			if cc >= start && cc <= end {
				match = true
			}
		default:
			if equalByte(p[0], c, nocase) {
				match = true
			}
		}
		if len(p) == 1 {
			// Redis: a class missing its ']' ends at the pattern's end.
			if not {
				match = !match
			}
			return p, match
		}
		p = p[1:]
	}
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
