package resp

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Kind is a reply's type: its first byte on the wire.
type Kind byte

// The RESP2 types.
const (
	SimpleString Kind = '+'
	Error        Kind = '-'
	Integer      Kind = ':'
	BulkString   Kind = '$'
	Array        Kind = '*'
)

// The RESP3 types (streamed strings and aggregates are not supported: no
// Redis reply uses them).
const (
	Null      Kind = '_'
	Double    Kind = ','
	Boolean   Kind = '#'
	BigNumber Kind = '('
	BlobError Kind = '!'
	Verbatim  Kind = '='
	Map       Kind = '%'
	Set       Kind = '~'
	Push      Kind = '>'
	Attribute Kind = '|'
)

var kindNames = map[Kind]string{
	SimpleString: "simple string", Error: "error", Integer: "integer", BulkString: "bulk string",
	Array: "array", Null: "null", Double: "double", Boolean: "boolean", BigNumber: "big number",
	BlobError: "blob error", Verbatim: "verbatim string", Map: "map", Set: "set", Push: "push",
	Attribute: "attribute",
}

func (k Kind) valid() bool { _, ok := kindNames[k]; return ok }

func (k Kind) String() string {
	if name, ok := kindNames[k]; ok {
		return name
	}
	return fmt.Sprintf("Kind(%q)", byte(k))
}

// Value is a decoded reply, for assertions.
type Value struct {
	Kind Kind
	// Str is the text of a simple string, error, bulk string, blob error,
	// verbatim string (with its "txt:" format prefix), double or big number.
	Str string
	// Int is an integer's value, or 1 for boolean true.
	Int int64
	// Elems holds an array's, set's or push's elements, or a map's keys
	// and values alternating.
	Elems []Value
	// Null is set for the null bulk string ($-1), the null array (*-1) and
	// RESP3's null (_).
	Null bool
	// Attrs holds the keys and values, alternating, of the RESP3 attribute
	// that preceded the reply, if any.
	Attrs []Value
}

// Strings returns the elements of an array, set or push reply whose
// elements are all bulk or simple strings, none null.
func (v Value) Strings() ([]string, error) {
	if (v.Kind != Array && v.Kind != Set && v.Kind != Push) || v.Null {
		return nil, fmt.Errorf("resp: %s reply, not an array of strings", v.describe())
	}
	out := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		if (e.Kind != BulkString && e.Kind != SimpleString) || e.Null {
			return nil, fmt.Errorf("resp: element %d is a %s, not a string", i, e.describe())
		}
		out[i] = e.Str
	}
	return out, nil
}

// Err returns the error an error reply carries, else nil.
func (v Value) Err() error {
	if v.Kind == Error || v.Kind == BlobError {
		return ReplyError(v.Str)
	}
	return nil
}

func (v Value) describe() string {
	if v.Null {
		return "null " + v.Kind.String()
	}
	return v.Kind.String()
}

// ReplyError is an error reply's text, as an error.
type ReplyError string

func (e ReplyError) Error() string { return string(e) }

// Parse decodes raw, which must hold exactly one complete reply.
func Parse(raw []byte) (Value, error) {
	p := parser{buf: raw}
	v, err := p.value()
	if err != nil {
		return Value{}, err
	}
	if p.pos != len(raw) {
		return Value{}, fmt.Errorf("%w: %d bytes after the reply", ErrProtocol, len(raw)-p.pos)
	}
	return v, nil
}

// parser decodes replies from buf, which holds them whole.
type parser struct {
	buf []byte
	pos int
}

func (p *parser) value() (Value, error) {
	kind, body, err := p.line()
	if err != nil {
		return Value{}, err
	}
	v := Value{Kind: kind}
	switch kind {
	case SimpleString, Error:
		v.Str = string(body)
	case Integer:
		v.Int, err = strconv.ParseInt(string(body), 10, 64)
		if err != nil || body[0] == '+' {
			return v, fmt.Errorf("%w: bad integer %q", ErrProtocol, body)
		}
	case Null:
		if len(body) != 0 {
			return v, fmt.Errorf("%w: null with text %q", ErrProtocol, body)
		}
		v.Null = true
	case Double:
		if !validDouble(body) {
			return v, fmt.Errorf("%w: bad double %q", ErrProtocol, body)
		}
		v.Str = string(body)
	case Boolean:
		switch string(body) {
		case "t":
			v.Int = 1
		case "f":
		default:
			return v, fmt.Errorf("%w: bad boolean %q", ErrProtocol, body)
		}
	case BigNumber:
		if !validBigNumber(body) {
			return v, fmt.Errorf("%w: bad big number %q", ErrProtocol, body)
		}
		v.Str = string(body)
	case BulkString, BlobError, Verbatim:
		err = p.payload(&v, body)
	case Array, Set, Push, Map:
		err = p.aggregate(&v, body)
	case Attribute:
		return p.attributed(body)
	default:
		return v, fmt.Errorf("%w: unknown reply type %q", ErrProtocol, byte(kind))
	}
	return v, err
}

// line returns the type and the text of the next line.
func (p *parser) line() (Kind, []byte, error) {
	if p.pos >= len(p.buf) {
		return 0, nil, fmt.Errorf("%w: reply ends early", ErrProtocol)
	}
	rest := p.buf[p.pos:]
	end := bytes.IndexByte(rest, '\n')
	if end < 2 || rest[end-1] != '\r' {
		return 0, nil, fmt.Errorf("%w: no CRLF-terminated line at byte %d", ErrProtocol, p.pos)
	}
	p.pos += end + 1
	return Kind(rest[0]), rest[1 : end-1], nil
}

// payload reads the bytes a bulk header announces into v.Str.
func (p *parser) payload(v *Value, header []byte) error {
	n, err := parseLength(header, v.Kind == BulkString)
	if err != nil {
		return err
	}
	if n < 0 {
		v.Null = true
		return nil
	}
	if n > len(p.buf)-p.pos-2 {
		return fmt.Errorf("%w: %d-byte %s cut short", ErrProtocol, n, v.Kind)
	}
	data := p.buf[p.pos : p.pos+n]
	if p.buf[p.pos+n] != '\r' || p.buf[p.pos+n+1] != '\n' {
		return fmt.Errorf("%w: %d-byte payload not followed by CRLF", ErrProtocol, n)
	}
	p.pos += n + 2
	if v.Kind == Verbatim && (n < 4 || data[3] != ':') {
		return fmt.Errorf("%w: verbatim string %q lacks its format", ErrProtocol, data)
	}
	v.Str = string(data)
	return nil
}

// aggregate reads the elements an aggregate header announces into v.Elems.
func (p *parser) aggregate(v *Value, header []byte) error {
	n, err := parseLength(header, v.Kind == Array)
	if err != nil {
		return err
	}
	if n < 0 {
		v.Null = true
		return nil
	}
	if v.Kind == Map {
		n *= 2
	}
	// Every element takes at least minElemSize bytes: a count that cannot
	// fit in what is left is refused before anything is allocated.
	if n > (len(p.buf)-p.pos)/minElemSize {
		return fmt.Errorf("%w: %s of %d elements cut short", ErrProtocol, v.Kind, n)
	}
	v.Elems = make([]Value, n)
	for i := range v.Elems {
		if v.Elems[i], err = p.value(); err != nil {
			return err
		}
	}
	return nil
}

// attributed reads an attribute map and the reply it annotates.
func (p *parser) attributed(header []byte) (Value, error) {
	attrs := Value{Kind: Map}
	if err := p.aggregate(&attrs, header); err != nil {
		return Value{}, err
	}
	v, err := p.value()
	if err != nil {
		return Value{}, err
	}
	v.Attrs = append(attrs.Elems, v.Attrs...)
	return v, nil
}

// validDouble reports whether s is a RESP3 double: a decimal or exponent
// number, inf, -inf or nan.
func validDouble(s []byte) bool {
	switch string(s) {
	case "inf", "-inf", "nan":
		return true
	}
	if len(s) == 0 || bytes.ContainsAny(s, "xXpP_nN") {
		return false
	}
	_, err := strconv.ParseFloat(string(s), 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

// validBigNumber reports whether s is an optionally negative decimal.
func validBigNumber(s []byte) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
