package fsm

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// The expectations below were produced by redis-server 7.0.15 (x86-64):
// globCases is KEYS <pattern> over a database holding exactly globKeys,
// and globNocaseCases is CONFIG GET <pattern> (the one caller of
// stringmatchlen with nocase) looking for the parameter "maxmemory".

var globKeys = []string{"a", "b", "c", "ab", "abc", "A", "B", "\\", "*", "?", "[", "]", "^", "-", "\xe9", "\xff", "0", "a-", "aXc", "a*c", "_", "a\\", "hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "a\x00b"}

var globCases = []struct {
	pattern string
	matches []string // in globKeys order
}{
	{"*", []string{"a", "b", "c", "ab", "abc", "A", "B", "\\", "*", "?", "[", "]", "^", "-", "\xe9", "\xff", "0", "a-", "aXc", "a*c", "_", "a\\", "hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "a\x00b"}},
	{"**", []string{"a", "b", "c", "ab", "abc", "A", "B", "\\", "*", "?", "[", "]", "^", "-", "\xe9", "\xff", "0", "a-", "aXc", "a*c", "_", "a\\", "hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "a\x00b"}},
	{"h*llo", []string{"hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo"}},
	{"h?llo", []string{"hello", "hallo", "hxllo", "h[llo"}},
	{"?", []string{"a", "b", "c", "A", "B", "\\", "*", "?", "[", "]", "^", "-", "\xe9", "\xff", "0", "_"}},
	{"???", []string{"abc", "aXc", "a*c", "a\x00b"}},
	{"*c", []string{"c", "abc", "aXc", "a*c"}},
	{"a*", []string{"a", "ab", "abc", "a-", "aXc", "a*c", "a\\", "a\x00b"}},
	{"a*c*", []string{"abc", "aXc", "a*c"}},
	{"*a*", []string{"a", "ab", "abc", "a-", "aXc", "a*c", "a\\", "hallo", "a\x00b"}},
	{"h[ae]llo", []string{"hello", "hallo"}},
	{"h[^e]llo", []string{"hallo", "hxllo", "h[llo"}},
	{"h[a-b]llo", []string{"hallo"}},
	{"[a-c]", []string{"a", "b", "c"}},
	{"[c-a]", []string{"a", "b", "c"}},
	{"[A-b]", []string{"a", "b", "A", "B", "\\", "[", "]", "^", "_"}},
	{"[^a]", []string{"b", "c", "A", "B", "\\", "*", "?", "[", "]", "^", "-", "\xe9", "\xff", "0", "_"}},
	{"[^a-c]", []string{"A", "B", "\\", "*", "?", "[", "]", "^", "-", "\xe9", "\xff", "0", "_"}},
	{"[!a]", []string{"a"}},
	{"[]", []string{}},
	{"[]a]", []string{}},
	{"[^]", []string{"a", "b", "c", "A", "B", "\\", "*", "?", "[", "]", "^", "-", "\xe9", "\xff", "0", "_"}},
	{"[", []string{}},
	{"[^", []string{"a", "b", "c", "A", "B", "\\", "*", "?", "[", "]", "^", "-", "\xe9", "\xff", "0", "_"}},
	{"[abc", []string{"a", "b", "c"}},
	{"a[bc", []string{"ab"}},
	{"[a-", []string{"a", "-"}},
	{"[a-]", []string{"a", "]", "^", "_"}},
	{"[-a]", []string{"a", "-"}},
	{"[\\", []string{"\\"}},
	{"[\\]]", []string{"]"}},
	{"[\\-]", []string{"-"}},
	{"[\\a-c]", []string{"a", "c", "-"}},
	{"[a\\-c]", []string{"a", "c", "-"}},
	{"\\*", []string{"*"}},
	{"\\?", []string{"?"}},
	{"\\[", []string{"["}},
	{"\\", []string{"\\"}},
	{"a\\", []string{"a\\"}},
	{"a\\\\", []string{"a\\"}},
	{"\\a\\b", []string{"ab"}},
	{"h\\[llo", []string{"h[llo"}},
	{"h[[]llo", []string{"h[llo"}},
	{"[a-\xff]", []string{"a", "A", "B", "\\", "*", "?", "[", "]", "^", "-", "\xff", "0", "_"}},
	{"[\xff-a]", []string{"a", "A", "B", "\\", "*", "?", "[", "]", "^", "-", "\xff", "0", "_"}},
	{"[\x80-\xff]", []string{"\xe9", "\xff"}},
	{"[\xe9]", []string{"\xe9"}},
	{"?\x00?", []string{"a\x00b"}},
	{"a\x00*", []string{"a\x00b"}},
	{"*\\", []string{"\\", "a\\"}},
	{"[*]", []string{"*"}},
	{"[?]", []string{"?"}},
	{"a[^b]*", []string{"a-", "aXc", "a*c", "a\\", "a\x00b"}},
}

func TestMatchPatternLikeRedisKeys(t *testing.T) {
	for _, tc := range globCases {
		var got []string
		for _, k := range globKeys {
			if MatchPattern([]byte(tc.pattern), []byte(k), false) {
				got = append(got, k)
			}
		}
		// Redis's KEYS answers "*" without the matcher; the matcher
		// itself never matches the empty string (checked below).
		if !slices.Equal(got, tc.matches) {
			t.Errorf("pattern %q:\n got %q\nwant %q", tc.pattern, got, tc.matches)
		}
	}
}

// TestKeysCommandGlobLikeRedis runs the same table through KEYS itself,
// and through the real server's KEYS.
func TestKeysCommandGlobLikeRedis(t *testing.T) {
	keys := func(name string, do func(args ...string) string) {
		for _, k := range globKeys {
			do("SET", k, "1")
		}
		for _, tc := range globCases {
			want := slices.Clone(tc.matches)
			slices.Sort(want)
			got := arrayItems(t, do("KEYS", tc.pattern))
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s KEYS %q:\n got %q\nwant %q", name, tc.pattern, got, want)
			}
		}
	}
	keys("fsm", newTestFSM(t).do)
	keys("redis", newOracle(t).do)
}

var globNocaseCases = []struct {
	pattern, s string
	want       bool
}{
	{"MAXMEM?RY", "maxmemory", true},
	{"MaxMemor[Y]", "maxmemory", true},
	{"[L-M]axmemory", "maxmemory", true},
	{"[l-m]AXMEMORY", "maxmemory", true},
	{"[M-L]axmemory", "maxmemory", true},
	{"[Z-a]axmemory", "maxmemory", false},
	{"[a-Z]axmemory", "maxmemory", false},
	{"[^M]axmemory", "maxmemory", false},
	{"[^m]axmemory", "maxmemory", false},
	{"[\\M]axmemory", "maxmemory", false},
	{"[\\m]axmemory", "maxmemory", true},
	{"\\Maxmemor?", "maxmemory", true},
	{"\\maxmem\\?ry", "maxmemory", false},
	{"maxmem\\?ry", "maxmemory", false},
	{"m*Y", "maxmemory", true},
	{"[A-Z]axmemory", "maxmemory", true},
	{"[^A-Z]axmemory", "maxmemory", false},
	{"[_-a]axmemory", "maxmemory", false},
}

func TestMatchPatternNocaseLikeRedis(t *testing.T) {
	for _, tc := range globNocaseCases {
		if got := MatchPattern([]byte(tc.pattern), []byte(tc.s), true); got != tc.want {
			t.Errorf("MatchPattern(%q, %q, nocase) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
	o := newOracle(t)
	for _, tc := range globNocaseCases {
		// CONFIG GET replies name, value, name, value...
		items := arrayItems(t, o.do("CONFIG", "GET", tc.pattern))
		got := false
		for i := 0; i < len(items); i += 2 {
			got = got || items[i] == tc.s
		}
		if got != tc.want {
			t.Errorf("redis CONFIG GET %q has %s: %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestMatchPatternEdgesLikeRedis(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		// The matcher needs a non-empty string for "*" (Redis's KEYS and
		// SCAN special-case the pattern "*"; "**" does not match "").
		{"*", "", false},
		{"**", "", false},
		{"", "", true},
		{"", "a", false},
		{"a", "", false},
		// Redis allows 1000 nested stars; the 1001st fails the match.
		{strings.Repeat("*a", 1000), strings.Repeat("a", 1100), true},
		{strings.Repeat("*a", 1001), strings.Repeat("a", 1100), false},
		{strings.Repeat("a*", 1001), strings.Repeat("a", 1100), true},
	}
	for _, tc := range cases {
		if got := MatchPattern([]byte(tc.pattern), []byte(tc.s), false); got != tc.want {
			t.Errorf("MatchPattern(%.20q…, %.20q…) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
	// KEYS on a database holding only tc.s; KEYS answers "*" without the
	// matcher.
	o := newOracle(t)
	for _, tc := range cases {
		if tc.pattern == "*" {
			continue
		}
		o.do("FLUSHALL")
		o.do("SET", tc.s, "v")
		if got := len(arrayItems(t, o.do("KEYS", tc.pattern))) == 1; got != tc.want {
			t.Errorf("redis KEYS %.20q… on %.20q…: %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// A pattern that backtracks exponentially without Redis's skipLongerMatches
// guard must still answer at once.
func TestMatchPatternNoExponentialBacktracking(t *testing.T) {
	pattern := []byte(strings.Repeat("a*", 30) + "b")
	s := []byte(strings.Repeat("a", 200))
	start := time.Now()
	if MatchPattern(pattern, s, false) {
		t.Fatal("matched")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
}
