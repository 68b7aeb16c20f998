package chaos

import (
	"os"
	"strings"
	"testing"
	"time"
)

// hist builds a history from ops given in order; each op's times are its
// position unless set.
func hist(ops ...Op) []*Op {
	out := make([]*Op, len(ops))
	for i := range ops {
		o := ops[i]
		o.ID = i
		if o.Outcome == "" {
			o.Outcome = OK
		}
		if o.Invoke == 0 && o.Return == 0 {
			o.Invoke, o.Return = int64(10*i+1), int64(10*i+5)
		}
		out[i] = &o
	}
	return out
}

func wantViolation(t *testing.T, ops []*Op, substr string) {
	t.Helper()
	v := check(ops, "", 10*time.Second)
	for _, msg := range v.Violations {
		if strings.Contains(msg, substr) {
			return
		}
	}
	t.Errorf("want a violation containing %q, got %q", substr, v.Violations)
}

func wantClean(t *testing.T, ops []*Op) {
	t.Helper()
	v := check(ops, "", 10*time.Second)
	if !v.ok() || len(v.Inconclusive) > 0 {
		t.Errorf("want no violation, got %q (inconclusive %q)", v.Violations, v.Inconclusive)
	}
}

func TestCheckAcceptsAConsistentHistory(t *testing.T) {
	wantClean(t, hist(
		Op{Conn: 1, Kind: opIncr, Key: "c0", Int: 1},
		Op{Conn: 2, Kind: opIncr, Key: "c0", Outcome: Unknown},
		Op{Conn: 3, Kind: opIncr, Key: "c0", Int: 3},
		Op{Conn: 4, Kind: opGet, Key: "c0", Str: "3", Level: levelLinearizable},
		Op{Conn: 1, Kind: opSet, Key: "r0", Arg: "v1"},
		Op{Conn: 5, Kind: opGet, Key: "r0", Null: true}, // stale follower
		Op{Conn: 1, Kind: opGet, Key: "r0", Str: "v1"},
		Op{Conn: 1, Kind: opAppend, Key: "a0", Arg: "t1,", Int: 3},
		Op{Conn: 2, Kind: opAppend, Key: "a0", Arg: "t2,", Outcome: Failed, Err: "CLUSTERDOWN"},
		Op{Conn: 1, Kind: opSAdd, Key: setKey, Arg: "e1", Int: 1},
		Op{Conn: 1, Kind: opLPush, Key: listKey, Arg: "e2", Int: 1},
		Op{Conn: 1, Kind: opLPush, Key: listKey, Arg: "e3", Int: 2},
		Op{Conn: 9, Final: true, Kind: opGet, Key: "a0", Str: "t1,"},
		Op{Conn: 9, Final: true, Kind: opGet, Key: "r0", Str: "v1"},
		Op{Conn: 9, Final: true, Kind: opMembers, Key: setKey, Strs: []string{"e1"}},
		Op{Conn: 9, Final: true, Kind: opRange, Key: listKey, Strs: []string{"e3", "e2"}},
	))
}

func TestCheckFindsTwoIncrementsWithOneResult(t *testing.T) {
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opIncr, Key: "c0", Int: 1},
		Op{Conn: 2, Kind: opIncr, Key: "c0", Int: 1},
	), "key c0: the history of its 2 writes and fresh reads is not linearizable")
}

func TestCheckFindsAStaleFreshRead(t *testing.T) {
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opSet, Key: "r1", Arg: "v1"},
		Op{Conn: 2, Kind: opGet, Key: "r1", Null: true, Level: levelLeader},
	), "key r1: the history")
}

func TestCheckFindsAStaleReadGoingBack(t *testing.T) {
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opSet, Key: "r0", Arg: "v1"},
		Op{Conn: 1, Kind: opSet, Key: "r0", Arg: "v2"},
		Op{Conn: 2, Kind: opGet, Key: "r0", Str: "v2"},
		Op{Conn: 2, Kind: opGet, Key: "r0", Str: "v1"},
	), "went back in time")
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opIncr, Key: "c1", Int: 1},
		Op{Conn: 1, Kind: opGet, Key: "c1", Null: true},
	), "went back in time")
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opAppend, Key: "a1", Arg: "t1,", Int: 3},
		Op{Conn: 1, Kind: opGet, Key: "a1", Null: true},
	), "went back in time")
}

func TestCheckFindsValuesNeverWritten(t *testing.T) {
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opGet, Key: "r2", Str: "v9"},
	), "which no client wrote")
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opIncr, Key: "c0", Outcome: Failed, Err: "CLUSTERDOWN"},
		Op{Conn: 2, Kind: opGet, Key: "c0", Str: "1"},
	), "only 0 INCRs")
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opSet, Key: "r0", Arg: "v1", Outcome: Failed, Err: "CLUSTERDOWN"},
		Op{Conn: 2, Kind: opGet, Key: "r0", Str: "v1"},
	), "which failed")
}

func TestCheckFindsLostAndDuplicatedElements(t *testing.T) {
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opSAdd, Key: setKey, Arg: "e1", Int: 1},
		Op{Conn: 9, Final: true, Kind: opMembers, Key: setKey, Strs: nil},
	), "it is gone")
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opLPush, Key: listKey, Arg: "e1", Outcome: Unknown},
		Op{Conn: 9, Final: true, Kind: opRange, Key: listKey, Strs: []string{"e1", "e1"}},
	), "applied twice")
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opLPush, Key: listKey, Arg: "e1", Int: 1},
		Op{Conn: 1, Kind: opLPush, Key: listKey, Arg: "e2", Int: 2},
		Op{Conn: 9, Final: true, Kind: opRange, Key: listKey, Strs: []string{"e1", "e2"}},
	), "in the other order")
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opAppend, Key: "a0", Arg: "t1,", Outcome: Failed, Err: "CLUSTERDOWN"},
		Op{Conn: 9, Final: true, Kind: opGet, Key: "a0", Str: "t1,"},
	), "failed with")
	wantViolation(t, hist(
		Op{Conn: 9, Final: true, Kind: opMembers, Key: setKey, Strs: []string{"x"}},
	), "never written")
}

func TestCheckFindsBrokenTransfers(t *testing.T) {
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opTransfer, Keys: []string{"b0", "b1"}, Amount: 2, Ints: []int64{-2, 2}},
		Op{Conn: 2, Kind: opBalances, Keys: accountKeys, Ints: []int64{-2, 0, 0}},
	), "sum to -2")
	wantViolation(t, hist(
		Op{Conn: 1, Kind: opTransfer, Keys: []string{"b0", "b1"}, Amount: 2, Ints: []int64{-2, 2}},
		Op{Conn: 2, Kind: opBalances, Keys: accountKeys, Ints: []int64{0, 0, 0}, Level: levelLinearizable},
	), "accounts: the history")
}

// A key that is not linearizable gets porcupine's visualization.
func TestCheckWritesAVisualization(t *testing.T) {
	dir := t.TempDir()
	v := check(hist(
		Op{Conn: 1, Kind: opIncr, Key: "c0", Int: 1},
		Op{Conn: 2, Kind: opIncr, Key: "c0", Int: 1},
	), dir, 10*time.Second)
	if len(v.Visualizations) != 1 || !strings.HasPrefix(v.Visualizations[0], dir) {
		t.Fatalf("visualizations %q, want one under %s", v.Visualizations, dir)
	}
	data, err := os.ReadFile(v.Visualizations[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "<html") {
		t.Errorf("%s is not an HTML page: %.100q", v.Visualizations[0], data)
	}
}
