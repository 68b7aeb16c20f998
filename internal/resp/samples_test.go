package resp

// samples is one reply of every type and shape, with its decoded Value.
var samples = []struct {
	name string
	raw  string
	want Value
}{
	{"simple string", "+OK\r\n", Value{Kind: SimpleString, Str: "OK"}},
	{"empty simple string", "+\r\n", Value{Kind: SimpleString}},
	{"error", "-ERR unknown command 'x'\r\n", Value{Kind: Error, Str: "ERR unknown command 'x'"}},
	{"integer", ":-42\r\n", Value{Kind: Integer, Int: -42}},
	{"smallest integer", ":-9223372036854775808\r\n", Value{Kind: Integer, Int: -9223372036854775808}},
	{"bulk string", "$5\r\nhello\r\n", Value{Kind: BulkString, Str: "hello"}},
	{"binary bulk string", "$6\r\n\r\n\x00\xff\n\r\r\n", Value{Kind: BulkString, Str: "\r\n\x00\xff\n\r"}},
	{"empty bulk string", "$0\r\n\r\n", Value{Kind: BulkString}},
	{"null bulk string", "$-1\r\n", Value{Kind: BulkString, Null: true}},
	{"array", "*2\r\n$1\r\na\r\n:1\r\n", Value{Kind: Array, Elems: []Value{{Kind: BulkString, Str: "a"}, {Kind: Integer, Int: 1}}}},
	{"empty array", "*0\r\n", Value{Kind: Array, Elems: []Value{}}},
	{"null array", "*-1\r\n", Value{Kind: Array, Null: true}},
	{"nested arrays", "*2\r\n*2\r\n+a\r\n*1\r\n$-1\r\n*0\r\n", Value{Kind: Array, Elems: []Value{
		{Kind: Array, Elems: []Value{{Kind: SimpleString, Str: "a"}, {Kind: Array, Elems: []Value{{Kind: BulkString, Null: true}}}}},
		{Kind: Array, Elems: []Value{}},
	}}},
	{"array of nulls and an error", "*3\r\n$-1\r\n-ERR x\r\n*-1\r\n", Value{Kind: Array, Elems: []Value{
		{Kind: BulkString, Null: true}, {Kind: Error, Str: "ERR x"}, {Kind: Array, Null: true},
	}}},
	{"null", "_\r\n", Value{Kind: Null, Null: true}},
	{"double", ",3.141\r\n", Value{Kind: Double, Str: "3.141"}},
	{"double exponent", ",1e+300\r\n", Value{Kind: Double, Str: "1e+300"}},
	{"double inf", ",-inf\r\n", Value{Kind: Double, Str: "-inf"}},
	{"double nan", ",nan\r\n", Value{Kind: Double, Str: "nan"}},
	{"true", "#t\r\n", Value{Kind: Boolean, Int: 1}},
	{"false", "#f\r\n", Value{Kind: Boolean}},
	{"big number", "(-1234567999999999999999999999999999999\r\n", Value{Kind: BigNumber, Str: "-1234567999999999999999999999999999999"}},
	{"blob error", "!22\r\nSYNTAX invalid\r\nsyntax\r\n", Value{Kind: BlobError, Str: "SYNTAX invalid\r\nsyntax"}},
	{"verbatim string", "=29\r\ntxt:This is a verbatim\nstring\r\n", Value{Kind: Verbatim, Str: "txt:This is a verbatim\nstring"}},
	{"map", "%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n#t\r\n", Value{Kind: Map, Elems: []Value{
		{Kind: SimpleString, Str: "first"}, {Kind: Integer, Int: 1}, {Kind: BulkString, Str: "second"}, {Kind: Boolean, Int: 1},
	}}},
	{"set", "~2\r\n+a\r\n:2\r\n", Value{Kind: Set, Elems: []Value{{Kind: SimpleString, Str: "a"}, {Kind: Integer, Int: 2}}}},
	{"push", ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n", Value{Kind: Push, Elems: []Value{
		{Kind: BulkString, Str: "server-cpu-usage"}, {Kind: Integer, Int: 42},
	}}},
	{"attribute and its reply", "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$5\r\nvalue\r\n", Value{
		Kind: BulkString, Str: "value",
		Attrs: []Value{{Kind: BulkString, Str: "key-popularity"}, {Kind: Array, Elems: []Value{{Kind: BulkString, Str: "key:123"}, {Kind: Integer, Int: 90}}}},
	}},
	{"map in a set in an array", "*1\r\n~1\r\n%1\r\n_\r\n,0\r\n", Value{Kind: Array, Elems: []Value{
		{Kind: Set, Elems: []Value{{Kind: Map, Elems: []Value{{Kind: Null, Null: true}, {Kind: Double, Str: "0"}}}}},
	}}},
}
