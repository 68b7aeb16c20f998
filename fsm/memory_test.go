package fsm

import "testing"

func TestMemoryUsage(t *testing.T) {
	f := New()
	if _, ok := f.MemoryUsage(0, []byte("k"), 0); ok {
		t.Fatal("a missing key has a size")
	}
	f.dbs[0].set(item{key: "k", val: stringValue(make([]byte, 100))})
	soon := make([]byte, 1)
	f.dbs[1].set(item{key: "soon", val: stringValue(soon), expireAt: 1000})
	got, ok := f.MemoryUsage(0, []byte("k"), 0)
	if want := int64(itemOverhead + 1 + 100); !ok || got != want {
		t.Fatalf("MemoryUsage(k) = %d, %v; want %d, true", got, ok, want)
	}
	if got != f.UsedMemory()-int64(itemOverhead+len("soon")+cap(soon)) {
		t.Fatalf("MemoryUsage(k) = %d is not k's share of UsedMemory %d", got, f.UsedMemory())
	}
	if _, ok := f.MemoryUsage(1, []byte("soon"), 999); !ok {
		t.Fatal("a key before its deadline is absent")
	}
	if _, ok := f.MemoryUsage(1, []byte("soon"), 1000); ok {
		t.Fatal("a key at its deadline is present")
	}
	if _, ok := f.MemoryUsage(0, []byte("soon"), 0); ok {
		t.Fatal("MemoryUsage looked in the wrong database")
	}
}
