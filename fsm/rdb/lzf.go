package rdb

// lzfMaxRatio bounds LZF expansion: the longest back-reference is 3 input
// bytes producing 7+255+2 = 264 output bytes.
const lzfMaxRatio = 88

// lzfDecompress expands the LZF stream in into out, which must come out
// exactly full (liblzf's lzf_d.c format, as used by Redis):
//
//	000LLLLL                      literal run of L+1 bytes
//	LLLooooo oooooooo             back-reference, length L+2 (L<7)
//	111ooooo LLLLLLLL oooooooo    back-reference, length L+9
//
// where the reference starts o+1 bytes before the current output position.
func lzfDecompress(in, out []byte) error {
	ip, op := 0, 0
	for ip < len(in) {
		ctrl := int(in[ip])
		ip++
		if ctrl < 1<<5 {
			n := ctrl + 1
			if ip+n > len(in) {
				return corruptf("LZF literal run past end of input")
			}
			if op+n > len(out) {
				return corruptf("LZF output longer than declared %d bytes", len(out))
			}
			copy(out[op:], in[ip:ip+n])
			ip += n
			op += n
			continue
		}
		n := ctrl >> 5
		ref := op - (ctrl&0x1F)<<8 - 1
		if ip >= len(in) {
			return corruptf("LZF back-reference past end of input")
		}
		if n == 7 {
			n += int(in[ip])
			ip++
			if ip >= len(in) {
				return corruptf("LZF back-reference past end of input")
			}
		}
		ref -= int(in[ip])
		ip++
		n += 2
		if op+n > len(out) {
			return corruptf("LZF output longer than declared %d bytes", len(out))
		}
		if ref < 0 {
			return corruptf("LZF back-reference before start of output")
		}
		// Byte by byte: source and destination may overlap.
		for i := range n {
			out[op+i] = out[ref+i]
		}
		op += n
	}
	if op != len(out) {
		return corruptf("LZF output is %d bytes, declared %d", op, len(out))
	}
	return nil
}
