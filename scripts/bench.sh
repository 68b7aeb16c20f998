#!/usr/bin/env bash
# bench.sh: compare raftis with stock Redis on this machine, with
# redis-benchmark, and print the results as markdown tables.
#
# Usage: scripts/bench.sh            (N=20000 scripts/bench.sh for a quick run)
#
#   It starts, each in its own temporary directory and listening on
#   127.0.0.1 only:
#     (a) redis-server, memory only (--save "" --appendonly no)
#     (b) redis-server, --appendonly yes --appendfsync always
#     (c) a 3-node raftis cluster, benchmarked on its leader
#     (d) the same cluster's follower, for the reads
#   and runs redis-benchmark with -c C, at -P 1 and -P 16, one test per
#   run so that one failing test does not hide the others: the writes SET,
#   INCR, LPUSH, LPOP, SADD, HSET, ZADD on (a), (b), (c), the reads GET and
#   LRANGE_100 on all four. The ratios compare durable writes with (b) and
#   reads with (a); the targets are: every write at least SET's ratio,
#   reads at least 0.8. GET on (c) and (d) also runs once per read
#   consistency level in LEVELS other than stale, set on both nodes with
#   CONFIG SET read-consistency before its runs (the benchmark's
#   connections take the level a node gives new connections). Every server
#   is stopped by pid when the script exits, however it exits.
#
# Environment (all optional):
#   N                 requests per test (100000)
#   R                 random keyspace size, redis-benchmark -r (100000)
#   C                 parallel clients, redis-benchmark -c (50)
#   PIPELINES         pipeline depths, redis-benchmark -P ("1 16")
#   WRITES, READS     the tests to run ("set incr lpush lpop sadd hset zadd",
#                     "get lrange_100")
#   LEVELS            read consistency levels for raftis GET, any of stale,
#                     leader and linearizable ("stale")
#   REDIS_PORT        port of (a)                 (default: a free port)
#   REDIS_AOF_PORT    port of (b)                 (default: a free port)
#   RAFTIS_BASE_PORT, RAFTIS_BIN, TMPDIR, KEEP_TMP: see scripts/lib/servers.sh
#   GOMAXPROCS        inherited by the raftis nodes (not by Redis): on a small
#                     machine shared by three nodes and the client, 1 gives
#                     each node its share of the cores (README, Performance)
set -euo pipefail

PROG=bench.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"

N=${N:-100000}
R=${R:-100000}
C=${C:-50}
PIPELINES=${PIPELINES:-1 16}
WRITES=${WRITES:-set incr lpush lpop sadd hset zadd}
READS=${READS:-get lrange_100}
LEVELS=${LEVELS:-stale}

command -v redis-benchmark >/dev/null || die "redis-benchmark is not installed"
for v in N R C; do
	[[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number, not '${!v}'"
done
for level in $LEVELS; do
	[[ $level =~ ^(stale|leader|linearizable)$ ]] || die "LEVELS: '$level' is not stale, leader or linearizable"
done

if [[ -n ${REDIS_PORT:-} ]]; then redis_port=$REDIS_PORT; else
	pick_port
	redis_port=$PORT
fi
if [[ -n ${REDIS_AOF_PORT:-} ]]; then aof_port=$REDIS_AOF_PORT; else
	pick_port
	aof_port=$PORT
fi
log "starting redis-server (memory only) on 127.0.0.1:$redis_port"
start_redis redis "$redis_port" --save "" --appendonly no
log "starting redis-server (appendfsync always) on 127.0.0.1:$aof_port"
start_redis redis-aof "$aof_port" --save "" --appendonly yes --appendfsync always
start_cluster

# results["target|TEST|P"] = "rps p50 p99", or "error"
declare -A results
errors=()

# bench TARGET PORT TEST P: one redis-benchmark run of one test. A test
# that fills a list first (LRANGE_*) prints that as a row of its own; the
# row kept is the one named TEST (alone or followed by " (...)").
bench() {
	local target=$1 port=$2 test=$3 p=$4 out="$tmp/bench.out" err="$tmp/bench.err" row rc=0
	log "$target: $test -P $p"
	redis-benchmark -h 127.0.0.1 -p "$port" -c "$C" -n "$N" -r "$R" -P "$p" -t "$test" --csv >"$out" 2>"$err" || rc=$?
	row=$(awk -F'","' -v t="${test^^}" '
		{ gsub(/^"|"$/, "") }
		$1 == t || index($1, t " (") == 1 { print $2, $5, $7 }' "$out")
	if ((rc != 0)) || [[ -z $row ]] || grep -q Error "$out" "$err"; then
		results["$target|$test|$p"]=error
		errors+=("$target $test -P $p: $(grep -h -m1 -i error "$err" "$out" || echo "exit status $rc")")
		return
	fi
	results["$target|$test|$p"]=$row
}

# set_level LEVEL: the read level of new connections on both raftis nodes.
set_level() {
	local port
	for port in "$leader_port" "$follower_port"; do
		[[ $(redis-cli -h 127.0.0.1 -p "$port" CONFIG SET read-consistency "$1") == OK ]] ||
			die "CONFIG SET read-consistency $1 on port $port failed"
	done
}

targets=("redis (memory)" "redis (aof always)" "raftis leader" "raftis follower")
levels=()
for level in $LEVELS; do
	[[ $level == stale ]] || levels+=("$level")
done
for level in "${levels[@]}"; do
	targets+=("raftis leader ($level)" "raftis follower ($level)")
done
for p in $PIPELINES; do
	# Each server runs the tests in this order, so LPOP pops what LPUSH
	# pushed (both use one list).
	for test in $WRITES $READS; do
		bench "${targets[0]}" "$redis_port" "$test" "$p"
		bench "${targets[1]}" "$aof_port" "$test" "$p"
		bench "${targets[2]}" "$leader_port" "$test" "$p"
	done
	for test in $READS; do
		bench "${targets[3]}" "$follower_port" "$test" "$p"
	done
	for level in "${levels[@]}"; do
		set_level "$level"
		bench "raftis leader ($level)" "$leader_port" get "$p"
		bench "raftis follower ($level)" "$follower_port" get "$p"
		set_level stale
	done
done

# field RESULT N: the Nth number of a result, or "error".
field() {
	if [[ $1 == error || -z $1 ]]; then
		echo error
	else
		awk -v n="$2" '{ print $n }' <<<"$1"
	fi
}
ratio() {
	if [[ $1 == error || $2 == error ]]; then
		echo n/a
	else
		awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
	fi
}
fmt_rps() {
	if [[ $1 == error ]]; then echo error; else awk -v x="$1" 'BEGIN { printf "%.0f", x }'; fi
}
# verdict RATIO TARGET: "met" when RATIO >= TARGET, else "missed".
verdict() {
	if [[ $1 == n/a || $2 == n/a ]]; then
		echo n/a
	else
		awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "met" : "missed") }'
	fi
}

echo "## raftis vs Redis: redis-benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
machine_line
echo "- redis-benchmark -n $N -r $R -c $C, one test per run; latencies in ms"
echo
echo "| server | test | -P | requests/s | p50 ms | p99 ms |"
echo "|---|---|---:|---:|---:|---:|"
for target in "${targets[@]}"; do
	for p in $PIPELINES; do
		for test in $WRITES $READS; do
			key="$target|$test|$p"
			[[ -n ${results[$key]:-} ]] || continue
			r=${results[$key]}
			printf '| %s | %s | %s | %s | %s | %s |\n' "$target" "${test^^}" "$p" \
				"$(fmt_rps "$(field "$r" 1)")" "$(field "$r" 2)" "$(field "$r" 3)"
		done
	done
done
echo
echo "Writes: raftis leader vs redis (aof always), target at least SET's req/s ratio."
echo "Reads: raftis vs redis (memory), target at least 0.8."
echo
echo "| test | raftis / redis | -P | req/s ratio | target | p50 ratio | p99 ratio |"
echo "|---|---|---:|---:|---|---:|---:|"
row() {
	local label=$1 mine=$2 test=$3 theirs=$4 p=$5 target=$6 a b r
	a=${results["$mine|$test|$p"]:-error} b=${results["$theirs|$test|$p"]:-error}
	r=$(ratio "$(field "$a" 1)" "$(field "$b" 1)")
	printf '| %s | %s / %s | %s | %s | %s | %s | %s |\n' "${test^^}" "$mine" "$theirs" "$p" "$r" \
		"$label $(verdict "$r" "$target")" \
		"$(ratio "$(field "$a" 2)" "$(field "$b" 2)")" "$(ratio "$(field "$a" 3)" "$(field "$b" 3)")"
}
for p in $PIPELINES; do
	set_ratio=$(ratio "$(field "${results["raftis leader|set|$p"]:-error}" 1)" \
		"$(field "${results["redis (aof always)|set|$p"]:-error}" 1)")
	for test in $WRITES; do
		row "≥ $set_ratio:" "raftis leader" "$test" "redis (aof always)" "$p" "$set_ratio"
	done
	for test in $READS; do
		row "≥ 0.8:" "raftis follower" "$test" "redis (memory)" "$p" 0.8
		row "≥ 0.8:" "raftis leader" "$test" "redis (memory)" "$p" 0.8
	done
	for level in "${levels[@]}"; do
		row "cost of $level:" "raftis follower ($level)" get "raftis follower" "$p" n/a
		row "cost of $level:" "raftis leader ($level)" get "raftis leader" "$p" n/a
	done
done
if ((${#errors[@]} > 0)); then
	echo
	echo "Errors:"
	for e in "${errors[@]}"; do
		echo "- $e"
	done
fi
