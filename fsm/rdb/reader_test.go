package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"runtime/metrics"
	"strings"
	"testing"
)

func TestReaderStringEncodings(t *testing.T) {
	for _, tc := range []struct {
		name string
		enc  []byte
		want string
	}{
		{"int8", cat(0xC0, 0xFB), "-5"},
		{"int16", cat(0xC1, 0x39, 0x30), "12345"},
		{"int16 neg", cat(0xC1, 0x00, 0x80), "-32768"},
		{"int32", cat(0xC2, 0xFF, 0xFF, 0xFF, 0x7F), "2147483647"},
		{"int32 neg", cat(0xC2, 0x00, 0x00, 0x00, 0x80), "-2147483648"},
		{"14-bit non-minimal", cat(0x40, 0x03, "abc"), "abc"},
		{"32-bit non-minimal", cat(0x80, 0, 0, 0, 3, "abc"), "abc"},
		{"64-bit non-minimal", cat(0x81, 0, 0, 0, 0, 0, 0, 0, 3, "abc"), "abc"},
		// LZF literal run: control byte n<32, then n+1 bytes.
		{"lzf literal", cat(0xC3, 6, 5, 4, "hello"), "hello"},
		{"lzf two literals", cat(0xC3, 8, 6, 2, "abc", 2, "def"), "abcdef"},
		// "abcabcabcabc": literal "abc" then a back-reference of length
		// 9 (ctrl 7<<5 = 0xE0, extra 0) at distance 3 (offset byte 2).
		{"lzf backref", cat(0xC3, 7, 12, 2, "abc", 0xE0, 0, 2), "abcabcabcabc"},
		// Short form: length 3+2=5 (ctrl 3<<5), distance 1: "aaaaaa".
		{"lzf short backref", cat(0xC3, 4, 6, 0, "a", 0x60, 0), "aaaaaa"},
		{"lzf empty", cat(0xC3, 0, 0), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := readOneKey(t, rdbFile(keyHdr(rdbString, "k"), tc.enc))
			if string(rec.String) != tc.want {
				t.Fatalf("got %q, want %q", rec.String, tc.want)
			}
			// The same encodings are valid for keys, and via DUMP.
			rec = readOneKey(t, rdbFile(cat(rdbString, tc.enc), rawStr("v")))
			if string(rec.Key) != tc.want {
				t.Fatalf("key: got %q, want %q", rec.Key, tc.want)
			}
		})
	}
}

func TestReaderBadStrings(t *testing.T) {
	for _, tc := range []struct {
		name string
		enc  []byte
	}{
		{"bad length prefix", cat(0x82, 0, 0, 0, 0)},
		{"bad special encoding", cat(0xC4)},
		{"huge length", cat(0x81, 0x10, 0, 0, 0, 0, 0, 0, 0, "abc")},
		{"length past end", cat(0x80, 0x7F, 0xFF, 0xFF, 0xFF, "abc")},
		{"lzf too short", cat(0xC3, 2, 5, 4, "h")},
		{"lzf output too long", cat(0xC3, 6, 4, 4, "hello")},
		{"lzf output too short", cat(0xC3, 6, 6, 4, "hello")},
		{"lzf backref before start", cat(0xC3, 5, 6, 0, "a", 0x60, 1)},
		{"lzf ratio", cat(0xC3, 1, 0x81, 0x10, 0, 0, 0, 0, 0, 0, 0, 0)},
		{"lzf clen 0", cat(0xC3, 0, 5)},
		{"lzf encoded len", cat(0xC3, 0xC0, 5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(rdbFile(keyHdr(rdbString, "k"), tc.enc))
			expectErr(t, err, ErrCorrupt)
		})
	}
}

func TestReaderExpiry(t *testing.T) {
	data := rdbFile(
		cat(opExpireSec), binary.LittleEndian.AppendUint32(nil, 1700000000), keyHdr(rdbString, "a"), rawStr("1"),
		keyHdr(rdbString, "b"), rawStr("2"), // expiry does not carry over
		cat(opExpireMs), binary.LittleEndian.AppendUint64(nil, 1700000000123), keyHdr(rdbString, "c"), rawStr("3"),
		cat(opExpireSec), binary.LittleEndian.AppendUint32(nil, uint32(0xFFFFFFFF)), keyHdr(rdbString, "d"), rawStr("4"),
		// LRU idle and LFU frequency are read and ignored.
		cat(opIdle, 0x40, 0x10, opFreq, 0xFF), keyHdr(rdbString, "e"), rawStr("5"),
		cat(opExpireMs), binary.LittleEndian.AppendUint64(nil, 42), cat(opFreq, 3), keyHdr(rdbString, "f"), rawStr("6"),
	)
	want := map[string]int64{"a": 1700000000000, "b": 0, "c": 1700000000123, "d": -1000, "e": 0, "f": 42}
	recs := mustReadAll(t, data)
	if len(recs) != len(want) {
		t.Fatalf("got %d records", len(recs))
	}
	for _, r := range recs {
		if r.ExpireAtMs != want[string(r.Key)] {
			t.Errorf("%s: expire %d, want %d", r.Key, r.ExpireAtMs, want[string(r.Key)])
		}
	}
}

func TestReaderOpcodes(t *testing.T) {
	data := rdbFile(
		cat(opAux), rawStr("redis-bits"), cat(0xC0, 64),
		cat(opSelectDB, 0x80, 0, 0, 0, 9),
		cat(opResizeDB, 0x40, 0x10, 0x81, 0, 0, 0, 1, 0, 0, 0, 0),
	)
	got := fmtRecords(mustReadAll(t, data), false)
	want := []string{`aux "redis-bits"="64"`, "select 9", "resize 16 4294967296"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestReaderTextZSet(t *testing.T) {
	score := func(s string) []byte { return cat(len(s), s) }
	data := rdbFile(keyHdr(rdbZSet, "z"), cat(5),
		rawStr("a"), score("1.5"),
		rawStr("b"), cat(254),
		rawStr("c"), cat(255),
		rawStr("d"), score("-3e2"),
		rawStr("e"), score("1e999"), // strtod overflow gives +inf
	)
	rec := readOneKey(t, data)
	want := []ZMember{{[]byte("a"), 1.5}, {[]byte("b"), math.Inf(1)}, {[]byte("c"), math.Inf(-1)}, {[]byte("d"), -300}, {[]byte("e"), math.Inf(1)}}
	if rec.Type != TypeZSet || rec.RawType != rdbZSet || len(rec.ZSet) != len(want) {
		t.Fatalf("got %s", fmtRecord(rec, false))
	}
	for i, m := range rec.ZSet {
		if string(m.Member) != string(want[i].Member) || m.Score != want[i].Score {
			t.Errorf("member %d: got %q %v, want %q %v", i, m.Member, m.Score, want[i].Member, want[i].Score)
		}
	}
	for name, body := range map[string][]byte{
		"nan code":     cat(rawStr("a"), 253),
		"nan text":     cat(rawStr("a"), score("nan")),
		"garbage":      cat(rawStr("a"), score("1.5x")),
		"binary nan":   nil,
		"truncated":    cat(rawStr("a"), 10, "1.5"),
		"binary trunc": nil,
	} {
		typ := byte(rdbZSet)
		switch name {
		case "binary nan":
			typ, body = rdbZSet2, binary.LittleEndian.AppendUint64(rawStr("a"), math.Float64bits(math.NaN()))
		case "binary trunc":
			typ, body = rdbZSet2, cat(rawStr("a"), 1, 2, 3)
		}
		_, err := readAll(rdbFile(keyHdr(typ, "z"), cat(1), body))
		if err == nil || !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: got %v, want ErrCorrupt", name, err)
		}
	}
}

func TestReaderChecksum(t *testing.T) {
	good := rdbFile(keyHdr(rdbString, "k"), rawStr("v"))
	mustReadAll(t, good)

	bad := bytes.Clone(good)
	bad[len(bad)-1] ^= 1
	_, err := readAll(bad)
	expectErr(t, err, ErrChecksum)

	// A flipped data byte is caught by the checksum.
	bad = bytes.Clone(good)
	bad[len(bad)-10] ^= 0x20 // "v" -> "V"
	_, err = readAll(bad)
	expectErr(t, err, ErrChecksum)

	// A zero checksum means checksums were disabled.
	zero := bytes.Clone(good)
	clear(zero[len(zero)-8:])
	if rec := readOneKey(t, zero); string(rec.String) != "v" {
		t.Fatalf("got %q", rec.String)
	}
}

func TestReaderTruncated(t *testing.T) {
	var recs []*Record
	for _, r := range sampleRecords() {
		if len(fmtRecord(r, false)) < 5000 {
			recs = append(recs, r)
		}
	}
	data, err := writeRecords(recs)
	if err != nil {
		t.Fatal(err)
	}
	step := len(data)/500 + 1
	for n := range len(data) {
		if n > 200 && n < len(data)-200 && n%step != 0 {
			continue
		}
		_, err := readAll(data[:n])
		if err == nil {
			t.Fatalf("prefix of %d/%d bytes: no error", n, len(data))
		}
		if !errors.Is(err, io.ErrUnexpectedEOF) || !errors.Is(err, ErrCorrupt) {
			t.Fatalf("prefix of %d bytes: %v", n, err)
		}
	}
}

func TestReaderHeader(t *testing.T) {
	for _, tc := range []struct {
		hdr    string
		target error
	}{
		{"REDIS0011", ErrVersion},
		{"REDIS0000", ErrVersion},
		{"REDIX0010", ErrCorrupt},
		{"REDIS001a", ErrCorrupt},
		{"REDIS", io.ErrUnexpectedEOF},
		{"", io.ErrUnexpectedEOF},
	} {
		_, err := NewReader(strings.NewReader(tc.hdr + "\xff"))
		if !errors.Is(err, tc.target) {
			t.Errorf("%q: got %v, want %v", tc.hdr, err, tc.target)
		}
	}
	// Versions before 5 have no checksum trailer.
	data := cat("REDIS0004", keyHdr(rdbString, "k"), rawStr("v"), opEOF)
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if r.Version() != 4 {
		t.Fatalf("version %d", r.Version())
	}
	if rec, err := r.Next(); err != nil || string(rec.String) != "v" {
		t.Fatalf("got %v, %v", rec, err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("got %v, want EOF", err)
	}
	// Version 9 with a checksum.
	data = rdbFile(keyHdr(rdbString, "k"), rawStr("v"))
	copy(data, "REDIS0009")
	binary.LittleEndian.PutUint64(data[len(data)-8:], Checksum(data[:len(data)-8]))
	readOneKey(t, data)
}

func TestReaderUnsupported(t *testing.T) {
	for _, typ := range []byte{6, 7, 8, 15, 19, 20, 21, 100, 0xF4} {
		_, err := readAll(rdbFile(keyHdr(typ, "k"), rawStr("v")))
		expectErr(t, err, ErrUnsupported)
		if !strings.Contains(err.Error(), "unsupported value type") {
			t.Errorf("type %d: message %q", typ, err)
		}
	}
	for _, op := range []byte{opModuleAux, opFunction2, opFunctionPre} {
		_, err := readAll(rdbFile(cat(op), rawStr("x")))
		expectErr(t, err, ErrUnsupported)
	}
}

func TestReaderStickyAndEOF(t *testing.T) {
	r, err := NewReader(bytes.NewReader(rdbFile(keyHdr(rdbString, "k"), cat(0x82))))
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := r.Next()
	_, err2 := r.Next()
	if err1 == nil || err1 != err2 {
		t.Fatalf("errors not sticky: %v, %v", err1, err2)
	}
	r, _ = NewReader(bytes.NewReader(rdbFile()))
	for range 3 {
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("got %v, want io.EOF", err)
		}
	}
}

func TestReaderEmptyCollectionsSkipped(t *testing.T) {
	data := rdbFile(
		cat(opExpireMs), binary.LittleEndian.AppendUint64(nil, 5), keyHdr(rdbList, "l"), cat(0),
		keyHdr(rdbHash, "h"), cat(0),
		keyHdr(rdbListQuicklist2, "q"), cat(1, 2), rawStr(string(lpBuild())),
		keyHdr(rdbString, "s"), rawStr("v"),
	)
	rec := readOneKey(t, data)
	if string(rec.Key) != "s" || rec.ExpireAtMs != 0 {
		t.Fatalf("got %s", fmtRecord(rec, false))
	}
}

func TestReaderHugeCounts(t *testing.T) {
	// Huge declared sizes on tiny inputs fail fast without allocating.
	for _, body := range [][]byte{
		cat(keyHdr(rdbList, "k"), 0x81, 0x10, 0, 0, 0, 0, 0, 0, 0, rawStr("a")),
		cat(keyHdr(rdbList, "k"), 0x80, 0xFF, 0xFF, 0xFF, 0xFF, rawStr("a")),
		cat(keyHdr(rdbHash, "k"), 0x80, 0xFF, 0xFF, 0xFF, 0xFF, rawStr("a")),
		cat(keyHdr(rdbZSet2, "k"), 0x80, 0xFF, 0xFF, 0xFF, 0xFF, rawStr("a")),
		cat(keyHdr(rdbListQuicklist2, "k"), 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 2),
		cat(keyHdr(rdbString, "k"), 0x80, 0xFF, 0xFF, 0xFF, 0xF0, "abc"),
	} {
		data := rdbFile(body)
		if n := allocatedBytes(func() {
			_, err := readAll(data)
			expectErr(t, err, ErrCorrupt)
		}); n > 1<<20 {
			t.Errorf("% x: allocated %d bytes", body, n)
		}
	}
}

// allocatedBytes reports about how many bytes f allocated on the heap
// (runtime/metrics counts small objects a span at a time, so the figure
// can be off by some tens of KiB).
func allocatedBytes(f func()) uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	before := sample[0].Value.Uint64()
	f()
	metrics.Read(sample)
	return sample[0].Value.Uint64() - before
}
