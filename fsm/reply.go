package fsm

import (
	"strconv"

	"github.com/tidwall/redcon"
)

// Redis's exact error texts. Clients and test suites match on them, so they
// live in one place and are reused verbatim.
const (
	ErrSyntax       = "ERR syntax error"
	ErrNotInteger   = "ERR value is not an integer or out of range"
	ErrNotFloat     = "ERR value is not a valid float"
	ErrWrongType    = "WRONGTYPE Operation against a key holding the wrong kind of value"
	ErrOverflow     = "ERR increment or decrement would overflow"
	ErrDecrOverflow = "ERR decrement would overflow"
	ErrNoSuchKey    = "ERR no such key"
	ErrDBIndex      = "ERR DB index is out of range"
	ErrInvalidDB    = "ERR invalid DB index"
	ErrOutOfRange   = "ERR value is out of range"
	ErrNaNOrInf     = "ERR increment would produce NaN or Infinity"
	ErrStringTooBig = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	ErrOffsetRange  = "ERR offset is out of range"
	ErrSameObject   = "ERR source and destination objects are the same"
)

// ErrArity is the reply to a command called with the wrong number of arguments.
func ErrArity(name string) string {
	return "ERR wrong number of arguments for '" + name + "' command"
}

// ErrInvalidExpire is the reply to an expire time that is not positive or overflows.
func ErrInvalidExpire(name string) string {
	return "ERR invalid expire time in '" + name + "' command"
}

// Reply writers. Each appends one RESP value to the context's output.

func (c *Ctx) OK()                 { c.out = redcon.AppendOK(c.out) }
func (c *Ctx) Status(s string)     { c.out = redcon.AppendString(c.out, s) }
func (c *Ctx) Error(msg string)    { c.out = redcon.AppendError(c.out, msg) }
func (c *Ctx) Int(n int64)         { c.out = redcon.AppendInt(c.out, n) }
func (c *Ctx) Bulk(b []byte)       { c.out = redcon.AppendBulk(c.out, b) }
func (c *Ctx) BulkString(s string) { c.out = redcon.AppendBulkString(c.out, s) }
func (c *Ctx) Null()               { c.out = redcon.AppendNull(c.out) }
func (c *Ctx) Array(n int)         { c.out = redcon.AppendArray(c.out, n) }

// NullArray writes *-1, Redis's RESP2 null array.
func (c *Ctx) NullArray() { c.out = append(c.out, "*-1\r\n"...) }

// BulkInt writes n as a bulk string, as INCRBYFLOAT and friends do.
func (c *Ctx) BulkInt(n int64) { c.out = redcon.AppendBulk(c.out, strconv.AppendInt(nil, n, 10)) }
