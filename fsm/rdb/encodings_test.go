package rdb

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// packedItems covers every listpack and ziplist entry encoding.
var packedItems = []string{
	"0", "7", "12", "13", "127", "128", "-1", "-128", "4095", "-4096", "4096", "32767", "-32768",
	"32768", "8388607", "-8388608", "8388608", "2147483647", "-2147483648", "2147483648",
	"9223372036854775807", "-9223372036854775808", "",
	"a", "007", "-0", strings.Repeat("s", 63), strings.Repeat("m", 64), strings.Repeat("m", 4095),
	strings.Repeat("L", 4096), strings.Repeat("L", 16384), "\x00\xff\r\n",
}

func checkList(t *testing.T, rec *Record, typ ValueType, want []string) {
	t.Helper()
	if rec.Type != typ {
		t.Fatalf("type %v, want %v", rec.Type, typ)
	}
	got := rec.List
	if typ == TypeSet {
		got = rec.Set
	}
	if len(got) != len(want) {
		t.Fatalf("got %d items, want %d", len(got), len(want))
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Fatalf("item %d: got %.40q, want %.40q", i, got[i], want[i])
		}
	}
}

func TestListpackList(t *testing.T) {
	lp := lpBuild(packedItems...)
	// Quicklist 2: a packed node, a plain node, an empty packed node.
	data := rdbFile(keyHdr(rdbListQuicklist2, "q"), cat(3, 2), rawStr(string(lp)),
		cat(1), rawStr("plain\x00node"), cat(2), rawStr(string(lpBuild())))
	rec := readOneKey(t, data)
	checkList(t, rec, TypeList, append(packedItems[:len(packedItems):len(packedItems)], "plain\x00node"))
	if rec.RawType != rdbListQuicklist2 {
		t.Fatalf("raw type %d", rec.RawType)
	}
	// Appending to a returned item must not clobber its neighbours.
	_ = append(rec.List[23], "XXXXXXXX"...)
	if string(rec.List[24]) != "007" {
		t.Fatalf("items alias each other: %q", rec.List[24])
	}
}

func TestListpackHashAndZSet(t *testing.T) {
	rec := readOneKey(t, rdbFile(keyHdr(rdbHashListpack, "h"), rawStr(string(lpBuild("f", "1", "-20000", strings.Repeat("v", 100))))))
	if got := fmtRecord(rec, false); got != fmt.Sprintf(`key "h" exp=0 hash ["f"="1" "-20000"=%q]`, strings.Repeat("v", 100)) {
		t.Fatalf("got %s", got)
	}
	rec = readOneKey(t, rdbFile(keyHdr(rdbZSetListpack, "z"), rawStr(string(lpBuild("a", "1", "b", "2.5", "c", "inf", "d", "-inf", "e", "-3e10")))))
	if got := fmtRecord(rec, false); got != `key "z" exp=0 zset ["a":1 "b":2.5 "c":+Inf "d":-Inf "e":-3e+10]` {
		t.Fatalf("got %s", got)
	}
	for name, lp := range map[string][]byte{
		"odd":       lpBuild("a", "1", "b"),
		"nan":       lpBuild("a", "nan"),
		"bad score": lpBuild("a", "x"),
	} {
		_, err := readAll(rdbFile(keyHdr(rdbZSetListpack, "z"), rawStr(string(lp))))
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	_, err := readAll(rdbFile(keyHdr(rdbHashListpack, "h"), rawStr(string(lpBuild("a")))))
	expectErr(t, err, ErrCorrupt)
}

func TestListpackCorrupt(t *testing.T) {
	good := lpBuild("abc", "1000", strings.Repeat("x", 200))
	if _, err := parseListpack(good); err != nil {
		t.Fatal(err)
	}
	mod := func(f func(b []byte) []byte) []byte {
		b := append([]byte(nil), good...)
		return f(b)
	}
	for name, b := range map[string][]byte{
		"empty":       nil,
		"short":       good[:6],
		"total bytes": mod(func(b []byte) []byte { b[0]++; return b }),
		"no eof":      mod(func(b []byte) []byte { b[len(b)-1] = 0; return b }),
		"count":       mod(func(b []byte) []byte { b[4] = 2; return b }),
		"backlen":     mod(func(b []byte) []byte { b[6+4] = 5; return b }),
		"bad enc":     mod(func(b []byte) []byte { b[6] = 0xF5; return b }),
		"overrun": mod(func(b []byte) []byte {
			b[6+4+1] = 0xF0 // 32-bit string: length from the next bytes
			return b
		}),
		"eof early": mod(func(b []byte) []byte {
			b = append(b[:len(b)-1], 0xFF, 0xFF)
			binary.LittleEndian.PutUint32(b, uint32(len(b)))
			return b
		}),
		"truncated 13-bit": {8, 0, 0, 0, 1, 0, 0xC1, 0xFF},
	} {
		if _, err := parseListpack(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Count 65535 means "unknown".
	b := mod(func(b []byte) []byte { b[4], b[5] = 0xFF, 0xFF; return b })
	if e, err := parseListpack(b); err != nil || len(e) != 3 {
		t.Fatalf("unknown count: %v, %v", e, err)
	}
}

func TestZiplistEncodings(t *testing.T) {
	zl := zlBuild(packedItems...)
	rec := readOneKey(t, rdbFile(keyHdr(rdbListZiplist, "l"), rawStr(string(zl))))
	checkList(t, rec, TypeList, packedItems)

	// Quicklist 1: a list of ziplists; empty ziplists are skipped.
	rec = readOneKey(t, rdbFile(keyHdr(rdbListQuicklist, "q"), cat(3), rawStr(string(zlBuild("a", "1"))),
		rawStr(string(zlBuild())), rawStr(string(zl))))
	checkList(t, rec, TypeList, append([]string{"a", "1"}, packedItems...))

	rec = readOneKey(t, rdbFile(keyHdr(rdbHashZiplist, "h"), rawStr(string(zlBuild("f", "v", "n", "-5")))))
	if got := fmtRecord(rec, false); got != `key "h" exp=0 hash ["f"="v" "n"="-5"]` {
		t.Fatalf("got %s", got)
	}
	rec = readOneKey(t, rdbFile(keyHdr(rdbZSetZiplist, "z"), rawStr(string(zlBuild("a", "3", "b", "0.25")))))
	if got := fmtRecord(rec, false); got != `key "z" exp=0 zset ["a":3 "b":0.25]` {
		t.Fatalf("got %s", got)
	}
}

func TestZiplistCorrupt(t *testing.T) {
	good := zlBuild("abc", strings.Repeat("x", 300), "5")
	if _, err := parseZiplist(good); err != nil {
		t.Fatal(err)
	}
	mod := func(f func(b []byte)) []byte {
		b := append([]byte(nil), good...)
		f(b)
		return b
	}
	for name, b := range map[string][]byte{
		"short":     good[:10],
		"zlbytes":   mod(func(b []byte) { b[0]++ }),
		"tail":      mod(func(b []byte) { b[4]++ }),
		"count":     mod(func(b []byte) { b[8] = 7 }),
		"no end":    mod(func(b []byte) { b[len(b)-1] = 0 }),
		"prevlen":   mod(func(b []byte) { b[10] = 1 }),
		"bad enc":   mod(func(b []byte) { b[11] = 0xC5 }),
		"str len":   mod(func(b []byte) { b[11] = 0x3F }),
		"end in":    mod(func(b []byte) { b[10+5] = 0xFF }),
		"big prev":  mod(func(b []byte) { b[len(b)-3] = 0xFE }),
		"32bit len": mod(func(b []byte) { b[11] = 0x80 }),
	} {
		if _, err := parseZiplist(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestIntset(t *testing.T) {
	for _, tc := range []struct {
		width int
		vals  []int64
	}{
		{2, []int64{-32768, -1, 0, 5, 32767}},
		{4, []int64{math.MinInt32, 0, math.MaxInt32}},
		{8, []int64{math.MinInt64, -1, 1 << 40, math.MaxInt64}},
	} {
		rec := readOneKey(t, rdbFile(keyHdr(rdbSetIntset, "s"), rawStr(string(intsetBuild(tc.width, tc.vals...)))))
		var want []string
		for _, v := range tc.vals {
			want = append(want, strconv.FormatInt(v, 10))
		}
		checkList(t, rec, TypeSet, want)
	}
	for name, b := range map[string][]byte{
		"width":    intsetBuild(3, 1),
		"unsorted": intsetBuild(2, 2, 1),
		"dup":      intsetBuild(4, 1, 1),
		"length":   intsetBuild(2, 1, 2)[:11],
		"short":    {2, 0, 0},
		"huge":     {8, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF},
	} {
		if _, err := parseIntset(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// An empty intset is an empty key: skipped.
	if recs := mustReadAll(t, rdbFile(keyHdr(rdbSetIntset, "s"), rawStr(string(intsetBuild(2))))); len(recs) != 0 {
		t.Fatalf("got %d records", len(recs))
	}
}

func TestZipmap(t *testing.T) {
	long := strings.Repeat("v", 300)
	// Pairs: "foo"="bar" with 2 free bytes; a 300-byte key (0xFE + uint32)
	// with an empty value and no free bytes.
	zm := cat(2, 3, "foo", 3, 2, "bar", "..", 254, binary.LittleEndian.AppendUint32(nil, 300), long, 0, 0, 0xFF)
	rec := readOneKey(t, rdbFile(keyHdr(rdbHashZipmap, "h"), rawStr(string(zm))))
	if got := fmtRecord(rec, false); got != fmt.Sprintf(`key "h" exp=0 hash ["foo"="bar" %q=""]`, long) {
		t.Fatalf("got %s", got)
	}
	for name, b := range map[string][]byte{
		"count":     cat(3, 1, "a", 1, 0, "b", 0xFF),
		"no end":    cat(1, 1, "a", 1, 0, "b"),
		"free past": cat(1, 1, "a", 1, 9, "b", 0xFF),
		"no value":  cat(1, 1, "a", 0xFF),
		"short":     cat(0xFF),
		"len end":   cat(1, 1, "a", 0xFF, 0xFF),
	} {
		if _, err := parseZipmap(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestQuicklistCorrupt(t *testing.T) {
	for name, body := range map[string][]byte{
		"container":   cat(1, 3, rawStr("x")),
		"bad node":    cat(1, 2, rawStr("not a listpack")),
		"v1 bad node": nil,
	} {
		typ := byte(rdbListQuicklist2)
		if body == nil {
			typ, body = rdbListQuicklist, cat(1, rawStr("not a ziplist"))
		}
		_, err := readAll(rdbFile(keyHdr(typ, "q"), body))
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
