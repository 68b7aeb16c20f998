package resp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxReply bounds one reply, so that a corrupt length cannot make
// the reader allocate without limit. It leaves room for a bulk string of
// raftis's largest request argument (512 MiB) and then some.
const DefaultMaxReply = 1 << 30

// minElemSize is the smallest encoding of a reply element ("_\r\n",
// "+\r\n"): an aggregate announcing more elements than fit in the bytes
// left under the limit is refused before any of them is read.
const minElemSize = 3

// ErrProtocol is wrapped by every error about bytes that are not RESP.
var ErrProtocol = errors.New("resp: protocol error")

// ErrTooLarge is wrapped by the error for a reply over the reader's limit.
var ErrTooLarge = errors.New("resp: reply too large")

// Reader reads whole replies from a byte stream.
type Reader struct {
	br  *bufio.Reader
	max int
}

// NewReader returns a Reader of r whose replies are at most max bytes
// (DefaultMaxReply if max <= 0).
func NewReader(r io.Reader, max int) *Reader {
	if max <= 0 {
		max = DefaultMaxReply
	}
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// ReadReply reads one complete reply and returns its bytes exactly as
// received, in a new slice the caller owns. An attribute (RESP3 '|') and the
// reply it annotates are one reply. On error the stream is out of step.
//
// It walks the reply iteratively, counting the elements still due, so
// nesting depth costs nothing; a bulk payload is read straight into the
// result, which grows by doubling: copying is linear in the reply's size.
func (r *Reader) ReadReply() ([]byte, error) {
	var out []byte
	due := 1
	for due > 0 {
		start := len(out)
		var err error
		if out, err = r.readLine(out); err != nil {
			return nil, r.failed(out, err)
		}
		due--
		line := out[start:]
		more, payload, err := r.frame(line, len(out), due)
		if err != nil {
			return nil, r.failed(out, err)
		}
		due += more
		if payload >= 0 {
			if out, err = r.readPayload(out, payload); err != nil {
				return nil, r.failed(out, err)
			}
		}
	}
	return out, nil
}

// frame interprets a reply's first line: how many more elements follow
// (more) and the length of a payload that follows it (-1 if none). size is
// the reply's length so far and due the elements still expected, for the
// size limit.
func (r *Reader) frame(line []byte, size, due int) (more, payload int, err error) {
	kind := Kind(line[0])
	body := line[1 : len(line)-2]
	switch kind {
	case SimpleString, Error, Integer, Null, Double, Boolean, BigNumber:
		return 0, -1, nil
	case BulkString, BlobError, Verbatim:
		n, err := parseLength(body, kind == BulkString)
		if err != nil || n < 0 {
			return 0, -1, err
		}
		if n > r.max-size-2 {
			return 0, -1, fmt.Errorf("%w: %d-byte %s over the %d-byte limit", ErrTooLarge, n, kind, r.max)
		}
		return 0, n, nil
	case Array, Set, Push, Map, Attribute:
		n, err := parseLength(body, kind == Array)
		if err != nil || n < 0 {
			return 0, -1, err
		}
		if kind == Map || kind == Attribute {
			n *= 2 // at most 18 digits: no overflow
		}
		if kind == Attribute {
			n++ // the reply it annotates
		}
		if n > (r.max-size)/minElemSize-due {
			return 0, -1, fmt.Errorf("%w: %s of %s elements over the %d-byte limit", ErrTooLarge, kind, body, r.max)
		}
		return n, -1, nil
	}
	return 0, -1, fmt.Errorf("%w: unknown reply type %q", ErrProtocol, line[0])
}

// readLine appends one CRLF-terminated line to out. The line must start
// with a reply type byte; that is checked before the rest is read, so that
// a stream that is not RESP fails at once rather than at the deadline.
func (r *Reader) readLine(out []byte) ([]byte, error) {
	first, err := r.br.Peek(1)
	if err != nil {
		if len(out) > 0 && errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return out, err
	}
	if !Kind(first[0]).valid() {
		return out, fmt.Errorf("%w: unknown reply type %q", ErrProtocol, first[0])
	}
	start := len(out)
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(out)+len(chunk) > r.max {
			return out, fmt.Errorf("%w: line over the %d-byte limit", ErrTooLarge, r.max)
		}
		out = append(grow(out, len(chunk)), chunk...)
		switch {
		case err == nil:
			line := out[start:]
			if len(line) < 3 || line[len(line)-2] != '\r' {
				return out, fmt.Errorf("%w: line %q does not end in CRLF", ErrProtocol, line)
			}
			return out, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return out, io.ErrUnexpectedEOF
		default:
			return out, err
		}
	}
}

// readPayload appends n payload bytes and the CRLF after them to out.
func (r *Reader) readPayload(out []byte, n int) ([]byte, error) {
	start := len(out)
	out = grow(out, n+2)[:start+n+2]
	got, err := io.ReadFull(r.br, out[start:])
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return out[:start+got], err
	}
	if out[len(out)-2] != '\r' || out[len(out)-1] != '\n' {
		return out, fmt.Errorf("%w: %d-byte payload not followed by CRLF", ErrProtocol, n)
	}
	return out, nil
}

// grow returns out with room for n more bytes, doubling its capacity when
// it must grow (append's growth factor falls to 1.25 for big slices, which
// copies a big reply several times over).
func grow(out []byte, n int) []byte {
	if cap(out)-len(out) >= n {
		return out
	}
	bigger := make([]byte, len(out), max(2*cap(out), len(out)+n, 512))
	copy(bigger, out)
	return bigger
}

// failed adds what was read of the broken reply to err.
func (r *Reader) failed(partial []byte, err error) error {
	if len(partial) == 0 {
		return err
	}
	return fmt.Errorf("after %s: %w", abbrev(partial, 200), err)
}

// parseLength parses the length in an aggregate or bulk header: a
// non-negative decimal, or -1 where nullable (RESP2's null bulk string and
// null array). It returns -1 for the null form.
func parseLength(body []byte, nullable bool) (int, error) {
	if nullable && string(body) == "-1" {
		return -1, nil
	}
	if len(body) == 0 || len(body) > 18 {
		return 0, fmt.Errorf("%w: bad length %q", ErrProtocol, body)
	}
	n := 0
	for _, c := range body {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: bad length %q", ErrProtocol, body)
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

// abbrev quotes b for messages, cut to at most max bytes.
func abbrev(b []byte, max int) string {
	if len(b) <= max {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%q...(%d bytes)", b[:max], len(b))
}
