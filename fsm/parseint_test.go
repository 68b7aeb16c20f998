package fsm

import (
	"strconv"
	"testing"
)

// parseInt accepts exactly Redis's string2ll: canonical decimal int64,
// an optional '-', no '+', no leading zeros, no spaces. Its own checks
// come before strconv's, whose errors allocate; this holds it to the
// canonical round trip.
func TestParseIntIsCanonicalDecimal(t *testing.T) {
	cases := map[string]bool{
		"0": true, "7": true, "-7": true, "10": true, "9223372036854775807": true,
		"-9223372036854775808": true, "xxx": false, "": false, "-": false,
		"-0": false, "+1": false, "01": false, "00": false, "12a": false,
		"a12": false, " 1": false, "1 ": false, "1-": false, "--1": false,
		"9223372036854775808": false, "-9223372036854775809": false,
		"1.0": false, "1e3": false, "\x001": false, "12345678901234567890123": false,
	}
	for in, want := range cases {
		n, ok := parseInt([]byte(in))
		if ok != want {
			t.Errorf("parseInt(%q) ok = %v, want %v", in, ok, want)
		}
		if ok && strconv.FormatInt(n, 10) != in {
			t.Errorf("parseInt(%q) = %d", in, n)
		}
	}
	if a := testing.AllocsPerRun(100, func() { parseInt([]byte("xxx")) }); a != 0 {
		t.Errorf("parseInt of text allocates %v times", a)
	}
}
