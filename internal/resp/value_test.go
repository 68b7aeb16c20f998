package resp

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

func TestParseEveryType(t *testing.T) {
	for _, s := range samples {
		got, err := Parse([]byte(s.raw))
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", s.name, s.raw, err)
			continue
		}
		if !reflect.DeepEqual(got, s.want) {
			t.Errorf("%s: Parse(%q)\n got %+v\nwant %+v", s.name, s.raw, got, s.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, raw := range []string{
		"", "\r\n", "+OK", "+OK\n", "?\r\n", "OK\r\n",
		":abc\r\n", ":+1\r\n", ":\r\n", ":9223372036854775808\r\n", ":1 \r\n",
		"$abc\r\n", "$-2\r\n", "$5\r\nabc\r\n", "$3\r\nabcd\r\n", "$3\r\nabc",
		"*2\r\n:1\r\n", "*-2\r\n", "*1\r\n", "*3\r\n",
		"_x\r\n", "#x\r\n", "#\r\n", "#tt\r\n",
		",\r\n", ",abc\r\n", ",0x10\r\n", ",1_0\r\n", ",infinity\r\n", ",NaN\r\n",
		"(\r\n", "(-\r\n", "(12a\r\n", "(+1\r\n",
		"=3\r\nabc\r\n", "=5\r\ntxtab\r\n", "=-1\r\n",
		"%-1\r\n", "%1\r\n+a\r\n", "~-1\r\n", ">-1\r\n",
		"|1\r\n+a\r\n+b\r\n", "|1\r\n+a\r\n",
		"+OK\r\n+OK\r\n", "$-1\r\n\r\n",
	} {
		if v, err := Parse([]byte(raw)); !errors.Is(err, ErrProtocol) {
			t.Errorf("Parse(%q) = %+v, %v; want ErrProtocol", raw, v, err)
		}
	}
}

// Every attribute before a reply is kept, in order, with nested ones.
func TestParseAttributesInsideAggregates(t *testing.T) {
	v, err := Parse([]byte("*2\r\n|1\r\n+a\r\n:1\r\n+x\r\n|1\r\n+b\r\n:2\r\n|1\r\n+c\r\n:3\r\n+y\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Value{Kind: Array, Elems: []Value{
		{Kind: SimpleString, Str: "x", Attrs: []Value{{Kind: SimpleString, Str: "a"}, {Kind: Integer, Int: 1}}},
		{Kind: SimpleString, Str: "y", Attrs: []Value{
			{Kind: SimpleString, Str: "b"}, {Kind: Integer, Int: 2}, {Kind: SimpleString, Str: "c"}, {Kind: Integer, Int: 3},
		}},
	}}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("got %+v\nwant %+v", v, want)
	}
}

func TestStrings(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want []string
	}{
		{"*0\r\n", []string{}},
		{"*3\r\n$1\r\na\r\n$0\r\n\r\n+b\r\n", []string{"a", "", "b"}},
		{"~2\r\n$1\r\nx\r\n$1\r\ny\r\n", []string{"x", "y"}},
		{">2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n", []string{"message", "hi"}},
	} {
		v, err := Parse([]byte(c.raw))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := v.Strings(); err != nil || !slices.Equal(got, c.want) {
			t.Errorf("Strings of %q = %q, %v; want %q", c.raw, got, err, c.want)
		}
	}
	for _, raw := range []string{"*-1\r\n", "$1\r\na\r\n", "*1\r\n$-1\r\n", "*1\r\n:1\r\n", "*1\r\n*0\r\n", "%1\r\n+a\r\n+b\r\n", "*1\r\n-ERR x\r\n"} {
		v, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := v.Strings(); err == nil {
			t.Errorf("Strings of %q = %q, want an error", raw, got)
		}
	}
}

func TestErr(t *testing.T) {
	for raw, want := range map[string]string{"-ERR x\r\n": "ERR x", "!5\r\nERR y\r\n": "ERR y"} {
		v, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		var re ReplyError
		if err := v.Err(); !errors.As(err, &re) || string(re) != want {
			t.Errorf("Err of %q = %v, want ReplyError %q", raw, err, want)
		}
	}
	for _, raw := range []string{"+OK\r\n", "$3\r\nERR\r\n", "*1\r\n-ERR x\r\n"} {
		v, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Err(); err != nil {
			t.Errorf("Err of %q = %v, want nil", raw, err)
		}
	}
}
