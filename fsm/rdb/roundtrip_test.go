package rdb

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
)

// sampleRecords exercises every writer type with awkward content.
func sampleRecords() []*Record {
	bin := "\x00\xff\r\n\x00"
	var many [][]byte
	for i := range 16384 + 7 { // count crosses the 14-bit boundary
		many = append(many, []byte(fmt.Sprint(i)))
	}
	var zs []ZMember
	var hs []HashField
	for i := range 70 { // count crosses the 6-bit boundary
		zs = append(zs, ZMember{Member: []byte(fmt.Sprintf("m%d", i)), Score: float64(i)/3 - 10})
		hs = append(hs, HashField{Field: []byte(fmt.Sprintf("f%d", i)), Value: []byte(strings.Repeat("v", i))})
	}
	zs = append(zs,
		ZMember{Member: []byte("+inf"), Score: math.Inf(1)},
		ZMember{Member: []byte("-inf"), Score: math.Inf(-1)},
		ZMember{Member: []byte(bin), Score: math.Copysign(0, -1)},
		ZMember{Member: []byte("tiny"), Score: math.SmallestNonzeroFloat64},
		ZMember{Member: []byte("huge"), Score: math.MaxFloat64},
	)
	key := func(k string, exp int64, t ValueType) *Record {
		return &Record{Kind: RecordKey, Key: []byte(k), ExpireAtMs: exp, Type: t}
	}
	r := []*Record{
		{Kind: RecordAux, AuxKey: "redis-ver", AuxValue: "7.0.15"},
		{Kind: RecordAux, AuxKey: "redis-bits", AuxValue: "64"},
		{Kind: RecordAux, AuxKey: "", AuxValue: bin},
		{Kind: RecordSelectDB, DB: 0},
		{Kind: RecordResizeDB, DBSize: 20, ExpiresSize: 1 << 40},
	}
	strs := map[string]string{
		"bin": bin, "empty": "", "int": "12345", "neg": "-7", "big": "2147483648", "zero": "-0", "lead": "007",
	}
	for _, n := range []int{63, 64, 16383, 16384, 70000, 300000} {
		strs[fmt.Sprintf("len%d", n)] = strings.Repeat(bin, n/len(bin)+1)[:n]
	}
	for _, k := range sortedKeys(strs) {
		rec := key(k, 0, TypeString)
		rec.String = []byte(strs[k])
		r = append(r, rec)
	}
	list := key("list", 1700000000123, TypeList)
	list.List = append(bs(bin, "", "a", "a", "42"), bytes.Repeat([]byte("L"), 100000))
	set := key(bin, 1, TypeSet)
	set.Set = bs("x", "1", "-1", bin, "")
	big := key("bigset", 0, TypeSet)
	big.Set = many
	zset := key("zset", math.MaxInt64, TypeZSet)
	zset.ZSet = zs
	hash := key("hash", -5, TypeHash)
	hash.Hash = append(hs, HashField{Field: []byte(bin), Value: []byte("")}, HashField{Field: []byte(""), Value: []byte(bin)})
	single := key("single", 0, TypeList)
	single.List = bs("only")
	r = append(r, list, set, big, zset, hash, single,
		&Record{Kind: RecordSelectDB, DB: 15},
		&Record{Kind: RecordResizeDB},
		&Record{Kind: RecordSelectDB, DB: 1 << 20},
	)
	bigKey := key(strings.Repeat("K", 20000), 99, TypeString)
	bigKey.String = []byte("v")
	return append(r, bigKey)
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}

func TestRoundTrip(t *testing.T) {
	want := sampleRecords()
	data, err := writeRecords(want)
	if err != nil {
		t.Fatal(err)
	}
	got := mustReadAll(t, data)
	diffRecords(t, got, want, false)
	// The exact bits of every score survive, -0 included.
	for i, r := range got {
		for j, m := range r.ZSet {
			if math.Float64bits(m.Score) != math.Float64bits(want[i].ZSet[j].Score) {
				t.Errorf("score of %q: got %v, want %v", m.Member, m.Score, want[i].ZSet[j].Score)
			}
		}
	}
	// Reading in tiny pieces gives the same result.
	r, err := NewReader(&oneByteReader{data})
	if err != nil {
		t.Fatal(err)
	}
	var got2 []*Record
	for {
		rec, err := r.Next()
		if err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
		got2 = append(got2, rec)
	}
	diffRecords(t, got2, want, false)
	if r.Offset() != int64(len(data)) {
		t.Errorf("Offset() = %d, want %d", r.Offset(), len(data))
	}
}

// oneByteReader returns one byte per Read.
type oneByteReader struct{ p []byte }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if len(o.p) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = o.p[0]
	o.p = o.p[1:]
	return 1, nil
}
