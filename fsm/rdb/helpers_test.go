package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// rdbFile wraps body in a version-10 header and a valid EOF+CRC trailer.
func rdbFile(body ...[]byte) []byte {
	b := []byte("REDIS0010")
	for _, p := range body {
		b = append(b, p...)
	}
	b = append(b, opEOF)
	return binary.LittleEndian.AppendUint64(b, Checksum(b))
}

// cat concatenates byte pieces; strings are taken literally.
func cat(parts ...any) []byte {
	var b []byte
	for _, p := range parts {
		switch v := p.(type) {
		case []byte:
			b = append(b, v...)
		case string:
			b = append(b, v...)
		case byte:
			b = append(b, v)
		case int:
			b = append(b, byte(v))
		default:
			panic(fmt.Sprintf("cat: %T", p))
		}
	}
	return b
}

// rawStr is an RDB string with a minimal length prefix and no int encoding.
func rawStr(s string) []byte { return append(appendLen(nil, uint64(len(s))), s...) }

// key builds <type><key> for a record.
func keyHdr(t byte, k string) []byte { return cat(t, rawStr(k)) }

// lpBuild serializes a listpack; entries that are canonical int64 text are
// stored with the smallest integer encoding, others as strings.
func lpBuild(entries ...string) []byte {
	var body []byte
	for _, e := range entries {
		var enc []byte
		if v, err := strconv.ParseInt(e, 10, 64); err == nil && strconv.FormatInt(v, 10) == e {
			switch {
			case v >= 0 && v <= 127:
				enc = []byte{byte(v)}
			case v >= -4096 && v <= 4095:
				u := uint64(v) & 0x1FFF
				enc = []byte{0xC0 | byte(u>>8), byte(u)}
			case v >= -32768 && v <= 32767:
				enc = binary.LittleEndian.AppendUint16([]byte{0xF1}, uint16(v))
			case v >= -1<<23 && v < 1<<23:
				u := uint32(v)
				enc = []byte{0xF2, byte(u), byte(u >> 8), byte(u >> 16)}
			case v >= math.MinInt32 && v <= math.MaxInt32:
				enc = binary.LittleEndian.AppendUint32([]byte{0xF3}, uint32(v))
			default:
				enc = binary.LittleEndian.AppendUint64([]byte{0xF4}, uint64(v))
			}
		} else {
			switch n := len(e); {
			case n < 64:
				enc = []byte{0x80 | byte(n)}
			case n < 4096:
				enc = []byte{0xE0 | byte(n>>8), byte(n)}
			default:
				enc = binary.LittleEndian.AppendUint32([]byte{0xF0}, uint32(n))
			}
			enc = append(enc, e...)
		}
		var back [5]byte
		bl := lpEncodeBacklen(back[:], uint64(len(enc)))
		body = append(append(body, enc...), back[:bl]...)
	}
	b := binary.LittleEndian.AppendUint32(nil, uint32(lpHeaderSize+len(body)+1))
	b = binary.LittleEndian.AppendUint16(b, uint16(min(len(entries), lpCountUnknown)))
	return append(append(b, body...), lpEOF)
}

// zlBuild serializes a ziplist with the smallest encodings.
func zlBuild(entries ...string) []byte {
	var body []byte
	prev, tail := 0, zlHeaderSize
	for _, e := range entries {
		var ent []byte
		if prev < 254 {
			ent = []byte{byte(prev)}
		} else {
			ent = binary.LittleEndian.AppendUint32([]byte{0xFE}, uint32(prev))
		}
		if v, err := strconv.ParseInt(e, 10, 64); err == nil && strconv.FormatInt(v, 10) == e {
			switch {
			case v >= 0 && v <= 12:
				ent = append(ent, 0xF1+byte(v))
			case v >= math.MinInt8 && v <= math.MaxInt8:
				ent = append(ent, 0xFE, byte(v))
			case v >= math.MinInt16 && v <= math.MaxInt16:
				ent = binary.LittleEndian.AppendUint16(append(ent, 0xC0), uint16(v))
			case v >= -1<<23 && v < 1<<23:
				u := uint32(v)
				ent = append(ent, 0xF0, byte(u), byte(u>>8), byte(u>>16))
			case v >= math.MinInt32 && v <= math.MaxInt32:
				ent = binary.LittleEndian.AppendUint32(append(ent, 0xD0), uint32(v))
			default:
				ent = binary.LittleEndian.AppendUint64(append(ent, 0xE0), uint64(v))
			}
		} else {
			switch n := len(e); {
			case n < 64:
				ent = append(ent, byte(n))
			case n < 16384:
				ent = append(ent, 0x40|byte(n>>8), byte(n))
			default:
				ent = binary.BigEndian.AppendUint32(append(ent, 0x80), uint32(n))
			}
			ent = append(ent, e...)
		}
		tail = zlHeaderSize + len(body)
		body = append(body, ent...)
		prev = len(ent)
	}
	b := binary.LittleEndian.AppendUint32(nil, uint32(zlHeaderSize+len(body)+1))
	b = binary.LittleEndian.AppendUint32(b, uint32(tail))
	b = binary.LittleEndian.AppendUint16(b, uint16(min(len(entries), zlCountUnkwn)))
	return append(append(b, body...), zlEnd)
}

// intsetBuild serializes an intset with the given width.
func intsetBuild(width int, vals ...int64) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(width))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vals)))
	for _, v := range vals {
		switch width {
		case 2:
			b = binary.LittleEndian.AppendUint16(b, uint16(v))
		case 4:
			b = binary.LittleEndian.AppendUint32(b, uint32(v))
		default:
			b = binary.LittleEndian.AppendUint64(b, uint64(v))
		}
	}
	return b
}

// readAll decodes a whole file.
func readAll(data []byte) ([]*Record, error) {
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var recs []*Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

// mustReadAll decodes a whole file, failing the test on error.
func mustReadAll(t testing.TB, data []byte) []*Record {
	t.Helper()
	recs, err := readAll(data)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return recs
}

// readOneKey decodes a file that must hold exactly one key record.
func readOneKey(t testing.TB, data []byte) *Record {
	t.Helper()
	var keys []*Record
	for _, r := range mustReadAll(t, data) {
		if r.Kind == RecordKey {
			keys = append(keys, r)
		}
	}
	if len(keys) != 1 {
		t.Fatalf("got %d key records, want 1", len(keys))
	}
	return keys[0]
}

// fmtRecord renders a record canonically for comparisons; with sorted,
// sets and hashes are sorted and zsets are ordered by member.
func fmtRecord(r *Record, sorted bool) string {
	var b strings.Builder
	switch r.Kind {
	case RecordAux:
		fmt.Fprintf(&b, "aux %q=%q", r.AuxKey, r.AuxValue)
	case RecordSelectDB:
		fmt.Fprintf(&b, "select %d", r.DB)
	case RecordResizeDB:
		fmt.Fprintf(&b, "resize %d %d", r.DBSize, r.ExpiresSize)
	case RecordKey:
		fmt.Fprintf(&b, "key %q exp=%d %v", r.Key, r.ExpireAtMs, r.Type)
		var items []string
		switch r.Type {
		case TypeString:
			items = []string{fmt.Sprintf("%q", r.String)}
		case TypeList, TypeSet:
			v := r.List
			if r.Type == TypeSet {
				v = r.Set
			}
			for _, e := range v {
				items = append(items, fmt.Sprintf("%q", e))
			}
			if sorted && r.Type == TypeSet {
				slices.Sort(items)
			}
		case TypeZSet:
			for _, m := range r.ZSet {
				items = append(items, fmt.Sprintf("%q:%s", m.Member, strconv.FormatFloat(m.Score, 'g', -1, 64)))
			}
			if sorted {
				slices.Sort(items)
			}
		case TypeHash:
			for _, f := range r.Hash {
				items = append(items, fmt.Sprintf("%q=%q", f.Field, f.Value))
			}
			if sorted {
				slices.Sort(items)
			}
		}
		fmt.Fprintf(&b, " [%s]", strings.Join(items, " "))
	default:
		fmt.Fprintf(&b, "kind %d", r.Kind)
	}
	return b.String()
}

func fmtRecords(recs []*Record, sorted bool) []string {
	var out []string
	for _, r := range recs {
		out = append(out, fmtRecord(r, sorted))
	}
	return out
}

func diffRecords(t testing.TB, got, want []*Record, sorted bool) {
	t.Helper()
	g, w := fmtRecords(got, sorted), fmtRecords(want, sorted)
	if slices.Equal(g, w) {
		return
	}
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			t.Fatalf("record %d differs (got %d records, want %d):\n got: %.300s\nwant: %.300s", i, len(g), len(w), a, b)
		}
	}
}

// writeRecords writes records with the Writer (header, records, Close).
func writeRecords(recs []*Record) ([]byte, error) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.WriteHeader(); err != nil {
		return nil, err
	}
	for _, r := range recs {
		if err := writeRecord(w, r); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeRecord(w *Writer, r *Record) error {
	switch r.Kind {
	case RecordAux:
		return w.WriteAux(r.AuxKey, r.AuxValue)
	case RecordSelectDB:
		return w.WriteSelectDB(r.DB)
	case RecordResizeDB:
		return w.WriteResizeDB(r.DBSize, r.ExpiresSize)
	}
	switch r.Type {
	case TypeString:
		return w.WriteString(r.Key, r.String, r.ExpireAtMs)
	case TypeList:
		return w.WriteList(r.Key, r.ExpireAtMs, len(r.List), slices.Values(r.List))
	case TypeSet:
		return w.WriteSet(r.Key, r.ExpireAtMs, len(r.Set), slices.Values(r.Set))
	case TypeZSet:
		return w.WriteZSet(r.Key, r.ExpireAtMs, len(r.ZSet), func(yield func([]byte, float64) bool) {
			for _, m := range r.ZSet {
				if !yield(m.Member, m.Score) {
					return
				}
			}
		})
	case TypeHash:
		return w.WriteHash(r.Key, r.ExpireAtMs, len(r.Hash), func(yield func([]byte, []byte) bool) {
			for _, f := range r.Hash {
				if !yield(f.Field, f.Value) {
					return
				}
			}
		})
	}
	return errors.New("bad record")
}

func bs(items ...string) [][]byte {
	out := make([][]byte, len(items))
	for i, s := range items {
		out[i] = []byte(s)
	}
	return out
}

func expectErr(t testing.TB, err, target error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", target)
	}
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}
