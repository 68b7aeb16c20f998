package resp

import (
	"bytes"
	"testing"
)

// FuzzReadReply feeds arbitrary bytes to the Reader and to Parse. Neither
// may panic; a reply the Reader returns is a prefix of the input; and what
// Parse accepts as one whole reply, the Reader reads as exactly that reply
// (the Reader frames no less than Parse decodes).
func FuzzReadReply(f *testing.F) {
	for _, s := range samples {
		f.Add([]byte(s.raw))
	}
	f.Add([]byte("*2\r\n$-1\r\n*1\r\n:1\r\n"))
	f.Add([]byte("|1\r\n+a\r\n+b\r\n%1\r\n_\r\n#t\r\n"))
	f.Add([]byte("$5\r\nab"))
	f.Add([]byte("*999999999999999999\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		raw, readErr := NewReader(bytes.NewReader(data), 1<<20).ReadReply()
		if readErr == nil && !bytes.HasPrefix(data, raw) {
			t.Fatalf("ReadReply returned %q, not a prefix of %q", raw, data)
		}
		if _, err := Parse(data); err == nil {
			if readErr != nil || !bytes.Equal(raw, data) {
				t.Fatalf("Parse accepts %q, but ReadReply returned %q, %v", data, raw, readErr)
			}
		}
		if readErr == nil {
			_, _ = Parse(raw)
		}
	})
}
