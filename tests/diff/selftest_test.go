package diff

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Tests of the harness itself; they need no server.

func TestHarnessSequenceIsDeterministic(t *testing.T) {
	gen := func(seed uint64) [][]string {
		r := newRand(seed)
		pk := newPicker(registry)
		var out [][]string
		for range 2000 {
			_, steps := nextSteps(r, pk, keySpace)
			for _, st := range steps {
				out = append(out, st.cmd)
			}
		}
		return out
	}
	a, b, c := gen(7), gen(7), gen(8)
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Fatal("the same seed gave two different sequences")
	}
	if slices.EqualFunc(a, c, slices.Equal) {
		t.Fatal("two seeds gave the same sequence")
	}
}

// No generated command may set an expiry that falls due during a run: a
// relative one under 1000 s, or an absolute one between now and 2100.
func TestHarnessNoExpiryFallsDueDuringRun(t *testing.T) {
	now := time.Now()
	r := newRand(1)
	pk := newPicker(registry)
	checkRel := func(cmd []string, arg string, unit time.Duration) {
		n, err := strconv.ParseInt(arg, 10, 64)
		if err == nil && n > 0 && time.Duration(n) < 1000*time.Second/unit {
			t.Errorf("%s: relative expiry %s would fall due during the run", quoteCmd(cmd, 40), arg)
		}
	}
	checkAbs := func(cmd []string, arg string, unit time.Duration) {
		n, err := strconv.ParseInt(arg, 10, 64)
		perUnit := int64(unit / time.Millisecond)
		lo, hi := now.Add(-time.Hour).UnixMilli(), int64(far)*1000
		if err == nil && n > 0 && n < hi/perUnit && n*perUnit > lo {
			t.Errorf("%s: absolute expiry %s is near now", quoteCmd(cmd, 40), arg)
		}
	}
	var all [][]string
	for range 50000 {
		_, steps := nextSteps(r, pk, keySpace)
		for _, st := range steps {
			all = append(all, st.cmd)
		}
	}
	for _, cmd := range all {
		name := strings.ToUpper(cmd[0])
		switch name {
		case "SETEX", "EXPIRE":
			if len(cmd) > 2 {
				checkRel(cmd, cmd[2], time.Second)
			}
		case "PSETEX", "PEXPIRE":
			if len(cmd) > 2 {
				checkRel(cmd, cmd[2], time.Millisecond)
			}
		case "EXPIREAT":
			if len(cmd) > 2 {
				checkAbs(cmd, cmd[2], time.Second)
			}
		case "PEXPIREAT":
			if len(cmd) > 2 {
				checkAbs(cmd, cmd[2], time.Millisecond)
			}
		}
		if name != "SET" && name != "GETEX" {
			continue
		}
		for i := 2; i+1 < len(cmd); i++ {
			switch strings.ToUpper(cmd[i]) {
			case "EX":
				checkRel(cmd, cmd[i+1], time.Second)
			case "PX":
				checkRel(cmd, cmd[i+1], time.Millisecond)
			case "EXAT":
				checkAbs(cmd, cmd[i+1], time.Second)
			case "PXAT":
				checkAbs(cmd, cmd[i+1], time.Millisecond)
			}
		}
	}
}

func TestHarnessComparers(t *testing.T) {
	arr := func(items ...string) []byte {
		b := []byte("*" + strconv.Itoa(len(items)) + "\r\n")
		for _, it := range items {
			b = append(b, "$"+strconv.Itoa(len(it))+"\r\n"+it+"\r\n"...)
		}
		return b
	}
	for _, tc := range []struct {
		name       string
		cmp        comparer
		want, got  []byte
		shouldPass bool
	}{
		{"keys same order", unorderedCompare, arr("a", "b"), arr("a", "b"), true},
		{"keys other order", unorderedCompare, arr("a", "b"), arr("b", "a"), true},
		{"keys missing", unorderedCompare, arr("a", "b"), arr("a"), false},
		{"keys duplicate", unorderedCompare, arr("a", "a"), arr("a"), false},
		{"keys error vs array", unorderedCompare, []byte("-ERR x\r\n"), arr(), false},
		{"keys same error", unorderedCompare, []byte("-ERR x\r\n"), []byte("-ERR x\r\n"), true},
		{"ttl equal", toleranceCompare(1), []byte(":100\r\n"), []byte(":100\r\n"), true},
		{"ttl within", toleranceCompare(1), []byte(":100\r\n"), []byte(":99\r\n"), true},
		{"ttl beyond", toleranceCompare(1), []byte(":100\r\n"), []byte(":98\r\n"), false},
		{"ttl -1 vs -2", toleranceCompare(1), []byte(":-1\r\n"), []byte(":-2\r\n"), false},
		{"ttl -1 vs 0", toleranceCompare(1), []byte(":-1\r\n"), []byte(":0\r\n"), false},
		{"ttl bulk", toleranceCompare(1), []byte("$1\r\n1\r\n"), []byte(":1\r\n"), false},
		{"randomkey both nil", randomKeyCompare, []byte("$-1\r\n"), []byte("$-1\r\n"), true},
		{"randomkey nil vs key", randomKeyCompare, []byte("$-1\r\n"), []byte("$1\r\na\r\n"), false},
		{"randomkey error", randomKeyCompare, []byte("-ERR x\r\n"), []byte("$-1\r\n"), false},
	} {
		if why := tc.cmp(nil, nil, tc.want, tc.got); (why == "") != tc.shouldPass {
			t.Errorf("%s: compare(%q, %q) = %q", tc.name, tc.want, tc.got, why)
		}
	}
	if _, _, err := parseScanReply(arr("0")); err == nil {
		t.Error("parseScanReply accepted a 1-element array")
	}
	cursor, keys, err := parseScanReply([]byte("*2\r\n$2\r\n17\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n"))
	if err != nil || cursor != "17" || !slices.Equal(keys, []string{"a", "b"}) {
		t.Errorf("parseScanReply = %q, %q, %v", cursor, keys, err)
	}
}

func TestHarnessCmdsTokenizer(t *testing.T) {
	got := cmds(`SET k "" "a\x20b" "\x00"`, "GET k")
	want := [][]string{{"SET", "k", "", "a b", "\x00"}, {"GET", "k"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("cmds = %q, want %q", got, want)
	}
}
