package diff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Shortening a failing sequence.
//
// A mismatch found after thousands of commands is hard to read from the
// 20 commands before it. So the run keeps every step since the servers
// were last emptied (the trail), and on a mismatch shrink looks for a
// short subsequence that still fails at the same command, replaying
// candidates from empty servers: first the last 200, 2,000 or 20,000
// steps of the trail (the first of those that fails), then delta
// debugging (Zeller's ddmin) over the steps before the failing one. Every
// reply of a replay is compared, with the same comparers as in the run,
// and a candidate counts only if its last step is the first to disagree,
// so a shorter sequence that fails elsewhere never replaces the real one.
// The report prints the shortened sequence; it is a lead, not a proof:
// timing (expiry, blocking) can make a replay pass where the run failed,
// and then the report says so.

// shrinkBudget bounds the time spent shortening one mismatch.
const shrinkBudget = 90 * time.Second

// trailLimit bounds the steps a run keeps since the last reset: a trail
// longer than the longest suffix shrink tries is of no use.
const trailLimit = 20000

// shrinkResult is what shrink found.
type shrinkResult struct {
	steps    []step // the shortest failing sequence found, the failing step last
	replays  int    // sequences replayed
	from     int    // steps in the trail
	complete bool   // ddmin ran to the end (no single step can be removed)
	note     string // why there is no shortened sequence
}

// shrink shortens trail (whose last step failed); see the top of the file.
func shrink(p *pair, trail []step) shrinkResult {
	res := shrinkResult{from: len(trail)}
	deadline := time.Now().Add(shrinkBudget)
	fails := func(seq []step) bool {
		res.replays++
		at, err := replayTrail(p, seq)
		return err == nil && at == len(seq)-1
	}
	var seq []step
	for _, n := range []int{200, 2000, trailLimit} {
		start := max(0, len(trail)-n)
		if fails(trail[start:]) {
			seq = trail[start:]
			break
		}
		if start == 0 {
			break
		}
	}
	if seq == nil {
		res.note = fmt.Sprintf("the last %d steps, replayed from empty servers, do not fail at the same command (timing?)", len(trail))
		return res
	}
	last, prefix := seq[len(seq)-1], seq[:len(seq)-1]
	with := func(prefix []step) []step { return append(append([]step(nil), prefix...), last) }
	n := 2
	for len(prefix) > 0 {
		if time.Now().After(deadline) {
			res.steps = with(prefix)
			return res
		}
		chunk := (len(prefix) + n - 1) / n
		reduced := false
		for start := 0; start < len(prefix) && time.Now().Before(deadline); start += chunk {
			cand := append(append([]step(nil), prefix[:start]...), prefix[min(start+chunk, len(prefix)):]...)
			if fails(with(cand)) {
				prefix, n, reduced = cand, max(n-1, 2), true
				break
			}
		}
		if !reduced {
			if chunk == 1 {
				break
			}
			n = min(2*n, len(prefix))
		}
	}
	res.steps, res.complete = with(prefix), true
	return res
}

// replayTrail empties both servers, sends steps as the run sent them
// (pipelined groups in one write) and compares every reply. It returns the
// position of the first step whose replies disagree, or -1; an error if a
// server could not be reached or raftis was unavailable (no verdict).
func replayTrail(p *pair, steps []step) (int, error) {
	if err := p.reconnect(); err != nil {
		return -1, err
	}
	if _, err := p.reset(); err != nil {
		return -1, err
	}
	var pending []replies
	for j, st := range steps {
		want, got, err := p.sendStep(steps, j, &pending)
		if err != nil {
			return -1, err
		}
		if availabilityError(got) && !availabilityError(want) {
			return -1, fmt.Errorf("raftis unavailable: %s", quoteReply(got, 80))
		}
		if compare(st.cmp, p, st.cmd, want, got) != "" {
			return j, nil
		}
	}
	return -1, nil
}

// String renders the shortened sequence for a report.
func (s *shrinkResult) String() string {
	var b strings.Builder
	if s.steps == nil {
		fmt.Fprintf(&b, "  not shortened: %s\n", s.note)
		return b.String()
	}
	state := "no step can be removed"
	if !s.complete {
		state = "stopped at the time limit"
	}
	fmt.Fprintf(&b, "  shortened to %d of the %d steps since the servers were emptied (%d replays, %s); from empty servers:\n",
		len(s.steps), s.from, s.replays, state)
	for _, st := range s.steps {
		pipe := ""
		if st.pipe {
			pipe = "(pipelined) "
		}
		fmt.Fprintf(&b, "    %s%s%s\n", connNote(st.conn), pipe, quoteCmd(st.cmd, 0))
	}
	return b.String()
}

// TestShrinkFindsTheCause shortens a sequence whose last command "fails"
// (a comparer that objects to k0 holding 7) only because of one command
// among 120: shrink must keep exactly that one and the failing command.
// Both sides of the pair are one redis-server: the harness is under test,
// not a server.
func TestShrinkFindsTheCause(t *testing.T) {
	addr := startRedis(t)
	p := dialPair(t, addr, addr)
	objects := func(_ *pair, _ []string, want, _ []byte) string {
		if string(want) == "$1\r\n7\r\n" {
			return "k0 holds 7"
		}
		return ""
	}
	var trail []step
	for i := range 120 {
		cmd := []string{"SET", keySpace[1+i%3], strconv.Itoa(i)}
		switch i {
		case 10:
			cmd = []string{"SET", "k0", "3"}
		case 70:
			cmd = []string{"SET", "k0", "7"}
		}
		trail = append(trail, step{cmd: cmd, pipe: i%7 == 0})
	}
	trail = append(trail, step{cmd: []string{"GET", "k0"}, cmp: objects})

	res := shrink(p, trail)
	got := make([]string, len(res.steps))
	for i, st := range res.steps {
		got[i] = strings.Join(st.cmd, " ")
	}
	if want := []string{"SET k0 7", "GET k0"}; !slices.Equal(got, want) || !res.complete {
		t.Fatalf("shrink kept %q (complete: %v), want %q\n%s", got, res.complete, want, res.String())
	}
	t.Logf("%d replays", res.replays)

	// A trail whose last step passes on replay is reported as not shortened.
	res = shrink(p, trail[:70])
	if res.steps != nil || res.note == "" {
		t.Fatalf("a passing trail was shortened to %d steps", len(res.steps))
	}
}
