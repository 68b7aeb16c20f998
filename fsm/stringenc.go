package fsm

import "strconv"

// What OBJECT ENCODING and OBJECT REFCOUNT say about a string.
//
// Redis keeps a string in one of three encodings, and which one depends on
// how the string was made, not only on its bytes:
//
//   - a string a client stores whole (SET, MSET, GETSET, APPEND to a new
//     key, RESTORE, an RDB load) goes through tryObjectEncoding: "int" if
//     it is a canonical integer of up to 20 bytes, else "embstr" up to 44
//     bytes, else "raw". The integers 0 to 9999 are shared objects
//     (OBJECT REFCOUNT 2147483647); INCR and friends produce integers the
//     same way;
//   - INCRBYFLOAT stores its result as text, never "int" ("embstr" up to 44
//     bytes);
//   - the commands that change part of a string (SETBIT, SETRANGE, APPEND
//     to an existing key, BITFIELD with a write, PFADD, PFMERGE) and BITOP
//     leave it "raw", whatever its length;
//   - COPY duplicates the encoding, except that a shared integer becomes
//     an unshared one (REFCOUNT 1).
//
// raftis records this without a word per string, in the slice itself:
//
//   - len == cap: encoded by content, as tryObjectEncoding would; the
//     shared integers are slices of one table (sharedInts), so a pointer
//     comparison tells a shared integer from a copy;
//   - cap == len+1: text from INCRBYFLOAT (floatString);
//   - cap >= len+2: raw. A raw string keeps two spare bytes (Redis's sds
//     keeps one, for its NUL), so changing it in place never drops the
//     mark; privateString guarantees them.
//
// Every stringValue is made by one of the constructors below, which fix
// the capacity; a slice with stray capacity would read as raw.

const (
	// sharedIntegers is Redis's OBJ_SHARED_INTEGERS: the integers
	// [0, 10000) are shared objects.
	sharedIntegers = 10000
	// sharedRefcount is what OBJECT REFCOUNT says for a shared object
	// (Redis's OBJ_SHARED_REFCOUNT, INT_MAX).
	sharedRefcount = 2147483647
	// embstrMax is the longest string Redis embeds in its object header
	// (OBJ_ENCODING_EMBSTR_SIZE_LIMIT).
	embstrMax = 44
	// rawSpare is the spare capacity that marks a raw string.
	rawSpare = 2
)

// sharedInts holds the decimal text of 0..9999, each a full slice (len ==
// cap) of one backing array. Shared integers take no allocation of their
// own, as in Redis.
var sharedInts = func() [sharedIntegers]stringValue {
	var table [sharedIntegers]stringValue
	var text []byte
	ends := make([]int, sharedIntegers)
	for i := range sharedIntegers {
		text = strconv.AppendInt(text, int64(i), 10)
		ends[i] = len(text)
	}
	start := 0
	for i, end := range ends {
		table[i] = stringValue(text[start:end:end])
		start = end
	}
	return table
}()

// newString is b stored whole, as tryObjectEncoding leaves it: a shared
// integer or an exact copy of b.
func newString(b []byte) stringValue {
	if len(b) <= 4 {
		if n, ok := parseInt(b); ok && n >= 0 && n < sharedIntegers {
			return sharedInts[n]
		}
	}
	return exactString(b)
}

// intString is the integer n as INCR stores it.
func intString(n int64) stringValue {
	if n >= 0 && n < sharedIntegers {
		return sharedInts[n]
	}
	var buf [20]byte
	return exactString(strconv.AppendInt(buf[:0], n, 10))
}

// exactString copies b into a slice of its exact length.
func exactString(b []byte) stringValue {
	s := make([]byte, len(b))
	copy(s, b)
	return s
}

// floatString copies b, INCRBYFLOAT's result, marked as text.
func floatString(b []byte) stringValue {
	s := make([]byte, len(b), len(b)+1)
	copy(s, b)
	return s
}

// rawString marks b as raw, copying it only if it lacks the spare room.
// b must not be used by the caller afterwards.
func rawString(b []byte) stringValue {
	if cap(b)-len(b) >= rawSpare {
		return b
	}
	s := make([]byte, len(b), len(b)+rawSpare)
	copy(s, b)
	return s
}

// Encoding is OBJECT ENCODING's answer (see above).
func (s stringValue) Encoding() string {
	switch spare := cap(s) - len(s); {
	case spare >= rawSpare:
		return "raw"
	case spare == 0 && s.isInt():
		return "int"
	case len(s) <= embstrMax:
		return "embstr"
	}
	return "raw"
}

// isInt reports whether tryObjectEncoding makes s an integer.
func (s stringValue) isInt() bool {
	if len(s) > 20 {
		return false
	}
	_, ok := parseInt(s)
	return ok
}

// refcount is OBJECT REFCOUNT's answer: shared integers are shared by
// every key that holds them.
func (s stringValue) refcount() int64 {
	if len(s) > 0 && len(s) <= 4 && cap(s) == len(s) {
		if n, ok := parseInt(s); ok && n >= 0 && n < sharedIntegers && &s[0] == &sharedInts[n][0] {
			return sharedRefcount
		}
	}
	return 1
}

// clone copies the string with its encoding, as COPY's dupStringObject
// does: a shared integer becomes a copy of its own.
func (s stringValue) clone() Value {
	c := make([]byte, len(s), len(s)+min(cap(s)-len(s), rawSpare))
	copy(c, s)
	return stringValue(c)
}
