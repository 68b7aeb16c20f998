package server

import "testing"

func TestOutputLimitsParseAsRedis(t *testing.T) {
	l := defaultOutputLimits
	if got := formatOutputLimits(l); got != "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60" {
		t.Errorf("defaults: %q", got)
	}
	for _, c := range []struct{ in, errText, after string }{
		{"normal 1mb 2kb 3", "", "normal 1048576 2048 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
		{"replica 1 2 3 NORMAL 5 6 7", "", "normal 5 6 7 slave 1 2 3 pubsub 33554432 8388608 60"},
		{"", "", "normal 5 6 7 slave 1 2 3 pubsub 33554432 8388608 60"},
		{"normal 1", "Wrong number of arguments in buffer limit configuration.", ""},
		{"master 1 2 3", "Invalid client class specified in buffer limit configuration.", ""},
		{"normal x 2 3", "Error in hard, soft or soft_seconds setting in buffer limit configuration.", ""},
		{"normal 1 2 -3", "Error in hard, soft or soft_seconds setting in buffer limit configuration.", ""},
	} {
		errText := parseOutputLimits(&l, c.in)
		if errText != c.errText {
			t.Errorf("%q: error %q, want %q", c.in, errText, c.errText)
		}
		if c.after != "" && formatOutputLimits(l) != c.after {
			t.Errorf("%q: limits %q, want %q", c.in, formatOutputLimits(l), c.after)
		}
	}
}
