package ranked

import "testing"

// maxFuzzOps bounds the operations one input runs: every step checks every
// replica in full, so long inputs would slow the fuzzer to a crawl.
const maxFuzzOps = 500

// FuzzTree drives the model machine of TestModel from bytes: every four
// bytes are an operation, the replica it applies to and two arguments.
// Small nodes make a few dozen items enough for several levels.
func FuzzTree(f *testing.F) {
	f.Add([]byte{0, 0, 5, 1, 3, 0, 9, 2, 14, 0, 0, 0, 5, 1, 20, 30, 11, 0, 3, 20, 13, 1, 7, 2})
	f.Add([]byte{5, 0, 0, 39, 14, 0, 0, 0, 5, 1, 40, 39, 11, 0, 0, 39, 13, 1, 0, 0, 16, 0, 0, 0})
	f.Add([]byte{4, 0, 1, 1, 4, 0, 2, 2, 4, 0, 3, 3, 4, 0, 4, 4, 4, 0, 5, 5, 14, 0, 0, 0, 10, 1, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 1 {
			return
		}
		m := newMachine(2+int(data[0])%4, 100)
		data = data[1:min(len(data), 1+4*maxFuzzOps)]
		for len(data) >= 4 {
			op, r, x, y := int(data[0]), int(data[1]), int(int8(data[2])), int(data[3])
			data = data[4:]
			if err := m.step(op, r, x*2, y); err != nil {
				t.Fatalf("%v\n%s", err, m.history())
			}
			if err := m.check(); err != nil {
				t.Fatalf("%v\n%s", err, m.history())
			}
		}
	})
}
