package fsm

import "bytes"

// Score and lexicographical ranges, parsed as Redis's zslParseRange and
// zslParseLexRange parse them, and turned into ranks.

// scoreRange is min..max, each end inclusive or exclusive ("(1.5").
type scoreRange struct {
	min, max     float64
	minex, maxex bool
}

// parseScoreRange parses the two ends of a score range; ok is false for
// Redis's "min or max is not a float".
func parseScoreRange(minArg, maxArg []byte) (r scoreRange, ok bool) {
	if r.min, r.minex, ok = parseScoreBound(minArg); !ok {
		return r, false
	}
	r.max, r.maxex, ok = parseScoreBound(maxArg)
	return r, ok
}

func parseScoreBound(b []byte) (v float64, ex, ok bool) {
	if len(b) > 0 && b[0] == '(' {
		v, ok = parseRangeDouble(b[1:])
		return v, true, ok
	}
	v, ok = parseRangeDouble(b)
	return v, false, ok
}

// ranks returns the ranks [lo, hi) of z's members within r (hi <= lo when
// none): ranks are ordered by score, so they form one run.
func (r *scoreRange) ranks(z *zsetValue) (lo, hi int) {
	return z.countBelow(r.min, r.minex), z.countBelow(r.max, !r.maxex)
}

// lexBound is one end of a lexicographical range: "-" (less than every
// string), "+" (greater than every string), or a string, exclusive
// ("(a") or inclusive ("[a").
type lexBound struct {
	inf   int // -1 for "-", +1 for "+", 0 for a string
	value []byte
	ex    bool
}

// lexRange is min..max.
type lexRange struct{ min, max lexBound }

// parseLexRange parses the two ends of a lexicographical range; ok is
// false for Redis's "min or max not valid string range item".
func parseLexRange(minArg, maxArg []byte) (r lexRange, ok bool) {
	if r.min, ok = parseLexBound(minArg); !ok {
		return r, false
	}
	r.max, ok = parseLexBound(maxArg)
	return r, ok
}

// parseLexBound parses "-", "+", "(str" or "[str". Redis reads "-" and
// "+" as C strings, so a NUL byte may follow them.
func parseLexBound(b []byte) (lexBound, bool) {
	if len(b) == 0 {
		return lexBound{}, false
	}
	switch b[0] {
	case '+', '-':
		if len(b) > 1 && b[1] != 0 {
			return lexBound{}, false
		}
		inf := 1
		if b[0] == '-' {
			inf = -1
		}
		return lexBound{inf: inf, ex: true}, true
	case '(':
		return lexBound{value: b[1:], ex: true}, true
	case '[':
		return lexBound{value: b[1:]}, true
	}
	return lexBound{}, false
}

// cmpLex compares two bounds as Redis's sdscmplex does.
func cmpLex(a, b lexBound) int {
	switch {
	case a.inf != 0 && a.inf == b.inf:
		return 0
	case a.inf < 0 || b.inf > 0:
		return -1
	case a.inf > 0 || b.inf < 0:
		return 1
	}
	return bytes.Compare(a.value, b.value)
}

// gteMin reports whether member is above the range's lower end.
func (r *lexRange) gteMin(member []byte) bool {
	c := cmpLex(lexBound{value: member}, r.min)
	return c > 0 || (c == 0 && !r.min.ex)
}

// lteMax reports whether member is below the range's upper end.
func (r *lexRange) lteMax(member []byte) bool {
	c := cmpLex(lexBound{value: member}, r.max)
	return c < 0 || (c == 0 && !r.max.ex)
}

// empty reports whether no string can be in the range.
func (r *lexRange) empty() bool {
	c := cmpLex(r.min, r.max)
	return c > 0 || (c == 0 && (r.min.ex || r.max.ex))
}

// A lexicographical range assumes that every member has the same score,
// so that the (score, member) order is the members' byte order; Redis
// leaves the result unspecified otherwise, and its two encodings answer
// differently. raftis answers, in every encoding, what Redis's listpack
// encoding answers (a walk from one end), so that a write such as
// ZREMRANGEBYLEX removes the same members on every node whatever its
// encoding limits. When all scores are equal the walk's result is a run of
// ranks found in O(log n); otherwise the walk is done for real.

// uniformScores reports whether every member has the same score.
func (z *zsetValue) uniformScores() bool {
	if z.n == 0 {
		return true
	}
	if z.packed() {
		_, first := z.at(0)
		for _, s := range z.all() {
			if s != first {
				return false
			}
		}
		return true
	}
	lo, _ := z.byScore.Min()
	hi, _ := z.byScore.Max()
	return lo.score == hi.score
}

// lexCountBelow is the number of members less than the bound (or at most
// it when orEqual), for a sorted set whose scores are all equal.
func (z *zsetValue) lexCountBelow(b lexBound, orEqual bool) int {
	switch b.inf {
	case -1:
		return 0
	case 1:
		return z.n
	}
	if z.packed() {
		n := 0
		for m := range z.lpAll() {
			c := bytes.Compare(m, b.value)
			if c > 0 || (c == 0 && !orEqual) {
				break
			}
			n++
		}
		return n
	}
	lo, _ := z.byScore.Min()
	r, found := z.byScore.Rank(zsItem{score: lo.score, member: stringView(b.value)})
	if found && orEqual {
		r++
	}
	return r
}

// lexForward returns the rank a forward walk over r starts at (Redis's
// zzlFirstInLexRange), and the end of the run of members within the
// range's upper end from there.
func (z *zsetValue) lexForward(r *lexRange) (first, end int, ok bool) {
	if r.empty() || z.n == 0 {
		return 0, 0, false
	}
	if z.uniformScores() {
		lo, hi := z.lexCountBelow(r.min, r.min.ex), z.lexCountBelow(r.max, !r.max.ex)
		return lo, hi, lo < hi
	}
	// Redis first checks the two ends of the set against the range.
	head, _ := z.at(0)
	tail, _ := z.at(z.n - 1)
	if !r.gteMin(tail) || !r.lteMax(head) {
		return 0, 0, false
	}
	first = -1
	i := 0
	for m := range z.all() {
		switch {
		case first < 0 && r.gteMin(m):
			if !r.lteMax(m) {
				return 0, 0, false
			}
			first = i
		case first >= 0 && !r.lteMax(m):
			return first, i, true
		}
		i++
	}
	return first, z.n, first >= 0
}

// lexBackward returns the rank a backward walk over r starts at (Redis's
// zzlLastInLexRange) and the start of the run of members within the
// range's lower end before it: the run is [start, last].
func (z *zsetValue) lexBackward(r *lexRange) (start, last int, ok bool) {
	if r.empty() || z.n == 0 {
		return 0, 0, false
	}
	if z.uniformScores() {
		lo, hi := z.lexCountBelow(r.min, r.min.ex), z.lexCountBelow(r.max, !r.max.ex)
		return lo, hi - 1, lo < hi
	}
	head, _ := z.at(0)
	tail, _ := z.at(z.n - 1)
	if !r.gteMin(tail) || !r.lteMax(head) {
		return 0, 0, false
	}
	last = -1
	i := z.n - 1
	for m := range z.descend(z.n - 1) {
		switch {
		case last < 0 && r.lteMax(m):
			if !r.gteMin(m) {
				return 0, 0, false
			}
			last = i
		case last >= 0 && !r.gteMin(m):
			return i + 1, last, true
		}
		i--
	}
	return 0, last, last >= 0
}
