package rdb

import (
	"bytes"
	"encoding/hex"
	"errors"
	"iter"
	"math"
	"slices"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestChecksumCheckValue(t *testing.T) {
	if got := Checksum([]byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("Checksum(123456789) = %#x, want 0xe9c6d914c4b8d9ca", got)
	}
	// Incremental updates agree with one-shot.
	if got := crcUpdate(crcUpdate(0, []byte("1234")), []byte("56789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("incremental CRC = %#x", got)
	}
}

func TestWriterTestVector(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if buf.Len() != 0 {
		t.Fatal("NewWriter wrote something")
	}
	for _, err := range []error{
		w.WriteHeader(),
		w.WriteSelectDB(0),
		w.WriteString([]byte("k"), []byte("hello"), 0),
		w.Close(),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := unhex(t, "52 45 44 49 53 30 30 31 30 fe 00 00 01 6b 05 68 65 6c 6c 6f ff 6c dd c5 6a df 09 f1 8d")
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("got  % x\nwant % x", buf.Bytes(), want)
	}
	rec := readOneKey(t, want)
	if string(rec.Key) != "k" || string(rec.String) != "hello" || rec.Type != TypeString || rec.ExpireAtMs != 0 {
		t.Fatalf("decoded %s", fmtRecord(rec, false))
	}
}

func TestWriterEmptyDataSet(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.WriteHeader(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := append([]byte("REDIS0010"), unhex(t, "ff a9 fd 37 fe 89 a7 7e eb")...)
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("got  % x\nwant % x", buf.Bytes(), want)
	}
	if recs := mustReadAll(t, want); len(recs) != 0 {
		t.Fatalf("got %d records", len(recs))
	}
}

func TestWriterIntEncoding(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []byte
	}{
		{"0", []byte{0xC0, 0}},
		{"-128", []byte{0xC0, 0x80}},
		{"127", []byte{0xC0, 0x7F}},
		{"128", []byte{0xC1, 0x80, 0x00}},
		{"-32768", []byte{0xC1, 0x00, 0x80}},
		{"32768", []byte{0xC2, 0x00, 0x80, 0x00, 0x00}},
		{"-2147483648", []byte{0xC2, 0, 0, 0, 0x80}},
		{"2147483647", []byte{0xC2, 0xFF, 0xFF, 0xFF, 0x7F}},
		{"2147483648", rawStr("2147483648")},
		{"-0", rawStr("-0")},
		{"007", rawStr("007")},
		{"+1", rawStr("+1")},
		{"1 ", rawStr("1 ")},
		{"-", rawStr("-")},
		{"", rawStr("")},
		{"99999999999", rawStr("99999999999")},
	} {
		if got := appendString(nil, []byte(tc.in)); !bytes.Equal(got, tc.want) {
			t.Errorf("appendString(%q) = % x, want % x", tc.in, got, tc.want)
		}
		s, err := newBytesSource(tc.want).readString()
		if err != nil || string(s) != tc.in {
			t.Errorf("readString(% x) = %q, %v; want %q", tc.want, s, err, tc.in)
		}
	}
}

func TestLengthEncoding(t *testing.T) {
	for _, tc := range []struct {
		n    uint64
		size int
	}{
		{0, 1}, {63, 1}, {64, 2}, {16383, 2}, {16384, 5}, {1<<32 - 1, 5}, {1 << 32, 9}, {math.MaxUint64, 9},
	} {
		b := appendLen(nil, tc.n)
		if len(b) != tc.size {
			t.Errorf("appendLen(%d) = % x, want %d bytes", tc.n, b, tc.size)
		}
		got, err := newBytesSource(b).readLen()
		if err != nil || got != tc.n {
			t.Errorf("readLen(% x) = %d, %v; want %d", b, got, err, tc.n)
		}
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriterErrors(t *testing.T) {
	newW := func() *Writer {
		w := NewWriter(&bytes.Buffer{})
		if err := w.WriteHeader(); err != nil {
			t.Fatal(err)
		}
		return w
	}
	k := []byte("k")
	one := slices.Values(bs("a"))
	two := slices.Values(bs("a", "b"))

	// Out-of-order calls.
	w := NewWriter(&bytes.Buffer{})
	expectErr(t, w.WriteString(k, k, 0), ErrWriterState)
	expectErr(t, w.Close(), ErrWriterState)
	w = newW()
	expectErr(t, w.WriteHeader(), ErrWriterState)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	expectErr(t, w.WriteString(k, k, 0), ErrWriterState)
	expectErr(t, w.Close(), ErrWriterState)

	// Empty collections are refused without poisoning the writer.
	w = newW()
	expectErr(t, w.WriteList(k, 0, 0, slices.Values[[][]byte](nil)), ErrEmptyCollection)
	expectErr(t, w.WriteSet(k, 0, -1, one), ErrEmptyCollection)
	expectErr(t, w.WriteZSet(k, 0, 0, func(func([]byte, float64) bool) {}), ErrEmptyCollection)
	expectErr(t, w.WriteHash(k, 0, 0, func(func([]byte, []byte) bool) {}), ErrEmptyCollection)
	if err := w.WriteSelectDB(-1); err == nil {
		t.Fatal("WriteSelectDB(-1) succeeded")
	}
	expectErr(t, w.WriteList(k, 0, 1, nil), ErrCountMismatch)
	expectErr(t, w.WriteZSet(k, 0, 1, nil), ErrCountMismatch)
	if err := w.WriteString(k, k, 0); err != nil {
		t.Fatalf("writer poisoned by argument errors: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	// Count mismatches poison the writer.
	for _, f := range map[string]func(w *Writer) error{
		"fewer": func(w *Writer) error { return w.WriteList(k, 0, 2, one) },
		"more":  func(w *Writer) error { return w.WriteSet(k, 0, 1, two) },
		"hash":  func(w *Writer) error { return w.WriteHash(k, 0, 3, func(func([]byte, []byte) bool) {}) },
	} {
		w := newW()
		expectErr(t, f(w), ErrCountMismatch)
		expectErr(t, w.WriteString(k, k, 0), ErrCountMismatch)
		expectErr(t, w.Close(), ErrCountMismatch)
	}

	// NaN scores.
	w = newW()
	var nanSeq iter.Seq2[[]byte, float64] = func(yield func([]byte, float64) bool) {
		_ = yield([]byte("a"), 1) && yield([]byte("b"), math.NaN())
	}
	expectErr(t, w.WriteZSet(k, 0, 2, nanSeq), ErrNaNScore)
	expectErr(t, w.Close(), ErrNaNScore)

	// Write errors surface (at the latest) on Close.
	w = NewWriter(&failWriter{n: 20})
	_ = w.WriteHeader()
	big := bytes.Repeat([]byte("x"), 1<<17)
	err := w.WriteString(k, big, 0)
	if err == nil {
		err = w.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v, want disk full", err)
	}
}

func TestWriterStopsIteration(t *testing.T) {
	// A sequence longer than n is not drained past n+1.
	pulled := 0
	seq := func(yield func([]byte) bool) {
		for {
			pulled++
			if !yield([]byte("x")) {
				return
			}
		}
	}
	w := NewWriter(&bytes.Buffer{})
	_ = w.WriteHeader()
	expectErr(t, w.WriteList([]byte("k"), 0, 3, seq), ErrCountMismatch)
	if pulled != 4 {
		t.Fatalf("pulled %d items, want 4", pulled)
	}
}
