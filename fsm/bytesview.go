package fsm

import (
	"fmt"
	"unsafe"
)

// Zero-copy views between strings and byte slices. Large collections store
// their elements as strings (one allocation each, no capacity slack), while
// commands and replies work on byte slices. Converting with []byte(s) or
// string(b) would copy every element a command touches; these views do
// not. Both are only for the duration of a command, and a view of a string
// must never be written to.

// bytesView returns s's bytes without copying. The result must not be
// modified.
func bytesView(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// stringView returns b as a string without copying, for lookups that do
// not keep their key. b must not change while the string is in use.
func stringView(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// errDuplicate reports an element repeated in a snapshot or RESTORE
// payload, which Redis refuses as corrupt.
func errDuplicate(what string, name []byte) error {
	return fmt.Errorf("duplicate %s %q", what, name)
}
