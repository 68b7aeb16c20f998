package rdb

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
)

func TestDumpRoundTrip(t *testing.T) {
	for _, rec := range sampleRecords() {
		if rec.Kind != RecordKey {
			continue
		}
		p, err := EncodeDump(rec)
		if err != nil {
			t.Fatal(err)
		}
		if v := binary.LittleEndian.Uint16(p[len(p)-10:]); v != 10 {
			t.Fatalf("footer version %d", v)
		}
		got, err := DecodeDump(p)
		if err != nil {
			t.Fatalf("%.60s: %v", rec.Key, err)
		}
		got.Key, got.ExpireAtMs = rec.Key, rec.ExpireAtMs
		if g, w := fmtRecord(got, false), fmtRecord(rec, false); g != w {
			t.Fatalf("got %.200s\nwant %.200s", g, w)
		}
	}
}

func TestDumpExactBytes(t *testing.T) {
	// A string "hello": <0><05 hello><0a 00><crc>.
	p, err := EncodeDump(&Record{Type: TypeString, String: []byte("hello")})
	if err != nil {
		t.Fatal(err)
	}
	want := cat(0, 5, "hello", 10, 0)
	want = binary.LittleEndian.AppendUint64(want, Checksum(want))
	if !bytes.Equal(p, want) {
		t.Fatalf("got % x, want % x", p, want)
	}
}

func TestDumpErrors(t *testing.T) {
	good, err := EncodeDump(&Record{Type: TypeList, List: bs("a", "b")})
	if err != nil {
		t.Fatal(err)
	}
	reseal := func(body []byte, version uint16) []byte {
		b := binary.LittleEndian.AppendUint16(bytes.Clone(body), version)
		return binary.LittleEndian.AppendUint64(b, Checksum(b))
	}
	body := good[:len(good)-10]

	_, err = DecodeDump(good[:9])
	expectErr(t, err, ErrDumpTooShort)
	_, err = DecodeDump(nil)
	expectErr(t, err, ErrDumpTooShort)
	_, err = DecodeDump(reseal(body, 11))
	expectErr(t, err, ErrDumpVersion)
	if _, err = DecodeDump(reseal(body, 9)); err != nil {
		t.Fatalf("version 9: %v", err)
	}
	bad := bytes.Clone(good)
	bad[len(bad)-1] ^= 1
	_, err = DecodeDump(bad)
	expectErr(t, err, ErrDumpChecksum)
	zero := bytes.Clone(good)
	clear(zero[len(zero)-8:])
	_, err = DecodeDump(zero)
	expectErr(t, err, ErrDumpChecksum)

	// Redis's RESTORE ignores bytes after the value.
	if got, err := DecodeDump(reseal(append(bytes.Clone(body), 'x'), 10)); err != nil || len(got.List) != 2 {
		t.Fatalf("trailing byte: %v, %v", got, err)
	}
	// A value cut short reads on into the footer, as in Redis: the list's
	// last element "b" becomes the footer's first byte, 10.
	if got, err := DecodeDump(reseal(body[:len(body)-1], 10)); err != nil || string(got.List[1]) != "\n" {
		t.Fatalf("cut short: %v, %v", got, err)
	}
	_, err = DecodeDump(reseal(body[:len(body)-2], 10))
	expectErr(t, err, ErrCorrupt)
	_, err = DecodeDump(reseal(nil, 10))
	expectErr(t, err, ErrCorrupt)
	_, err = DecodeDump(reseal(cat(rdbSet, 0), 10))
	expectErr(t, err, ErrCorrupt)
	_, err = DecodeDump(reseal(cat(rdbStreamListpacks, 0), 10))
	expectErr(t, err, ErrUnsupported)
	_, err = DecodeDump(reseal(cat(rdbSetIntset, rawStr(string(intsetBuild(2, 1, 2, 3)))), 10))
	if err != nil {
		t.Fatal(err)
	}

	for _, rec := range []*Record{
		{Type: TypeList}, {Type: TypeSet}, {Type: TypeZSet}, {Type: TypeHash},
	} {
		_, err := EncodeDump(rec)
		expectErr(t, err, ErrEmptyCollection)
	}
	_, err = EncodeDump(&Record{Type: TypeZSet, ZSet: []ZMember{{Member: []byte("a"), Score: math.NaN()}}})
	expectErr(t, err, ErrNaNScore)
	if _, err := EncodeDump(&Record{Type: 9}); err == nil {
		t.Fatal("unknown type accepted")
	}
}

func TestDumpWriter(t *testing.T) {
	w := NewDumpWriter()
	if _, err := w.Payload(); err == nil {
		t.Fatal("Payload before a value")
	}
	if err := w.WriteAux("a", "b"); err == nil {
		t.Fatal("WriteAux into a DUMP payload")
	}
	w.SetIdle(5) // a payload carries no idle time
	if err := w.WriteString([]byte("ignored key"), []byte("hello"), 12345); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteString(nil, []byte("again"), 0); err == nil {
		t.Fatal("second value accepted")
	}
	p, err := w.Payload()
	if err != nil {
		t.Fatal(err)
	}
	// Observed from redis-server 7.0.15: DUMP of SET k hello.
	want := cat(0, 5, "hello", 10, 0, 0x63, 0x72, 0xdf, 0x76, 0x65, 0x34, 0x20, 0x0a)
	if !bytes.Equal(p, want) {
		t.Fatalf("got % x, want % x", p, want)
	}
	if _, err := w.Payload(); err == nil {
		t.Fatal("Payload twice")
	}
}

func TestIdleOpcodeRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.WriteHeader(); err != nil {
		t.Fatal(err)
	}
	w.SetIdle(300)
	if err := w.WriteString([]byte("a"), []byte("1"), 99); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteString([]byte("b"), []byte("2"), 0); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := readAll(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || !recs[0].HasIdle || recs[0].Idle != 300 || recs[0].ExpireAtMs != 99 || recs[1].HasIdle {
		t.Fatalf("records %s / %s", fmtRecord(recs[0], false), fmtRecord(recs[1], false))
	}
}
