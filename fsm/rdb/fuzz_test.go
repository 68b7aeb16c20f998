package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// fuzzSeeds are valid inputs covering every decoder path.
func fuzzSeeds(t testing.TB) [][]byte {
	var small []*Record
	for _, r := range sampleRecords() {
		if len(fmtRecord(r, false)) < 2000 {
			small = append(small, r)
		}
	}
	written, err := writeRecords(small)
	if err != nil {
		t.Fatal(err)
	}
	seeds := [][]byte{
		written,
		rdbFile(),
		rdbFile(keyHdr(rdbString, "k"), rawStr("hello")),
		rdbFile(keyHdr(rdbString, "k"), cat(0xC3, 7, 12, 2, "abc", 0xE0, 0, 2)),
		rdbFile(keyHdr(rdbString, "k"), cat(0xC0, 0xFB), keyHdr(rdbString, "k"), cat(0xC2, 1, 2, 3, 4)),
		rdbFile(cat(opExpireSec, 1, 2, 3, 4, opIdle, 5, opFreq, 6), keyHdr(rdbString, "k"), rawStr("v")),
		rdbFile(keyHdr(rdbListQuicklist2, "q"), cat(2, 2), rawStr(string(lpBuild(packedItems[:20]...))), cat(1), rawStr("plain")),
		rdbFile(keyHdr(rdbListQuicklist, "q"), cat(1), rawStr(string(zlBuild(packedItems[:20]...)))),
		rdbFile(keyHdr(rdbListZiplist, "l"), rawStr(string(zlBuild("a", "1", "-300")))),
		rdbFile(keyHdr(rdbHashListpack, "h"), rawStr(string(lpBuild("f", "v", "n", "7")))),
		rdbFile(keyHdr(rdbZSetListpack, "z"), rawStr(string(lpBuild("a", "1.5", "b", "-2")))),
		rdbFile(keyHdr(rdbHashZiplist, "h"), rawStr(string(zlBuild("f", "v")))),
		rdbFile(keyHdr(rdbZSetZiplist, "z"), rawStr(string(zlBuild("a", "3")))),
		rdbFile(keyHdr(rdbSetIntset, "s"), rawStr(string(intsetBuild(4, -1, 5, 70000)))),
		rdbFile(keyHdr(rdbHashZipmap, "h"), rawStr(string(cat(1, 3, "foo", 3, 1, "bar", "!", 0xFF)))),
		rdbFile(keyHdr(rdbZSet, "z"), cat(2), rawStr("a"), cat(3, "1.5"), rawStr("b"), cat(254)),
		cat("REDIS0004", keyHdr(rdbString, "k"), rawStr("v"), opEOF),
	}
	for _, r := range small {
		if r.Kind == RecordKey {
			p, err := EncodeDump(r)
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, p)
		}
	}
	return seeds
}

// decodeAny runs every decoder on data and checks the invariants of what
// comes out.
func decodeAny(t *testing.T, data []byte) {
	check := func(recs []*Record) {
		for _, r := range recs {
			if r.Kind != RecordKey {
				continue
			}
			if r.Type != TypeString && len(r.List)+len(r.Set)+len(r.ZSet)+len(r.Hash) == 0 {
				t.Fatalf("empty collection returned: %s", fmtRecord(r, false))
			}
			for _, m := range r.ZSet {
				if math.IsNaN(m.Score) {
					t.Fatalf("NaN score returned")
				}
			}
		}
	}
	// Every failure is one of the documented kinds.
	classify := func(err error) {
		if err == nil {
			return
		}
		for _, target := range []error{ErrCorrupt, ErrChecksum, ErrUnsupported, ErrVersion,
			ErrDumpTooShort, ErrDumpVersion, ErrDumpChecksum} {
			if errors.Is(err, target) {
				return
			}
		}
		t.Fatalf("unclassified error: %v", err)
	}
	recs, err := readAll(data)
	check(recs)
	classify(err)
	// The same bytes as the body of a well-formed file, so the header and
	// checksum do not stand in the fuzzer's way.
	recs, err = readAll(rdbFile(data))
	check(recs)
	classify(err)
	sealed := binary.LittleEndian.AppendUint16(bytes.Clone(data), Version)
	sealed = binary.LittleEndian.AppendUint64(sealed, Checksum(sealed))
	for _, p := range [][]byte{data, sealed} {
		rec, err := DecodeDump(p)
		if err != nil {
			classify(err)
		} else {
			check([]*Record{rec})
		}
	}
	_, _ = parseListpack(data)
	_, _ = parseZiplist(data)
	_, _ = parseIntset(data)
	_, _ = parseZipmap(data)
	if len(data) > 0 {
		_ = lzfDecompress(data[1:], make([]byte, int(data[0])*4))
	}
}

func FuzzReader(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Memory use is linear in the input: the worst legitimate
		// expansion is an LZF string (88x) holding a listpack of
		// one-byte integers (tens of bytes per entry).
		limit := uint64(2<<20 + 4096*len(data))
		if n := allocatedBytes(func() { decodeAny(t, data) }); n > limit {
			t.Fatalf("decoding %d bytes allocated %d bytes", len(data), n)
		}
	})
}

// gen derives values from fuzz input; it yields zeros once exhausted.
type gen struct{ p []byte }

func (g *gen) byte() byte {
	if len(g.p) == 0 {
		return 0
	}
	b := g.p[0]
	g.p = g.p[1:]
	return b
}

func (g *gen) uint64() uint64 {
	var b [8]byte
	for i := range b {
		b[i] = g.byte()
	}
	return binary.LittleEndian.Uint64(b[:])
}

// bytes returns a string of a derived length: usually short, sometimes
// long enough to cross the 6- and 14-bit length boundaries.
func (g *gen) bytes() []byte {
	n := int(g.byte() % 64)
	switch n {
	case 63:
		n = int(g.byte())<<8 | int(g.byte())
	case 62:
		n = int(g.byte()) << 2
	}
	out := make([]byte, n)
	for i := range out {
		if i < 24 {
			out[i] = g.byte()
		} else {
			out[i] = out[i%24] ^ byte(i)
		}
	}
	return out
}

func (g *gen) records() []*Record {
	var recs []*Record
	for range g.byte() % 10 {
		kind := g.byte() % 8
		switch kind {
		case 0:
			recs = append(recs, &Record{Kind: RecordAux, AuxKey: string(g.bytes()), AuxValue: string(g.bytes())})
			continue
		case 1:
			recs = append(recs, &Record{Kind: RecordSelectDB, DB: int(g.byte())})
			continue
		case 2:
			recs = append(recs, &Record{Kind: RecordResizeDB, DBSize: g.uint64(), ExpiresSize: g.uint64() >> (g.byte() % 64)})
			continue
		}
		r := &Record{Kind: RecordKey, Key: g.bytes()}
		if g.byte()%2 == 1 {
			r.ExpireAtMs = int64(g.uint64())
		}
		n := 1 + int(g.byte()%8)
		switch kind {
		case 3:
			r.Type, r.String = TypeString, g.bytes()
		case 4, 5:
			r.Type = TypeList
			for range n {
				r.List = append(r.List, g.bytes())
			}
			if kind == 5 {
				r.Type, r.Set, r.List = TypeSet, r.List, nil
			}
		case 6:
			r.Type = TypeZSet
			for range n {
				s := math.Float64frombits(g.uint64())
				if math.IsNaN(s) {
					s = math.Inf(1)
				}
				r.ZSet = append(r.ZSet, ZMember{g.bytes(), s})
			}
		case 7:
			r.Type = TypeHash
			for range n {
				r.Hash = append(r.Hash, HashField{g.bytes(), g.bytes()})
			}
		}
		recs = append(recs, r)
	}
	return recs
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x09\x03\x01k\x00\x05hello\x04\x00\x03abc\x03\x02x\x00\x06\x00\x01\x00\x02m1\x01\x02\x03\x04\x05\x06\x07\x08\x07\x00\x01\x00\x01f\x01v"))
	f.Add(bytes.Repeat([]byte{0x17, 0xFF, 0x13, 0x07}, 40))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{p: data}
		want := g.records()
		out, err := writeRecords(want)
		if err != nil {
			t.Fatalf("write: %v", err)
		}
		got, err := readAll(out)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		diffRecords(t, got, want, false)
		for _, r := range want {
			if r.Kind != RecordKey {
				continue
			}
			p, err := EncodeDump(r)
			if err != nil {
				t.Fatalf("EncodeDump: %v", err)
			}
			back, err := DecodeDump(p)
			if err != nil {
				t.Fatalf("DecodeDump: %v", err)
			}
			back.Key, back.ExpireAtMs = r.Key, r.ExpireAtMs
			if g, w := fmtRecord(back, false), fmtRecord(r, false); g != w {
				t.Fatalf("dump round trip:\n got %.300s\nwant %.300s", g, w)
			}
		}
	})
}
