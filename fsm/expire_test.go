package fsm

import (
	"strconv"
	"testing"
)

func TestExpireOptionErrorsLikeRedis(t *testing.T) {
	nxErr := errR("ERR NX and XX, GT or LT options at the same time are not compatible")
	gtLtErr := errR("ERR GT and LT options at the same time are not compatible")
	checkLikeRedis(t, []replyCase{
		{cmd("SET", "k", "v"), okR()},
		{cmd("EXPIRE", "k", "100", "NX", "XX"), nxErr},
		{cmd("EXPIRE", "k", "100", "nx", "gt"), nxErr},
		{cmd("EXPIRE", "k", "100", "Nx", "Lt"), nxErr},
		{cmd("EXPIRE", "k", "100", "xx", "nx"), nxErr},
		{cmd("EXPIRE", "k", "100", "GT", "LT"), gtLtErr},
		{cmd("EXPIRE", "k", "100", "xx", "gt", "lt"), gtLtErr},
		{cmd("EXPIRE", "k", "100", "nx", "gt", "lt"), nxErr},
		{cmd("EXPIRE", "k", "100", "foo"), errR("ERR Unsupported option foo")},
		{cmd("EXPIRE", "k", "100", "nx", "xx", "foo"), errR("ERR Unsupported option foo")},
		{cmd("PEXPIRE", "k", "100", "bar"), errR("ERR Unsupported option bar")},
		{cmd("EXPIREAT", "k", "100", "NXX"), errR("ERR Unsupported option NXX")},
		{cmd("PEXPIREAT", "k", "100", ""), errR("ERR Unsupported option ")},
		// The option is printed as a C string, without CR/LF.
		{cmd("EXPIRE", "k", "100", "a\r\nb"), errR("ERR Unsupported option a  b")},
		{cmd("EXPIRE", "k", "100", "foo\r\n"), errR("ERR Unsupported option foo")},
		{cmd("EXPIRE", "k", "100", "ab\x00cd"), errR("ERR Unsupported option ab")},
		// Options are checked before the time, the time before the key.
		{cmd("EXPIRE", "k", "abc", "foo"), errR("ERR Unsupported option foo")},
		{cmd("EXPIRE", "k", "abc", "nx", "xx"), nxErr},
		{cmd("EXPIRE", "k", "abc"), errR("ERR value is not an integer or out of range")},
		{cmd("EXPIRE", "k", "1.5"), errR("ERR value is not an integer or out of range")},
		{cmd("PEXPIRE", "k", "+1"), errR("ERR value is not an integer or out of range")},
		{cmd("EXPIRE", "nokey", "x"), errR("ERR value is not an integer or out of range")},
		{cmd("EXPIRE", "nokey", "9223372036854775807"), errR("ERR invalid expire time in 'expire' command")},
		// Overflow of n×1000 or of now+n, whatever the key.
		{cmd("EXPIRE", "k", "9223372036854775807"), errR("ERR invalid expire time in 'expire' command")},
		{cmd("EXPIRE", "k", "9223372036854776"), errR("ERR invalid expire time in 'expire' command")},
		{cmd("EXPIRE", "k", "9223372036854775"), errR("ERR invalid expire time in 'expire' command")},
		{cmd("EXPIRE", "k", "-9223372036854776"), errR("ERR invalid expire time in 'expire' command")},
		{cmd("PEXPIRE", "k", "9223372036854775807"), errR("ERR invalid expire time in 'pexpire' command")},
		{cmd("EXPIREAT", "k", "9223372036854775807"), errR("ERR invalid expire time in 'expireat' command")},
		{cmd("EXPIREAT", "k", "9223372036854776"), errR("ERR invalid expire time in 'expireat' command")},
		{cmd("TTL", "k"), intR(-1)},
		{cmd("EXPIRE", "k"), arityR("expire")},
		{cmd("PEXPIRE", "k"), arityR("pexpire")},
		{cmd("EXPIREAT", "k"), arityR("expireat")},
		{cmd("PEXPIREAT", "k"), arityR("pexpireat")},
		{cmd("TTL"), arityR("ttl")},
		{cmd("PTTL", "k", "x"), arityR("pttl")},
		{cmd("EXPIRETIME"), arityR("expiretime")},
		{cmd("PEXPIRETIME", "k", "x"), arityR("pexpiretime")},
		{cmd("PERSIST"), arityR("persist")},
	})
}

func TestExpireConditionsLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("EXPIRE", "nokey", "100"), intR(0)},
		{cmd("EXPIRE", "nokey", "100", "NX"), intR(0)},
		{cmd("EXPIRE", "nokey", "-1"), intR(0)},
		{cmd("PERSIST", "nokey"), intR(0)},
		{cmd("TTL", "nokey"), intR(-2)},
		{cmd("PTTL", "nokey"), intR(-2)},
		{cmd("EXPIRETIME", "nokey"), intR(-2)},
		{cmd("PEXPIRETIME", "nokey"), intR(-2)},
		{cmd("SET", "k", "v"), okR()},
		{cmd("TTL", "k"), intR(-1)},
		{cmd("PTTL", "k"), intR(-1)},
		{cmd("EXPIRETIME", "k"), intR(-1)},
		{cmd("PEXPIRETIME", "k"), intR(-1)},
		{cmd("PERSIST", "k"), intR(0)},
		// No deadline counts as an infinite one for GT and LT.
		{cmd("EXPIRE", "k", "100", "XX"), intR(0)},
		{cmd("EXPIRE", "k", "100", "GT"), intR(0)},
		{cmd("EXPIRE", "k", "100", "XX", "LT"), intR(0)},
		{cmd("TTL", "k"), intR(-1)},
		{cmd("EXPIRE", "k", "100", "LT"), intR(1)},
		{cmd("TTL", "k"), intR(100)},
		{cmd("EXPIRE", "k", "200", "NX"), intR(0)},
		{cmd("EXPIRE", "k", "50", "GT"), intR(0)},
		{cmd("EXPIRE", "k", "99", "GT"), intR(0)}, // an equal deadline: see TestExpireTimeLikeRedis
		{cmd("EXPIRE", "k", "200", "gt"), intR(1)},
		{cmd("TTL", "k"), intR(200)},
		{cmd("EXPIRE", "k", "300", "LT"), intR(0)},
		{cmd("EXPIRE", "k", "200", "LT"), intR(0)},
		{cmd("EXPIRE", "k", "50", "lt"), intR(1)},
		{cmd("TTL", "k"), intR(50)},
		{cmd("EXPIRE", "k", "60", "XX", "GT"), intR(1)},
		{cmd("TTL", "k"), intR(60)},
		{cmd("EXPIRE", "k", "70", "XX", "LT"), intR(0)},
		{cmd("EXPIRE", "k", "70", "XX"), intR(1)},
		{cmd("TTL", "k"), intR(70)},
		{cmd("PERSIST", "k"), intR(1)},
		{cmd("PERSIST", "k"), intR(0)},
		{cmd("TTL", "k"), intR(-1)},
		{cmd("GET", "k"), bulkR("v")},
		{cmd("EXPIRE", "k", "80", "NX"), intR(1)},
		{cmd("TTL", "k"), intR(80)},
		{cmd("PEXPIRE", "k", "90000"), intR(1)},
		{cmd("TTL", "k"), intR(90)},
		// SET without KEEPTTL drops the deadline.
		{cmd("SET", "k", "w"), okR()},
		{cmd("TTL", "k"), intR(-1)},
	})
}

// A deadline at or before now deletes the key, and the reply is still 1.
func TestExpireInThePastDeletesLikeRedis(t *testing.T) {
	cases := []replyCase{}
	for _, c := range [][]string{
		{"EXPIRE", "k", "0"},
		{"EXPIRE", "k", "-5"},
		{"PEXPIRE", "k", "0"},
		{"PEXPIRE", "k", "-9223372036854775808"},
		{"EXPIREAT", "k", "0"},
		{"EXPIREAT", "k", "1000000000"},
		{"PEXPIREAT", "k", "1"},
		{"PEXPIREAT", "k", "-1"},
		{"EXPIRE", "k", "-1", "NX"},
		{"EXPIRE", "k", "-1", "LT"},
	} {
		cases = append(cases,
			replyCase{cmd("SET", "k", "v"), okR()},
			replyCase{c, intR(1)},
			replyCase{cmd("EXISTS", "k"), intR(0)},
			replyCase{cmd("DBSIZE"), intR(0)},
		)
	}
	cases = append(cases,
		replyCase{cmd("SET", "k", "v"), okR()},
		replyCase{cmd("EXPIRE", "k", "-1", "GT"), intR(0)},
		replyCase{cmd("EXPIRE", "k", "-1", "XX"), intR(0)},
		replyCase{cmd("EXPIRE", "k", "100"), intR(1)},
		replyCase{cmd("EXPIRE", "k", "-1", "GT"), intR(0)},
		replyCase{cmd("EXPIRE", "k", "-1", "NX"), intR(0)},
		replyCase{cmd("EXISTS", "k"), intR(1)},
		replyCase{cmd("EXPIRE", "k", "-1", "XX", "LT"), intR(1)},
		replyCase{cmd("EXISTS", "k"), intR(0)},
	)
	checkLikeRedis(t, cases)
}

// Absolute deadlines far in the future read the same on any clock.
func TestExpireTimeLikeRedis(t *testing.T) {
	checkLikeRedis(t, []replyCase{
		{cmd("SET", "k", "v"), okR()},
		{cmd("EXPIREAT", "k", "99999999999"), intR(1)},
		{cmd("EXPIRETIME", "k"), intR(99999999999)},
		{cmd("PEXPIRETIME", "k"), intR(99999999999000)},
		// EXPIRETIME rounds like TTL: (ms+500)/1000.
		{cmd("PEXPIREAT", "k", "99999999999500"), intR(1)},
		// An equal deadline is neither greater nor less (with relative
		// times the real server's clock would move it).
		{cmd("PEXPIREAT", "k", "99999999999500", "GT"), intR(0)},
		{cmd("PEXPIREAT", "k", "99999999999500", "LT"), intR(0)},
		{cmd("EXPIREAT", "k", "99999999999", "GT"), intR(0)},
		{cmd("EXPIRETIME", "k"), intR(100000000000)},
		{cmd("PEXPIRETIME", "k"), intR(99999999999500)},
		{cmd("PEXPIREAT", "k", "99999999999499"), intR(1)},
		{cmd("EXPIRETIME", "k"), intR(99999999999)},
		// The largest deadlines: no overflow in the rounding.
		{cmd("PEXPIREAT", "k", "9223372036854775807"), intR(1)},
		{cmd("PEXPIRETIME", "k"), intR(9223372036854775807)},
		{cmd("EXPIRETIME", "k"), intR(9223372036854776)},
		{cmd("PEXPIREAT", "k", "9223372036854775308"), intR(1)},
		{cmd("EXPIRETIME", "k"), intR(9223372036854775)},
		{cmd("EXPIREAT", "k", "9223372036854775"), intR(1)},
		{cmd("PEXPIRETIME", "k"), intR(9223372036854775000)},
		{cmd("PERSIST", "k"), intR(1)},
		{cmd("EXPIRETIME", "k"), intR(-1)},
	})
}

// TTL rounds the time left to the nearest second, half up; PTTL is exact.
func TestTTLRounding(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("SET", "k", "v", "PX", "2000")
	start := tf.now
	for _, tc := range []struct {
		elapsed   int64
		pttl, ttl int64
	}{
		{0, 2000, 2}, {499, 1501, 2}, {500, 1500, 2}, {501, 1499, 1},
		{1000, 1000, 1}, {1500, 500, 1}, {1501, 499, 0}, {1999, 1, 0},
		{2000, -2, -2}, {5000, -2, -2},
	} {
		tf.now = start + tc.elapsed
		tf.check([]replyCase{
			{cmd("PTTL", "k"), intR(tc.pttl)},
			{cmd("TTL", "k"), intR(tc.ttl)},
		})
	}
	// The deadline itself does not move; reads did not delete the key.
	tf.now = start
	tf.check([]replyCase{{cmd("PEXPIRETIME", "k"), intR(start + 2000)}, {cmd("DBSIZE"), intR(1)}})
}

// Relative deadlines count from the entry's time; the key expires when
// the clock reaches the deadline.
func TestExpireUsesEntryTime(t *testing.T) {
	tf := newTestFSM(t)
	now := tf.now
	ms := func(n int64) string { return strconv.FormatInt(n, 10) }
	tf.check([]replyCase{
		{cmd("SET", "k", "v"), okR()},
		{cmd("EXPIRE", "k", "10"), intR(1)},
		{cmd("PEXPIRETIME", "k"), intR(now + 10_000)},
		{cmd("EXPIRETIME", "k"), intR(now/1000 + 10)},
		{cmd("PEXPIRE", "k", "1500"), intR(1)},
		{cmd("PEXPIRETIME", "k"), intR(now + 1500)},
		{cmd("PEXPIREAT", "k", ms(now+700)), intR(1)},
		{cmd("PTTL", "k"), intR(700)},
		{cmd("EXPIREAT", "k", ms(now/1000+3)), intR(1)},
		{cmd("PEXPIRETIME", "k"), intR((now/1000 + 3) * 1000)},
		// A deadline equal to the entry time is already past.
		{cmd("PEXPIREAT", "k", ms(now)), intR(1)},
		{cmd("EXISTS", "k"), intR(0)},
		{cmd("SET", "k", "v"), okR()},
		{cmd("PEXPIREAT", "k", ms(now+1)), intR(1)},
	})
	tf.now++
	tf.check([]replyCase{
		{cmd("EXISTS", "k"), intR(0)},
		{cmd("DBSIZE"), intR(1)},
		// A write meeting the expired key removes it.
		{cmd("PERSIST", "k"), intR(0)},
		{cmd("DBSIZE"), intR(0)},
	})

	// GT and LT compare absolute deadlines.
	tf.check([]replyCase{
		{cmd("SET", "k", "v"), okR()},
		{cmd("PEXPIREAT", "k", ms(tf.now+5000)), intR(1)},
		{cmd("EXPIRE", "k", "5", "GT"), intR(0)},
		{cmd("PEXPIRE", "k", "5001", "GT"), intR(1)},
		{cmd("PEXPIRE", "k", "5001", "LT"), intR(0)},
		{cmd("PEXPIRE", "k", "5000", "LT"), intR(1)},
		{cmd("PTTL", "k"), intR(5000)},
	})
}
