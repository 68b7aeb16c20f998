package fsm

import (
	"math/big"
)

// Blocking commands. The state machine never blocks: every node must apply
// an entry the same way, at once. A blocking command runs here as Redis
// runs it inside MULTI: it pops if it can, or replies Redis's null and
// changes nothing; waiting is the server's job.

// Error texts of blocking timeouts.
const (
	errTimeoutNotFloat = "ERR timeout is not a float or out of range"
	errTimeoutNegative = "ERR timeout is negative"
)

// parseTimeout parses a timeout in seconds as Redis's
// getTimeoutFromObjectOrReply does: a long double, times 1000, rounded up
// and converted to a long long. On x86-64 a conversion out of range (or
// from ±Inf) gives LLONG_MIN, which then fails as negative.
func parseTimeout(b []byte) (ms int64, errMsg string) {
	secs, ok := parseLongDouble(b)
	if !ok {
		return 0, errTimeoutNotFloat
	}
	if secs.IsInf() {
		return 0, errTimeoutNegative
	}
	prod := new(big.Float).SetPrec(ldMantBits).Mul(secs, big.NewFloat(1000))
	whole, acc := prod.Int(nil)
	if acc == big.Below && prod.Sign() > 0 {
		whole.Add(whole, big.NewInt(1))
	}
	if !whole.IsInt64() || whole.Sign() < 0 {
		return 0, errTimeoutNegative
	}
	return whole.Int64(), ""
}
