package fsm

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"iter"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/raftis/raftis/fsm/rdb"
	"github.com/raftis/raftis/internal/testredis"
)

// zenc is the encoding of the value at key in database 0.
func zenc(t *testing.T, f *FSM, key string) string {
	t.Helper()
	it, ok := f.dbs[0].get(key)
	if !ok {
		t.Fatalf("%s: missing", key)
	}
	return it.val.Encoding()
}

// TestZSetEncodings checks OBJECT ENCODING's view: packed while within
// the limits, the trees once past either, never back; and results that
// are built whole (stores, restores) packed when they fit.
func TestZSetEncodings(t *testing.T) {
	tf := newTestFSM(t)
	for i := range 128 {
		tf.write("zadd", "z", strconv.Itoa(i), "m"+strconv.Itoa(i))
	}
	if e := zenc(t, tf.f, "z"); e != "listpack" {
		t.Fatalf("128 members: %s", e)
	}
	// Updating a member does not count as growing.
	tf.write("zadd", "z", "1000", "m0")
	if e := zenc(t, tf.f, "z"); e != "listpack" {
		t.Fatalf("128 members after an update: %s", e)
	}
	tf.write("zadd", "z", "1", "one-more")
	if e := zenc(t, tf.f, "z"); e != "skiplist" {
		t.Fatalf("129 members: %s", e)
	}
	tf.write("zremrangebyrank", "z", "0", "100")
	if e := zenc(t, tf.f, "z"); e != "skiplist" {
		t.Fatalf("shrunk: %s", e)
	}
	// A store builds its result whole: packed when it fits.
	tf.write("zunionstore", "u", "1", "z")
	if e := zenc(t, tf.f, "u"); e != "listpack" {
		t.Fatalf("stored 28 members: %s", e)
	}
	tf.write("zadd", "v", "1", strings.Repeat("x", 64))
	if e := zenc(t, tf.f, "v"); e != "listpack" {
		t.Fatalf("64-byte member: %s", e)
	}
	tf.write("zadd", "v", "1", strings.Repeat("x", 65))
	if e := zenc(t, tf.f, "v"); e != "skiplist" {
		t.Fatalf("65-byte member: %s", e)
	}
	tf.write("zrangestore", "w", "v", "0", "-1")
	if e := zenc(t, tf.f, "w"); e != "skiplist" {
		t.Fatalf("stored 65-byte member: %s", e)
	}
	tf.write("zrangestore", "w", "v", "0", "0")
	if e := zenc(t, tf.f, "w"); e != "listpack" {
		t.Fatalf("stored 64-byte member: %s", e)
	}
	lim := DefaultLimits
	lim.ZSetMaxListpackEntries = 0
	tf.f.SetLimits(lim)
	tf.write("zadd", "x", "1", "a")
	if e := zenc(t, tf.f, "x"); e != "skiplist" {
		t.Fatalf("zset-max-listpack-entries 0: %s", e)
	}
	if r := tf.read("zrange", "x", "0", "-1", "withscores"); r != flatR("a", "1") {
		t.Fatalf("zrange = %q", r)
	}
}

// zsetOf builds a sorted set of n members m0..m(n-1) with scores i%7 at
// key, in one command.
func zsetOf(tf *testFSM, key string, n int) {
	args := []string{"zadd", key}
	for i := range n {
		args = append(args, strconv.Itoa(i%7), "m"+strconv.Itoa(i))
	}
	tf.write(args...)
}

// TestZSetCopyIsIndependent checks that COPY leaves two sorted sets that
// change independently, in both encodings, and so does a snapshot.
func TestZSetCopyIsIndependent(t *testing.T) {
	for _, n := range []int{10, 1000} {
		tf := newTestFSM(t)
		zsetOf(tf, "src", n)
		tf.write("copy", "src", "dst")
		if _, err := tf.f.Snapshot(); err != nil {
			t.Fatal(err)
		}
		tf.write("copy", "src", "dst2")
		tf.write("zadd", "src", "100", "only-src")
		tf.write("zrem", "src", "m1")
		tf.write("zadd", "dst", "200", "only-dst", "50", "m2")
		tf.write("zpopmax", "dst2", "3")
		tf.check([]replyCase{
			{cmd("zscore", "src", "only-dst"), nullR()},
			{cmd("zscore", "dst", "only-src"), nullR()},
			{cmd("zscore", "src", "m1"), nullR()},
			{cmd("zscore", "dst", "m1"), bulkR("1")},
			{cmd("zscore", "src", "m2"), bulkR("2")},
			{cmd("zscore", "dst", "m2"), bulkR("50")},
			{cmd("zcard", "src"), intR(int64(n))},
			{cmd("zcard", "dst"), intR(int64(n + 1))},
			{cmd("zcard", "dst2"), intR(int64(n - 3))},
			{cmd("zscore", "dst2", "m1"), bulkR("1")},
		})
	}
}

// TestZSetSnapshotIsolation checks that a snapshot taken before changes
// to a sorted set, small or large, still writes it as it was.
func TestZSetSnapshotIsolation(t *testing.T) {
	tf := newTestFSM(t)
	zsetOf(tf, "big", 500)
	zsetOf(tf, "small", 5)
	want, err := tf.f.Digest()
	if err != nil {
		t.Fatal(err)
	}
	snap, err := tf.f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	tf.write("zadd", "big", "99", "m1", "1", "new")
	tf.write("zrem", "big", "m2")
	tf.write("zpopmax", "big", "10")
	tf.write("zremrangebyscore", "big", "0", "2")
	tf.write("zincrby", "small", "5", "m0")
	tf.write("zrem", "small", "m1")
	tf.write("zunionstore", "small", "2", "small", "big")
	if got := digestOfSnapshot(t, snap); got != want {
		t.Fatal("the snapshot saw changes made after it was taken")
	}
	if r := tf.read("zscore", "big", "m4"); r != bulkR("4") {
		t.Fatalf("live zscore = %q", r)
	}
}

// TestZSetRestore round-trips sorted sets of both encodings through a
// snapshot and checks that the file passes redis-check-rdb.
func TestZSetRestore(t *testing.T) {
	tf := newTestFSM(t)
	zsetOf(tf, "big", 300)
	tf.write("zadd", "big", "inf", "top", "-inf", "bottom", "1e-320", "tiny")
	tf.write("zadd", "small", "1.5", "a", "-2", "\x00\xff")
	restored := restoreCopy(t, tf.f)
	for _, args := range [][]string{
		{"zrange", "big", "0", "-1", "withscores"}, {"zscore", "big", "m299"}, {"zrank", "big", "tiny"},
		{"zrange", "small", "0", "-1", "withscores"}, {"type", "small"},
	} {
		if got, want := string(restored.Read(nil, 0, tf.now, 1, toArgs(args))), tf.read(args...); got != want {
			t.Errorf("%v after restore = %q, want %q", args, got, want)
		}
	}
	if e := zenc(t, restored, "big"); e != "skiplist" {
		t.Errorf("restored big sorted set is %s", e)
	}
	if e := zenc(t, restored, "small"); e != "listpack" {
		t.Errorf("restored small sorted set is %s", e)
	}
	// A restore chooses the encoding by size under its own limits.
	lim := DefaultLimits
	lim.ZSetMaxListpackEntries = 1000
	f := New()
	f.SetLimits(lim)
	var buf bytes.Buffer
	if err := tf.f.WriteRDB(&buf); err != nil {
		t.Fatal(err)
	}
	if err := f.Restore(readCloser(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	if e := zenc(t, f, "big"); e != "listpack" {
		t.Errorf("big sorted set restored under a limit of 1000 is %s", e)
	}

	check := testredis.Need(t, "redis-check-rdb")
	path := filepath.Join(t.TempDir(), "dump.rdb")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(check, path).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("RDB looks OK")) {
		t.Fatalf("redis-check-rdb: %v\n%s", err, out)
	}
}

// TestZSetFromRecordRefusesDuplicates checks that a snapshot holding a
// member twice is refused, as Redis refuses it as corrupt.
func TestZSetFromRecordRefusesDuplicates(t *testing.T) {
	for _, n := range []int{3, 300} {
		var members []rdb.ZMember
		for i := range n {
			members = append(members, rdb.ZMember{Member: []byte("m" + strconv.Itoa(i)), Score: float64(i)})
		}
		members = append(members, rdb.ZMember{Member: []byte("m1"), Score: 7})
		if _, err := zsetFromRecord(&DefaultLimits, members); err == nil || !strings.Contains(err.Error(), `"m1"`) {
			t.Errorf("%d members with m1 twice: err = %v", n, err)
		}
	}
}

// TestZSetTreesMatchPacked runs the same random writes on a sorted set
// kept packed and on one kept in trees, and compares what every read
// sees: the two encodings hold the same contents in the same order.
func TestZSetTreesMatchPacked(t *testing.T) {
	packed, trees := newTestFSM(t), newTestFSM(t)
	lim := DefaultLimits
	lim.ZSetMaxListpackEntries, lim.ZSetMaxListpackValue = 1<<30, 1<<30
	packed.f.SetLimits(lim)
	lim.ZSetMaxListpackEntries = 0
	trees.f.SetLimits(lim)
	g := newZSetGen(21)
	rounds := oracleRounds(t, 5000)
	for i := range rounds {
		args := g.next()
		if args[0] == "zrandmember" || args[0] == "zscan" {
			continue // encoding-dependent order or form
		}
		if a, b := packed.do(args...), trees.do(args...); a != b {
			t.Fatalf("round %d %q:\n packed: %q\n  trees: %q", i, args, a, b)
		}
		checkAllZSets(t, packed.f, args[0])
		checkAllZSets(t, trees.f, args[0])
	}
	for _, key := range g.zkeys {
		if it, ok := trees.f.dbs[0].get(key); ok && it.val.Encoding() != "skiplist" {
			t.Fatalf("%s is %s under a limit of 0", key, it.val.Encoding())
		}
	}
	da, err := packed.f.Digest()
	if err != nil {
		t.Fatal(err)
	}
	db, err := trees.f.Digest()
	if err != nil {
		t.Fatal(err)
	}
	if da != db {
		t.Fatal("digests differ between the encodings")
	}
}

// setStub is a set value for the inputs of ZUNION & co., with the methods
// the sets family provides.
type setStub struct{ members []string }

func (*setStub) Type() string                                    { return "set" }
func (*setStub) Encoding() string                                { return "hashtable" }
func (s *setStub) clone() Value                                  { return &setStub{slices.Clone(s.members)} }
func (*setStub) memSize() int                                    { return 0 }
func (*setStub) writeRDB(*rdb.Writer, []byte, int64, bool) error { return nil }
func (s *setStub) length() int                                   { return len(s.members) }
func (s *setStub) has(m []byte) bool                             { return slices.Contains(s.members, string(m)) }
func (s *setStub) all() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for _, m := range s.members {
			if !yield([]byte(m)) {
				return
			}
		}
	}
}

// TestZSetAlgebraTakesSets checks that sets count as sorted sets with
// scores of 1 (the replies are Redis's for SADD s a b x).
func TestZSetAlgebraTakesSets(t *testing.T) {
	tf := newTestFSM(t)
	tf.f.dbs[0].set(item{key: "s", val: &setStub{members: []string{"x", "a", "b"}}})
	tf.write("zadd", "z", "1", "a", "2", "b", "3", "c")
	tf.check([]replyCase{
		{cmd("zunion", "2", "z", "s", "withscores"), flatR("x", "1", "a", "2", "b", "3", "c", "3")},
		{cmd("zunion", "2", "z", "s", "weights", "1", "10", "aggregate", "max", "withscores"), flatR("c", "3", "a", "10", "b", "10", "x", "10")},
		{cmd("zinter", "2", "s", "z", "withscores"), flatR("a", "2", "b", "3")},
		{cmd("zdiff", "2", "s", "z", "withscores"), flatR("x", "1")},
		{cmd("zdiff", "2", "z", "s"), flatR("c")},
		{cmd("zintercard", "2", "s", "z"), intR(2)},
		{cmd("zinterstore", "d", "2", "s", "s"), intR(3)},
		{cmd("zrange", "d", "0", "-1", "withscores"), flatR("a", "2", "b", "2", "x", "2")},
		{cmd("zrange", "s", "0", "-1"), errR(strWrongType)},
	})
}

// TestZRandMemberCounts checks ZRANDMEMBER's count rules on both
// encodings: the number of picks, distinctness, and that every pick is a
// member with its own score.
func TestZRandMemberCounts(t *testing.T) {
	for _, size := range []int{5, 300} {
		tf := newTestFSM(t)
		zsetOf(tf, "z", size)
		for _, tc := range []struct {
			count    int
			n        int
			distinct bool
		}{{1, 1, true}, {3, 3, true}, {size - 1, size - 1, true}, {size, size, true}, {size + 10, size, true}, {-1, 1, false}, {-(size + 10), size + 10, false}} {
			for _, ws := range []bool{false, true} {
				args := []string{"zrandmember", "z", strconv.Itoa(tc.count)}
				per := 1
				if ws {
					args, per = append(args, "WITHSCORES"), 2
				}
				items := arrayItems(t, tf.read(args...))
				if len(items) != tc.n*per {
					t.Fatalf("size %d %v: %d items, want %d", size, args, len(items), tc.n*per)
				}
				seen := map[string]bool{}
				for i := 0; i < len(items); i += per {
					m := items[i]
					n, err := strconv.Atoi(strings.TrimPrefix(m, "m"))
					if err != nil || n >= size || (ws && items[i+1] != strconv.Itoa(n%7)) {
						t.Fatalf("size %d %v: bad pick %q", size, args, items[i:i+per])
					}
					if tc.distinct && seen[m] {
						t.Fatalf("size %d %v: %q picked twice", size, args, m)
					}
					seen[m] = true
				}
			}
		}
		if got := tf.read("zrandmember", "z"); !strings.HasPrefix(got, "$") || !strings.Contains(got, "\r\nm") {
			t.Fatalf("zrandmember z = %q", got)
		}
	}
}

// TestZScanLarge pages through a large sorted set with ZSCAN: every member
// present throughout comes back exactly once, with its score.
func TestZScanLarge(t *testing.T) {
	tf := newTestFSM(t)
	const n = 1000
	zsetOf(tf, "z", n)
	seen := map[string]int{}
	cursor := "0"
	for calls := 0; ; calls++ {
		if calls > n {
			t.Fatal("ZSCAN does not end")
		}
		reply := tf.read("zscan", "z", cursor, "COUNT", "7")
		// Member 3 of each ten is removed as the scan goes: the others
		// must still all come back exactly once.
		tf.write("zrem", "z", "m"+strconv.Itoa(calls*10+3))
		c, items := scanItems(t, reply)
		for i := 0; i < len(items); i += 2 {
			k, err := strconv.Atoi(strings.TrimPrefix(items[i], "m"))
			if err != nil || items[i+1] != strconv.Itoa(k%7) {
				t.Fatalf("member %s has score %s", items[i], items[i+1])
			}
			seen[items[i]]++
		}
		if cursor = c; cursor == "0" {
			break
		}
	}
	for i := range n {
		m := "m" + strconv.Itoa(i)
		if i%10 != 3 && seen[m] != 1 {
			t.Errorf("%s returned %d times", m, seen[m])
		}
	}
}

// TestZSetLargeRangesByRank checks ranks and ranges on a large sorted set
// against a model, across the node boundaries of the trees.
func TestZSetLargeRangesByRank(t *testing.T) {
	tf := newTestFSM(t)
	const n = 3000
	zsetOf(tf, "z", n)
	// The model, in (score, member) order; byScore[s] are the members of
	// score s.
	var model []string
	byScore := make([][]string, 7)
	for s := range 7 {
		for i := s; i < n; i += 7 {
			byScore[s] = append(byScore[s], "m"+strconv.Itoa(i))
		}
		slices.Sort(byScore[s])
		model = append(model, byScore[s]...)
	}
	for _, r := range []int{0, 1, 61, 62, 63, 500, 1500, n - 2, n - 1} {
		if got := tf.read("zrank", "z", model[r]); got != intR(int64(r)) {
			t.Fatalf("zrank %s = %q, want %d", model[r], got, r)
		}
		if got := tf.read("zrevrank", "z", model[r]); got != intR(int64(n-1-r)) {
			t.Fatalf("zrevrank %s = %q", model[r], got)
		}
		hi := min(r+9, n-1)
		if got, want := tf.read("zrange", "z", strconv.Itoa(r), strconv.Itoa(r+9)), flatR(model[r:hi+1]...); got != want {
			t.Fatalf("zrange %d %d = %q, want %q", r, r+9, got, want)
		}
		rev := slices.Clone(model[n-1-hi : n-r])
		slices.Reverse(rev)
		if got, want := tf.read("zrevrange", "z", strconv.Itoa(r), strconv.Itoa(r+9)), flatR(rev...); got != want {
			t.Fatalf("zrevrange %d %d = %q, want %q", r, r+9, got, want)
		}
	}
	if got, want := tf.read("zcount", "z", "(2", "4"), intR(int64(len(byScore[3])+len(byScore[4]))); got != want {
		t.Fatalf("zcount (2 4 = %q, want %q", got, want)
	}
	if got, want := tf.read("zrangebyscore", "z", "3", "3", "limit", "5", "2"), flatR(byScore[3][5:7]...); got != want {
		t.Fatalf("zrangebyscore 3 3 limit 5 2 = %q, want %q", got, want)
	}
	rev := slices.Clone(byScore[5])
	slices.Reverse(rev)
	if got, want := tf.read("zrevrangebyscore", "z", "(6", "5", "limit", "1", "3"), flatR(rev[1:4]...); got != want {
		t.Fatalf("zrevrangebyscore (6 5 limit 1 3 = %q, want %q", got, want)
	}
}

func readCloser(b []byte) *nopCloser { return &nopCloser{bytes.NewReader(b)} }

type nopCloser struct{ *bytes.Reader }

func (*nopCloser) Close() error { return nil }

// checkZSetInvariants checks what the encodings keep implicitly: the
// member count, the order, no -0 or NaN score, both trees holding the
// same members and scores, and the member bytes counted for memSize.
func checkZSetInvariants(z *zsetValue) error {
	n, data := 0, 0
	var prev zsItem
	for m, s := range z.all() {
		it := zsItem{score: s, member: string(m)}
		if n > 0 && zsItemCmp(prev, it) >= 0 {
			return fmt.Errorf("out of order: %v then %v", prev, it)
		}
		if math.IsNaN(s) || (s == 0 && math.Signbit(s)) {
			return fmt.Errorf("score %v of %q", s, m)
		}
		if !z.packed() {
			if got, ok := z.byMember.Get(zmKey(m)); !ok || got.score != s {
				return fmt.Errorf("byMember has %q as %v, %v; byScore as %v", m, got.score, ok, s)
			}
		}
		prev = it
		n++
		data += len(m)
	}
	if n != z.n {
		return fmt.Errorf("n = %d, %d members", z.n, n)
	}
	if !z.packed() && (z.byMember.Len() != n || z.byScore.Len() != n || z.data != data) {
		return fmt.Errorf("trees hold %d and %d members, data %d, want %d and %d", z.byScore.Len(), z.byMember.Len(), z.data, n, data)
	}
	if z.packed() && n == 0 && z.lp != nil {
		return fmt.Errorf("empty listpack kept")
	}
	return nil
}

// checkAllZSets checks the invariants of every sorted set of f.
func checkAllZSets(t *testing.T, f *FSM, after string) {
	t.Helper()
	for i, db := range f.dbs {
		db.keys.each(func(it *item) bool {
			if z, ok := it.val.(*zsetValue); ok {
				if err := checkZSetInvariants(z); err != nil {
					t.Fatalf("after %s: db %d key %q: %v", after, i, it.key, err)
				}
			}
			return true
		})
	}
}

// TestZSetRestoreRefusesNaN checks that a snapshot holding a NaN score is
// refused as corrupt and leaves the data set as it was.
func TestZSetRestoreRefusesNaN(t *testing.T) {
	tf := newTestFSM(t)
	tf.write("zadd", "keep", "1", "me")
	file := []byte("REDIS0010\xfe\x00\x05\x01z\x01\x01m")
	file = binary.LittleEndian.AppendUint64(file, math.Float64bits(math.NaN()))
	file = append(file, 0xff)
	file = binary.LittleEndian.AppendUint64(file, rdb.Checksum(file))
	if err := tf.f.Restore(readCloser(file)); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("restore of a NaN score: %v", err)
	}
	tf.check([]replyCase{{cmd("zscore", "keep", "me"), bulkR("1")}, {cmd("exists", "z"), intR(0)}})
}
