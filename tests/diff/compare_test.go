package diff

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/raftis/raftis/internal/resp"
)

// Comparers for the replies that may legitimately differ from Redis's bytes.
// Each documents why; each falls back to exactCompare when the replies are
// not of the shape it relaxes (errors, wrong types), so that error replies
// are always compared byte for byte.

// unorderedCompare is for KEYS: Redis documents no order (it walks its hash
// table; raftis walks its B-tree), so the replies must hold the same
// elements, each as often, in any order.
func unorderedCompare(_ *pair, _ []string, want, got []byte) string {
	w, okw := bulkArray(want)
	g, okg := bulkArray(got)
	if !okw || !okg {
		return exactCompare(want, got)
	}
	return compareSets(w, g, false)
}

// scanCompare is for SCAN. Cursors are opaque and differ between
// implementations, and so does which keys come in which call; what Redis
// guarantees is that a full iteration returns every key present throughout
// it (possibly more than once). So a SCAN whose replies are both
// [cursor, keys] is continued on each server, with its own cursors, until
// the cursor is 0, and the two sets of keys are compared. Generators only
// start iterations at cursor 0 (or with an invalid cursor, whose error reply
// is compared exactly).
func scanCompare(p *pair, cmd []string, want, got []byte) string {
	wKeys, wErr := scanAll(p.redis, cmd, want)
	gKeys, gErr := scanAll(p.raftis, cmd, got)
	switch {
	case wErr != nil && gErr != nil:
		return exactCompare(want, got)
	case wErr != nil:
		if why := exactCompare(want, got); why != "" {
			return why
		}
		return "Redis: " + wErr.Error()
	case gErr != nil:
		if why := exactCompare(want, got); why != "" {
			return why
		}
		return "raftis: " + gErr.Error()
	}
	if why := compareSets(wKeys, gKeys, true); why != "" {
		return "full SCAN iteration: " + why
	}
	return ""
}

// scanAll finishes the iteration that first (the reply to cmd) started and
// returns every key it returned.
func scanAll(s *side, cmd []string, first []byte) ([]string, error) {
	return scanAllAt(s, cmd, first, 1)
}

// scanAllAt is scanAll for a command whose cursor is argument at: 1 for
// SCAN, 2 for SSCAN, HSCAN and ZSCAN (after the key).
func scanAllAt(s *side, cmd []string, first []byte, at int) ([]string, error) {
	reply := first
	var keys []string
	for calls := 1; ; calls++ {
		cursor, batch, err := parseScanReply(reply)
		if err != nil {
			return nil, err
		}
		keys = append(keys, batch...)
		if cursor == "0" {
			return keys, nil
		}
		if calls >= 10000 {
			return nil, fmt.Errorf("SCAN did not finish after %d calls", calls)
		}
		next := slices.Clone(cmd)
		next[at] = cursor
		if reply, err = s.do(next...); err != nil {
			return nil, err
		}
	}
}

// parseScanReply splits a SCAN reply: [cursor bulk, [key bulks]].
func parseScanReply(raw []byte) (string, []string, error) {
	v, err := resp.Parse(raw)
	if err != nil || v.Kind != resp.Array || v.Null || len(v.Elems) != 2 ||
		v.Elems[0].Kind != resp.BulkString || v.Elems[1].Kind != resp.Array {
		return "", nil, fmt.Errorf("not a SCAN reply: %s", quoteReply(raw, 200))
	}
	keys, ok := bulkStrings(v.Elems[1])
	if !ok {
		return "", nil, fmt.Errorf("SCAN keys are not all bulk strings: %s", quoteReply(raw, 200))
	}
	cursor := v.Elems[0].Str
	if _, err := strconv.ParseUint(cursor, 10, 64); err != nil {
		return "", nil, fmt.Errorf("SCAN cursor %q is not an unsigned integer", cursor)
	}
	return cursor, keys, nil
}

// randomKeyCompare is for RANDOMKEY: which key comes back is random. Both
// must reply nil (empty database), or both a key that, asked right after
// with EXISTS on the same server, exists.
func randomKeyCompare(p *pair, _ []string, want, got []byte) string {
	w, errw := resp.Parse(want)
	g, errg := resp.Parse(got)
	if errw != nil || errg != nil || w.Kind != resp.BulkString || g.Kind != resp.BulkString || w.Null != g.Null {
		return exactCompare(want, got)
	}
	if w.Null {
		return ""
	}
	for _, check := range []struct {
		s   *side
		key string
	}{{p.redis, w.Str}, {p.raftis, g.Str}} {
		reply, err := check.s.do("EXISTS", check.key)
		if err != nil {
			return err.Error()
		}
		if string(reply) != ":1\r\n" {
			return fmt.Sprintf("%s returned key %q, then EXISTS replied %s", check.s.name, check.key, quoteReply(reply, 80))
		}
	}
	return ""
}

// toleranceCompare is for TTL, PTTL, EXPIRETIME and PEXPIRETIME. A relative
// expiry (EX 5000) is turned into a deadline by each server's clock at the
// moment it runs the command, and the two servers run it a few ms apart;
// TTL and PTTL also count down between the two calls. So two non-negative
// replies may differ by up to tol (in the reply's unit). Negative replies
// (-1 no expiry, -2 no key) and errors compare exactly. Absolute deadlines
// (EXAT/PXAT, far in the future) give equal replies anyway.
func toleranceCompare(tol int64) comparer {
	return func(_ *pair, _ []string, want, got []byte) string {
		w, okw := intReply(want)
		g, okg := intReply(got)
		if !okw || !okg || w < 0 || g < 0 {
			return exactCompare(want, got)
		}
		if d := w - g; d > tol || d < -tol {
			return fmt.Sprintf("differ by %d, more than the tolerance %d", d, tol)
		}
		return ""
	}
}

// compareSets compares two lists of elements as sets (dedup) or as
// multisets.
func compareSets(want, got []string, dedup bool) string {
	want, got = slices.Clone(want), slices.Clone(got)
	slices.Sort(want)
	slices.Sort(got)
	if dedup {
		want = slices.Compact(want)
		got = slices.Compact(got)
	}
	if slices.Equal(want, got) {
		return ""
	}
	return fmt.Sprintf("only Redis has [%s]; only raftis has [%s]", quoteCmd(setDiff(want, got), 40), quoteCmd(setDiff(got, want), 40))
}

// setDiff lists the elements of sorted a that sorted b lacks, with
// multiplicity.
func setDiff(a, b []string) []string {
	var out []string
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j < len(b) && b[j] == x {
			j++
			continue
		}
		out = append(out, x)
	}
	return out
}
