package rdb

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/raftis/raftis/internal/testredis"
)

// liveRecord builds a key record.
func liveRecord(key string, exp int64, t ValueType) *Record {
	return &Record{Kind: RecordKey, Key: []byte(key), ExpireAtMs: exp, Type: t}
}

// liveModel is a data set for a live server: two databases, every type,
// the compact and the plain encodings Redis chooses by size, expiries in
// the future.
func liveModel() map[int][]*Record {
	exp := time.Now().Add(time.Hour).UnixMilli()
	str := func(k, v string, exp int64) *Record {
		r := liveRecord(k, exp, TypeString)
		r.String = []byte(v)
		return r
	}
	list := func(k string, exp int64, items ...string) *Record {
		r := liveRecord(k, exp, TypeList)
		r.List = bs(items...)
		return r
	}
	set := func(k string, items ...string) *Record {
		r := liveRecord(k, 0, TypeSet)
		r.Set = bs(items...)
		return r
	}
	nums := func(n, mul, off int) []string {
		var out []string
		for i := range n {
			out = append(out, strconv.Itoa(i*mul+off))
		}
		return out
	}
	var bigList []string
	for i := range 5000 {
		switch i % 4 {
		case 0:
			bigList = append(bigList, strconv.Itoa(i*i*i-7))
		case 1:
			bigList = append(bigList, fmt.Sprintf("item-%d\x00\xff", i))
		case 2:
			bigList = append(bigList, strings.Repeat("y", i%300))
		default:
			bigList = append(bigList, strconv.Itoa(-i))
		}
	}
	zsmall := liveRecord("z:small", exp, TypeZSet)
	zsmall.ZSet = []ZMember{{[]byte("a"), 1}, {[]byte("b"), 0.1}, {[]byte("c"), -2.5e-300}, {[]byte("inf"), math.Inf(1)},
		{[]byte("-inf"), math.Inf(-1)}, {[]byte("big"), 1e300}, {[]byte("int"), -42}, {[]byte("\x00"), 1.0 / 3}}
	zbig := liveRecord("z:big", 0, TypeZSet)
	for i := range 300 {
		zbig.ZSet = append(zbig.ZSet, ZMember{[]byte(fmt.Sprintf("m%03d", i)), float64(i)*1.5 - 100})
	}
	hsmall := liveRecord("h:small", 0, TypeHash)
	hsmall.Hash = []HashField{{[]byte("f"), []byte("v")}, {[]byte("n"), []byte("-300")}, {[]byte("bin\x00"), []byte("\xff\r\n")}, {[]byte("e"), []byte("")}}
	hbig := liveRecord("h:big", exp, TypeHash)
	for i := range 600 { // above hash-max-listpack-entries (512)
		hbig.Hash = append(hbig.Hash, HashField{[]byte(fmt.Sprintf("field%d", i)), []byte(strconv.Itoa(i * 1000))})
	}
	hlong := liveRecord("h:longval", 0, TypeHash)
	hlong.Hash = []HashField{{[]byte("x"), bytes.Repeat([]byte("long"), 30)}}

	return map[int][]*Record{
		0: {
			str("s:int", "12345", 0), str("s:int8", "-5", 0), str("s:neg32", "-2147483648", 0),
			str("s:bigint", "123456789012", 0), str("s:long", strings.Repeat("abcdefgh", 100), 0),
			str("s:bin", "\x00\xff\r\n", exp), str("s:empty", "", 0), str("s:huge", strings.Repeat("0123456789", 7000), 0),
			list("l:small", exp, "a", "1", "-5", "\x00\xff", ""),
			list("l:packed", 0, packedItems...),
			list("l:big", 0, bigList...),
			set("set:intset", append(nums(100, 3, -50), "-9223372036854775808", "9223372036854775807")...),
			set("set:intbig", nums(1000, 7, 0)...),
			set("set:str", "a", "b", "\x00", "1.5", "", "longer member"),
			zsmall, zbig, hsmall, hbig, hlong,
		},
		5: {str("other", "db5", 0), list("l:other", 0, "x")},
	}
}

// fetchDB reads every key of database db from a live server, sorted by key.
func fetchDB(t *testing.T, c redisConn, db int) []*Record {
	t.Helper()
	c.must(t, "SELECT", db)
	names := c.mustStrings(t, "KEYS", "*")
	slices.Sort(names)
	var out []*Record
	for _, k := range names {
		out = append(out, fetchKey(t, c, k))
	}
	return out
}

func fetchKey(t *testing.T, c redisConn, k string) *Record {
	t.Helper()
	exp := c.mustInt(t, "PEXPIRETIME", k)
	if exp < 0 {
		exp = 0
	}
	strs := func(items []string) [][]byte {
		var out [][]byte
		for _, e := range items {
			out = append(out, []byte(e))
		}
		return out
	}
	typ := c.mustString(t, "TYPE", k)
	r := liveRecord(k, exp, 0)
	switch typ {
	case "string":
		r.Type, r.String = TypeString, []byte(c.mustString(t, "GET", k))
	case "list":
		r.Type, r.List = TypeList, strs(c.mustStrings(t, "LRANGE", k, 0, -1))
	case "set":
		r.Type, r.Set = TypeSet, strs(c.mustStrings(t, "SMEMBERS", k))
	case "zset":
		r.Type = TypeZSet
		v := strs(c.mustStrings(t, "ZRANGE", k, 0, -1, "WITHSCORES"))
		for i := 0; i < len(v); i += 2 {
			f, err := strconv.ParseFloat(string(v[i+1]), 64)
			if err != nil {
				t.Fatalf("score %q: %v", v[i+1], err)
			}
			r.ZSet = append(r.ZSet, ZMember{v[i], f})
		}
	case "hash":
		r.Type = TypeHash
		v := strs(c.mustStrings(t, "HGETALL", k))
		for i := 0; i < len(v); i += 2 {
			r.Hash = append(r.Hash, HashField{v[i], v[i+1]})
		}
	default:
		t.Fatalf("key %q has type %s", k, typ)
	}
	return r
}

func sortByKey(recs []*Record) []*Record {
	out := slices.Clone(recs)
	slices.SortFunc(out, func(a, b *Record) int { return bytes.Compare(a.Key, b.Key) })
	return out
}

// readRDBFile decodes path into databases of key records sorted by key.
func readRDBFile(t *testing.T, path string) (map[int][]*Record, []*Record) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dbs := map[int][]*Record{}
	var other []*Record
	db := 0
	for _, r := range mustReadAll(t, data) {
		switch r.Kind {
		case RecordSelectDB:
			db = r.DB
		case RecordKey:
			dbs[db] = append(dbs[db], r)
		default:
			other = append(other, r)
		}
	}
	for k, v := range dbs {
		dbs[k] = sortByKey(v)
	}
	return dbs, other
}

func compareDBs(t *testing.T, got, want map[int][]*Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d databases, want %d", len(got), len(want))
	}
	for db, recs := range want {
		diffRecords(t, got[db], sortByKey(recs), true)
	}
}

// TestRedisLoadsWriterOutput: a file from the Writer passes redis-check-rdb
// and loads into redis-server with every value intact.
func TestRedisLoadsWriterOutput(t *testing.T) {
	testredis.Need(t, "redis-check-rdb")
	testredis.Need(t, "redis-server")
	dir := t.TempDir()
	model := liveModel()

	var buf bytes.Buffer
	w := NewWriter(&buf)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.WriteHeader())
	must(w.WriteAux("redis-ver", "7.0.15"))
	must(w.WriteAux("redis-bits", "64"))
	must(w.WriteAux("ctime", strconv.FormatInt(time.Now().Unix(), 10)))
	must(w.WriteAux("raftis-snapshot", "1"))
	for _, db := range []int{0, 5} {
		var expires uint64
		for _, r := range model[db] {
			if r.ExpireAtMs != 0 {
				expires++
			}
		}
		must(w.WriteSelectDB(db))
		must(w.WriteResizeDB(uint64(len(model[db])), expires))
		for _, r := range model[db] {
			must(writeRecord(w, r))
		}
	}
	must(w.Close())
	path := filepath.Join(dir, "dump.rdb")
	must(os.WriteFile(path, buf.Bytes(), 0o644))
	checkRDB(t, path)

	c := startRedis(t, dir)
	got := map[int][]*Record{0: fetchDB(t, c, 0), 5: fetchDB(t, c, 5)}
	compareDBs(t, got, model)
	if n := c.mustInt(t, "DBSIZE"); n != int64(len(model[5])) {
		t.Fatalf("db 5 has %d keys", n)
	}

	// Redis re-saves the data in its own compact encodings; the Reader
	// decodes that file to the same data set.
	c.must(t, "SAVE")
	checkRDB(t, path)
	dbs, _ := readRDBFile(t, path)
	compareDBs(t, dbs, model)
}

// TestReaderDecodesRedisSave: a dump.rdb written by redis-server itself,
// with every encoding Redis 7.0 picks, decodes to exactly the data set.
// DUMP payloads decode too, and RESTORE accepts EncodeDump payloads.
func TestReaderDecodesRedisSave(t *testing.T) {
	testredis.Need(t, "redis-server")
	dir := t.TempDir()
	c := startRedis(t, dir, "--enable-debug-command", "yes")
	// Elements of 1000 bytes or more go into plain quicklist nodes.
	c.must(t, "DEBUG", "QUICKLIST-PACKED-THRESHOLD", 1000)

	model := liveModel()
	for db, recs := range model {
		c.must(t, "SELECT", db)
		for _, r := range recs {
			populate(t, c, r)
		}
	}
	c.must(t, "SAVE")
	path := filepath.Join(dir, "dump.rdb")
	dbs, other := readRDBFile(t, path)
	compareDBs(t, dbs, model)

	// The compact encodings were really exercised.
	raw := map[string]uint8{}
	for _, r := range dbs[0] {
		raw[string(r.Key)] = r.RawType
	}
	for k, want := range map[string]uint8{
		"s:int": rdbString, "l:small": rdbListQuicklist2, "l:packed": rdbListQuicklist2, "l:big": rdbListQuicklist2,
		"set:intset": rdbSetIntset, "set:intbig": rdbSet, "set:str": rdbSet,
		"z:small": rdbZSetListpack, "z:big": rdbZSet2, "h:small": rdbHashListpack, "h:big": rdbHash, "h:longval": rdbHash,
	} {
		if raw[k] != want {
			t.Errorf("%s: RDB type %d, want %d", k, raw[k], want)
		}
	}
	// l:packed holds elements of 4095+ bytes: they are plain nodes.
	c.must(t, "SELECT", 0)
	if n := quicklistContainers(t, c.mustString(t, "DUMP", "l:packed"))[qlContainerPlain]; n != 3 {
		t.Errorf("l:packed has %d plain quicklist nodes, want 3", n)
	}
	var aux []string
	for _, r := range other {
		if r.Kind == RecordAux {
			aux = append(aux, r.AuxKey+"="+r.AuxValue)
		}
	}
	if !slices.Contains(aux, "redis-ver=7.0.15") || !slices.Contains(aux, "redis-bits=64") {
		t.Errorf("aux fields: %q", aux)
	}

	// DUMP payloads decode to the same values.
	for db, recs := range model {
		c.must(t, "SELECT", db)
		for _, want := range recs {
			p := c.mustString(t, "DUMP", want.Key)
			got, err := DecodeDump([]byte(p))
			if err != nil {
				t.Fatalf("DUMP %q: %v", want.Key, err)
			}
			got.Key, got.ExpireAtMs = want.Key, want.ExpireAtMs
			if g, w := fmtRecord(got, true), fmtRecord(want, true); g != w {
				t.Fatalf("DUMP %q:\n got %.300s\nwant %.300s", want.Key, g, w)
			}
			// And RESTORE takes our payloads.
			enc, err := EncodeDump(want)
			if err != nil {
				t.Fatal(err)
			}
			rk := "restored:" + string(want.Key)
			c.must(t, "RESTORE", rk, 0, enc)
			back := fetchKey(t, c, rk)
			back.Key, back.ExpireAtMs = want.Key, want.ExpireAtMs
			if g, w := fmtRecord(back, true), fmtRecord(want, true); g != w {
				t.Fatalf("RESTORE %q:\n got %.300s\nwant %.300s", want.Key, g, w)
			}
		}
	}
}

// populate creates r on the live server.
func populate(t *testing.T, c redisConn, r *Record) {
	t.Helper()
	batch := func(cmd string, args ...[]any) {
		for i := 0; i < len(args); i += 200 {
			a := []any{cmd, r.Key}
			for _, x := range args[i:min(i+200, len(args))] {
				a = append(a, x...)
			}
			c.must(t, a...)
		}
	}
	var args [][]any
	switch r.Type {
	case TypeString:
		c.must(t, "SET", r.Key, r.String)
	case TypeList:
		for _, v := range r.List {
			args = append(args, []any{v})
		}
		batch("RPUSH", args...)
	case TypeSet:
		for _, v := range r.Set {
			args = append(args, []any{v})
		}
		batch("SADD", args...)
	case TypeZSet:
		for _, m := range r.ZSet {
			args = append(args, []any{m.Score, m.Member})
		}
		batch("ZADD", args...)
	case TypeHash:
		for _, f := range r.Hash {
			args = append(args, []any{f.Field, f.Value})
		}
		batch("HSET", args...)
	}
	if r.ExpireAtMs != 0 {
		c.must(t, "PEXPIREAT", r.Key, r.ExpireAtMs)
	}
}

// quicklistContainers counts the node containers of a DUMP payload of a
// RDB_TYPE_LIST_QUICKLIST_2 value.
func quicklistContainers(t *testing.T, payload string) map[uint64]int {
	t.Helper()
	s := newBytesSource([]byte(payload))
	if typ, err := s.readByte(); err != nil || typ != rdbListQuicklist2 {
		t.Fatalf("payload type %d, %v", typ, err)
	}
	n, err := s.readCount()
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint64]int{}
	for range n {
		c, err := s.readLen()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.readString(); err != nil {
			t.Fatal(err)
		}
		out[c]++
	}
	return out
}
