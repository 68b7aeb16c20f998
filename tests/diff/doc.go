// Package diff is the differential Redis-compatibility test of raftis: it
// sends the same command sequences to an in-process raftis cluster and to a
// real redis-server (7.0.15, the version raftis reproduces) and compares the
// replies byte for byte.
//
// TestDiffRandom sends a random sequence, generated from a seed, once to the
// leader and once to a follower; TestDiffKnownCases replays a fixed table of
// tricky cases. Both need /usr/bin/redis-server (or redis-server on PATH):
// without it they are skipped, unless the environment variable CI is set,
// in which case they fail.
//
// Knobs (environment variables):
//
//	DIFF_SEED=123        seed of the random sequence (default: time-based, logged)
//	DIFF_N=2000          commands per run (default 2000, and then each run
//	                     also stops after 7 s, so that a loaded machine
//	                     stays under 30 s; setting DIFF_N lifts that cap)
//	DIFF_ONLY=get,set    generate only these commands, or the commands of
//	                     these families (DIFF_ONLY=lists); changes the sequence
//	DIFF_SKIP=incrbyfloat  never generate these commands or families (changes
//	                     the sequence)
//	DIFF_KEEP_GOING=1    do not stop at the first mismatch: record the first
//	                     mismatch of each command, reset both servers, go on,
//	                     and report them all at the end
//	DIFF_SHRINK=0        do not shorten a failing sequence (shrink_test.go;
//	                     on by default, up to 90 s per mismatch)
//	DIFF_STATS=1         log, per generator, how many of Redis's replies
//	                     were errors, nil or other (to tune generators)
//
// A failure prints the seed, the index, the command, both replies, the
// commands before it, a shortened sequence that fails the same way from
// empty servers, and the go test line that replays the run. The sequence of
// a seed depends only on the seed and on the generator table (DIFF_ONLY,
// DIFF_SKIP, and any change to the generators, change it).
//
// A raftis reply such as -UNCERTAIN or -CLUSTERDOWN (an election under
// load) is reported as "(cluster availability)", not as a compatibility
// mismatch.
//
// Adding a family of commands (hashes, lists, ...) means adding a file with
// an init function that calls register with one cmdGen per command: a
// generator (type gen) and, when the reply may legitimately differ from
// Redis's bytes (unordered, time-dependent), a comparer. See harness_test.go.
package diff
