package fsm

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// randomBitmapCommand returns a random bitmap command, valid or not, over a
// few keys, mixed with the string writes that shape the bitmaps. Offsets
// stay small when valid (a valid huge one would allocate 512 MiB on both
// sides), and reach past the limit when not.
func (r *stringsRand) randomBitmapCommand() []string {
	keys := []string{"a", "b", "c", "l"} // l: a list, for WRONGTYPE
	key := func() string { return keys[r.intn(len(keys))] }
	pick := func(xs ...string) string { return xs[r.intn(len(xs))] }
	bitOffset := func() string {
		switch r.intn(8) {
		case 0:
			return pick("-1", "abc", "", "1.5", "+1", "01", "4294967296", "4294967297", "9223372036854775807", "-9223372036854775808")
		case 1:
			return strconv.Itoa(r.intn(2000))
		default:
			return strconv.Itoa(r.intn(120))
		}
	}
	index := func() string {
		if r.intn(15) == 0 {
			return pick("abc", "", "1.5", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-0")
		}
		return strconv.Itoa(r.intn(81) - 40)
	}
	unit := func() string { return pick("BIT", "BYTE", "bit", "Byte", "bits", "", "BIT\x00x") }
	value := func() string {
		return pick("", "a", "foobar", "\xff\xff\xff", "\x00\x00\x00", "\xff\xf0\x00", "\x00\xff\x00\xff\xff",
			strings.Repeat("\xff", 40), strings.Repeat("\x00", 33)+"\x01", "12345", r.digits(1+r.intn(50), "\x00\x01\x7f\x80\xfe\xffab"))
	}
	fieldType := func() string {
		if r.intn(20) == 0 {
			return pick("u64", "i65", "i0", "u0", "x8", "", "i", "U8", "i-1", "u08", "i8\x00z")
		}
		return pick("i", "u") + strconv.Itoa(1+r.intn(64))
	}
	fieldOffset := func() string {
		if r.intn(6) == 0 {
			return "#" + strconv.Itoa(r.intn(20))
		}
		return bitOffset()
	}
	fieldValue := func() string {
		return pick("0", "1", "-1", "100", "-100", "127", "128", "-128", "-129", "255", "256", "65535", "4294967295",
			"9223372036854775807", "-9223372036854775808", "9223372036854775806", "abc", strconv.Itoa(r.intn(2001)-1000))
	}
	fieldOps := func(readOnly bool) []string {
		var out []string
		for range r.intn(5) {
			op := r.intn(10)
			if readOnly && op < 7 {
				op = 0
			}
			switch op {
			case 0, 1, 2:
				out = append(out, pick("GET", "get"), fieldType(), fieldOffset())
			case 3, 4:
				out = append(out, pick("SET", "set"), fieldType(), fieldOffset(), fieldValue())
			case 5, 6:
				out = append(out, pick("INCRBY", "incrby"), fieldType(), fieldOffset(), fieldValue())
			case 7, 8:
				out = append(out, "OVERFLOW", pick("WRAP", "SAT", "FAIL", "fail", "sat", "bogus"))
			default:
				out = append(out, pick("GET", "SET", "INCRBY", "OVERFLOW", "FOO"))
			}
		}
		return out
	}
	switch r.intn(20) {
	case 0, 1:
		return []string{"setbit", key(), bitOffset(), pick("0", "1", "0", "1", "0", "1", "0", "1", "2", "-1", "abc", "")}
	case 2:
		return []string{"getbit", key(), bitOffset()}
	case 3, 4:
		args := []string{"bitcount", key()}
		switch r.intn(4) {
		case 0:
		case 1:
			args = append(args, index(), index())
		case 2:
			args = append(args, index(), index(), unit())
		default:
			args = append(args, index())
		}
		return args
	case 5, 6, 7:
		args := []string{"bitpos", key(), pick("0", "1", "0", "1", "0", "1", "0", "1", "2", "-1", "abc")}
		for range r.intn(4) {
			args = append(args, index())
		}
		if len(args) == 6 {
			args[5] = unit()
		}
		return args
	case 8, 9:
		op := pick("AND", "OR", "XOR", "NOT", "and", "not", "xor", "nand", "")
		args := []string{"bitop", op, key()}
		n := 1 + r.intn(3)
		if op == "NOT" && r.intn(4) > 0 {
			n = 1
		}
		for range n {
			args = append(args, key())
		}
		return args
	case 10, 11, 12:
		return append([]string{"bitfield", key()}, fieldOps(false)...)
	case 13:
		return append([]string{"bitfield_ro", key()}, fieldOps(r.intn(4) > 0)...)
	case 14:
		return []string{"set", key(), value()}
	case 15:
		return []string{"append", key(), value()}
	case 16:
		return []string{"setrange", key(), strconv.Itoa(r.intn(20)), value()}
	case 17:
		return []string{"get", key()}
	case 18:
		return []string{"del", key()}
	default:
		return []string{"lpush", "l", "x"}
	}
}

// TestBitmapCommandsAgainstRedis runs random sequences of bitmap commands
// on the FSM and on a real Redis and compares every reply byte for byte
// (RAFTIS_ORACLE_ROUNDS=100000 for a long run).
func TestBitmapCommandsAgainstRedis(t *testing.T) {
	n := oracleRounds(t, 8000)
	o := newOracle(t)
	tf := newTestFSM(t)
	r := stringsRand(11)
	var history []string
	kinds := map[byte]int{}
	for range n {
		args := r.randomBitmapCommand()
		history = append(history, fmt.Sprintf("%q", args))
		if args[0] == "lpush" {
			// Make the key a list on both sides, whatever it held.
			o.do("del", args[1])
			o.do(args...)
			tf.do("del", args[1])
			tf.do(args...)
			continue
		}
		want := o.do(args...)
		got := tf.do(args...)
		kinds[want[0]]++
		if got != want {
			from := max(0, len(history)-12)
			t.Fatalf("after\n%s\n got: %q\nwant: %q", strings.Join(history[from:], "\n"), got, want)
		}
	}
	t.Logf("replies by type: %d status, %d error, %d integer, %d bulk, %d array",
		kinds['+'], kinds['-'], kinds[':'], kinds['$'], kinds['*'])
}
