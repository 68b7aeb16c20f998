package resp

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestReadReplyReadsEveryTypeWhole(t *testing.T) {
	for _, s := range samples {
		// The reply followed by another: exactly the first is returned,
		// and the second after it.
		r := NewReader(strings.NewReader(s.raw+":7\r\n"), 0)
		got, err := r.ReadReply()
		if err != nil || string(got) != s.raw {
			t.Errorf("%s: ReadReply = %q, %v; want %q", s.name, got, err, s.raw)
			continue
		}
		if next, err := r.ReadReply(); err != nil || string(next) != ":7\r\n" {
			t.Errorf("%s: the reply after it = %q, %v; want \":7\\r\\n\"", s.name, next, err)
		}
		if _, err := r.ReadReply(); !errors.Is(err, io.EOF) {
			t.Errorf("%s: at the end of the stream: %v, want io.EOF", s.name, err)
		}
	}
}

// oneByteReader returns at most one byte per Read, as a stream whose every
// byte arrives in its own TCP segment.
type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

func TestReadReplyAcrossOneByteReads(t *testing.T) {
	var all strings.Builder
	for _, s := range samples {
		all.WriteString(s.raw)
	}
	r := NewReader(oneByteReader{strings.NewReader(all.String())}, 0)
	for _, s := range samples {
		if got, err := r.ReadReply(); err != nil || string(got) != s.raw {
			t.Fatalf("%s: ReadReply = %q, %v; want %q", s.name, got, err, s.raw)
		}
	}
}

// A line longer than the reader's buffer is read whole.
func TestReadReplyLongLine(t *testing.T) {
	raw := "+" + strings.Repeat("x", 200<<10) + "\r\n"
	got, err := NewReader(strings.NewReader(raw), 0).ReadReply()
	if err != nil || string(got) != raw {
		t.Fatalf("ReadReply of a %d-byte line: %d bytes, %v", len(raw), len(got), err)
	}
}

func TestReadReplyRejects(t *testing.T) {
	cases := []struct {
		name, raw string
		want      error
	}{
		{"empty stream", "", io.EOF},
		{"unknown type", "?x\r\n", ErrProtocol},
		{"inline text", "OK\r\n", ErrProtocol},
		{"line without CR", "+OK\n", ErrProtocol},
		{"bare CRLF", "\r\n", ErrProtocol},
		{"bulk length not a number", "$abc\r\n", ErrProtocol},
		{"bulk length with a sign", "$+5\r\nhello\r\n", ErrProtocol},
		{"bulk length below -1", "$-2\r\n", ErrProtocol},
		{"empty bulk length", "$\r\n", ErrProtocol},
		{"array length below -1", "*-2\r\n", ErrProtocol},
		{"null map", "%-1\r\n", ErrProtocol},
		{"null verbatim string", "=-1\r\n", ErrProtocol},
		{"payload longer than announced", "$3\r\nabcd\r\n", ErrProtocol},
		{"payload cut short", "$5\r\nab", io.ErrUnexpectedEOF},
		{"payload without its CRLF", "$2\r\nab", io.ErrUnexpectedEOF},
		{"line cut short", "+OK", io.ErrUnexpectedEOF},
		{"array cut short", "*2\r\n:1\r\n", io.ErrUnexpectedEOF},
		{"element cut short", "*2\r\n:1\r\n:", io.ErrUnexpectedEOF},
		{"bad element", "*2\r\n:1\r\n?\r\n", ErrProtocol},
		{"attribute without its reply", "|1\r\n+a\r\n+b\r\n", io.ErrUnexpectedEOF},
	}
	for _, c := range cases {
		got, err := NewReader(strings.NewReader(c.raw), 0).ReadReply()
		if !errors.Is(err, c.want) || got != nil {
			t.Errorf("%s: ReadReply(%q) = %q, %v; want error %v", c.name, c.raw, got, err, c.want)
		}
	}
}

func TestReadReplyLimit(t *testing.T) {
	const limit = 100
	cases := []struct{ name, raw string }{
		{"bulk string", "$95\r\n" + strings.Repeat("x", 95) + "\r\n"},
		{"blob error", "!95\r\n" + strings.Repeat("x", 95) + "\r\n"},
		{"huge bulk length", "$999999999999999999\r\n"},
		{"array", "*40\r\n"},
		{"map", "%20\r\n"},
		{"huge array length", "*999999999999999999\r\n"},
		{"elements", "*20\r\n" + strings.Repeat(":1234567\r\n", 20)},
		{"line", "+" + strings.Repeat("x", 100) + "\r\n"},
	}
	for _, c := range cases {
		if _, err := NewReader(strings.NewReader(c.raw), limit).ReadReply(); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s over a %d-byte limit: %v, want ErrTooLarge", c.name, limit, err)
		}
	}
	exact := "$93\r\n" + strings.Repeat("x", 93) + "\r\n"
	if got, err := NewReader(strings.NewReader(exact), limit).ReadReply(); err != nil || string(got) != exact {
		t.Errorf("a reply of exactly the limit: %d bytes, %v", len(got), err)
	}
}

// fill is an endless stream of one byte.
type fill byte

func (f fill) Read(p []byte) (int, error) {
	block := bytes.Repeat([]byte{byte(f)}, min(len(p), 64<<10))
	n := 0
	for n < len(p) {
		n += copy(p[n:], block)
	}
	return n, nil
}

// A big bulk string is read into the reply once: the reader allocates about
// its size, not a multiple of it (as growing by chunks would) and not the
// square of anything.
func TestReadReplyBigBulkAllocatesItsSizeOnce(t *testing.T) {
	const n = 64 << 20
	header := "$" + strconv.Itoa(n) + "\r\n"
	src := io.MultiReader(strings.NewReader(header), io.LimitReader(fill('x'), n), strings.NewReader("\r\n"))
	r := NewReader(src, 0)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, err := r.ReadReply()
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(header)+n+2 || got[len(header)] != 'x' || got[len(got)-3] != 'x' {
		t.Fatalf("got %d bytes, want %d", len(got), len(header)+n+2)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > n+n/4 {
		t.Errorf("reading a %d-byte bulk string allocated %d bytes", n, alloc)
	}
	t.Logf("a %d-byte bulk string: %d bytes allocated (%.2f×)", n, alloc, float64(alloc)/n)
}

// An array of many elements grows its reply by doubling: the bytes
// allocated stay within a small multiple of the reply's size (at most 4×
// from doubling, plus the reader's buffer).
func TestReadReplyManyElementsAllocatesLinearly(t *testing.T) {
	const n = 1 << 18
	elem := "$10\r\n0123456789\r\n"
	raw := "*" + strconv.Itoa(n) + "\r\n" + strings.Repeat(elem, n)
	r := NewReader(strings.NewReader(raw), 0)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, err := r.ReadReply()
	runtime.ReadMemStats(&after)
	if err != nil || len(got) != len(raw) {
		t.Fatalf("got %d bytes, %v; want %d", len(got), err, len(raw))
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 5*uint64(len(raw)) {
		t.Errorf("reading a %d-byte array allocated %d bytes", len(raw), alloc)
	}
	t.Logf("a %d-byte array of %d elements: %d bytes allocated (%.2f×)", len(raw), n, alloc, float64(alloc)/float64(len(raw)))
}
