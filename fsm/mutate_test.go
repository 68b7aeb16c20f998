package fsm

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/raftis/raftis/fsm/rdb"
)

// checkUsedMemory recomputes every database's used memory from its items
// and compares it with the running total that set, delete and settle keep.
func checkUsedMemory(t *testing.T, f *FSM, after string) {
	t.Helper()
	for i, db := range f.dbs {
		var sum int64
		db.keys.each(func(it *item) bool {
			sum += itemSize(it)
			return true
		})
		if sum != db.used {
			t.Fatalf("after %s: db %d used = %d, items add up to %d", after, i, db.used, sum)
		}
	}
}

// TestUsedMemoryAccounting runs random writes over every type and checks
// after each that the running total of used memory is exact, that empty
// collections are gone, and that deleting everything brings it to zero.
func TestUsedMemoryAccounting(t *testing.T) {
	tf := newTestFSM(t)
	r := rand.New(rand.NewPCG(1, 2))
	keys := []string{"a", "b", "c"}
	payload, err := rdb.EncodeDump(&rdb.Record{Type: rdb.TypeList, List: [][]byte{[]byte("x"), []byte("y")}})
	if err != nil {
		t.Fatal(err)
	}
	setEncs := map[setEncoding]bool{}
	for i := range 5000 {
		key := keys[r.IntN(len(keys))]
		field := "f" + strconv.Itoa(r.IntN(200))
		var args []string
		member := strconv.Itoa(r.IntN(700))
		switch r.IntN(20) {
		case 0, 1, 2, 3, 4, 5:
			member = field
		case 6:
			member = "long-" + strings.Repeat(field, 20)
		}
		switch r.IntN(29) {
		case 0, 1, 2:
			args = []string{"hset", key, field, strconv.Itoa(r.IntN(1000))}
		case 3:
			args = []string{"hdel", key, field, "f" + strconv.Itoa(r.IntN(200))}
		case 4:
			args = []string{"hincrby", key, field, "3"}
		case 5:
			args = []string{"set", key, field}
		case 6:
			args = []string{"rename", key, keys[r.IntN(len(keys))]}
		case 7:
			args = []string{"copy", key, keys[r.IntN(len(keys))], "db", strconv.Itoa(r.IntN(2))}
		case 8:
			if r.IntN(20) == 0 {
				args = []string{"swapdb", "0", "1"}
			} else {
				args = []string{"del", key}
			}
		case 9, 10:
			args = []string{[]string{"lpush", "rpush"}[r.IntN(2)], key}
			for range 1 + r.IntN(300) {
				args = append(args, field+strings.Repeat("x", r.IntN(3)*r.IntN(200)))
			}
		case 11:
			args = []string{[]string{"lpop", "rpop"}[r.IntN(2)], key, strconv.Itoa(r.IntN(200))}
		case 12:
			args = []string{"lrem", key, strconv.Itoa(r.IntN(5) - 2), field}
		case 13:
			args = []string{"ltrim", key, strconv.Itoa(r.IntN(100)), strconv.Itoa(-1 - r.IntN(100))}
		case 14:
			args = []string{"linsert", key, "before", field, field + "y"}
		case 15:
			args = []string{"lmove", key, keys[r.IntN(len(keys))], "LEFT", "RIGHT"}
		case 16, 17:
			// Sometimes many members at once: past the listpack limit.
			args = []string{"zadd", key}
			for range 1 + r.IntN(4) + r.IntN(2)*100 {
				args = append(args, strconv.Itoa(r.IntN(50)), field)
				field = "f" + strconv.Itoa(r.IntN(200))
			}
		case 18:
			args = []string{"zincrby", key, "1.5", field}
		case 19:
			args = []string{"zrem", key, field, "f" + strconv.Itoa(r.IntN(200))}
		case 20:
			args = []string{[]string{"zpopmin", "zpopmax"}[r.IntN(2)], key, strconv.Itoa(r.IntN(20))}
		case 21:
			args = []string{"zremrangebyscore", key, strconv.Itoa(r.IntN(50)), strconv.Itoa(r.IntN(50))}
		case 22:
			args = []string{[]string{"zunionstore", "zinterstore", "zdiffstore"}[r.IntN(3)], key, "2", keys[r.IntN(len(keys))], keys[r.IntN(len(keys))]}
			if r.IntN(3) == 0 {
				args = []string{"zrangestore", key, keys[r.IntN(len(keys))], "0", strconv.Itoa(r.IntN(200))}
			}
		case 23:
			args = []string{"sadd", key, member}
			for range r.IntN(30) {
				args = append(args, strconv.Itoa(r.IntN(700)))
			}
		case 24:
			args = []string{"srem", key, member, strconv.Itoa(r.IntN(700))}
		case 25:
			args = []string{"spop", key, strconv.Itoa(r.IntN(4))}
		case 26:
			args = []string{"smove", key, keys[r.IntN(len(keys))], member}
		case 27:
			args = []string{[]string{"sinterstore", "sunionstore", "sdiffstore"}[r.IntN(3)], key, keys[r.IntN(len(keys))], keys[r.IntN(len(keys))]}
		case 28:
			args = []string{"spop", key}
		}
		switch r.IntN(40) {
		case 0:
			args = []string{"sort", key, "alpha", "limit", "0", strconv.Itoa(r.IntN(100)), "store", keys[r.IntN(len(keys))]}
		case 1:
			args = []string{"restore", key, "0", string(payload), "replace"}
		case 2:
			args = []string{"setbit", key, strconv.Itoa(r.IntN(1000)), "1"}
		}
		if r.IntN(50) == 0 {
			if _, err := tf.f.Snapshot(); err != nil {
				t.Fatal(err)
			}
		}
		tf.write(args...)
		checkUsedMemory(t, tf.f, strconv.Itoa(i)+" "+args[0])
		checkAllZSets(t, tf.f, strconv.Itoa(i)+" "+args[0])
		for db := range 2 {
			tf.f.dbs[db].keys.each(func(it *item) bool {
				if s, ok := it.val.(*setValue); ok {
					setEncs[s.enc] = true
					if err := checkSet(s); err != nil {
						t.Fatalf("after %v: key %q: %v", args, it.key, err)
					}
				}
				if c, ok := it.val.(collection); ok && c.length() == 0 {
					t.Fatalf("after %v: key %q holds an empty %s", args, it.key, c.Type())
				}
				if l, ok := it.val.(*listValue); ok {
					checkList(t, l, l.lrangeAll(), strings.Join(args[:2], " "))
				}
				return true
			})
		}
	}
	if len(setEncs) != 3 {
		t.Fatalf("sets were only in representations %v", setEncs)
	}
	tf.write("flushall")
	if used := tf.f.UsedMemory(); used != 0 {
		t.Fatalf("used memory after FLUSHALL = %d", used)
	}
}
