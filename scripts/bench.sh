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
#     (d) the same cluster's follower, for GET
#   and runs redis-benchmark SET, GET and INCR with -c C, at -P 1 and -P 16,
#   each test on its own so that one failing test does not hide the others.
#   GET on (c) and (d) runs once per read consistency level in LEVELS, set
#   on both nodes with CONFIG SET read-consistency before its runs (the
#   benchmark's connections take the level a node gives new connections).
#   Every server is stopped by pid when the script exits, however it exits.
#
# Environment (all optional):
#   N                 requests per test (100000)
#   R                 random keyspace size, redis-benchmark -r (100000)
#   C                 parallel clients, redis-benchmark -c (50)
#   PIPELINES         pipeline depths, redis-benchmark -P ("1 16")
#   LEVELS            read consistency levels for raftis GET, any of stale,
#                     leader and linearizable ("stale")
#   REDIS_PORT        port of (a)                 (default: a free port)
#   REDIS_AOF_PORT    port of (b)                 (default: a free port)
#   RAFTIS_BASE_PORT  RESP ports of (c) are RAFTIS_BASE_PORT..+2, Raft +1000,
#                     HTTP +10000                 (default: free ports)
#   RAFTIS_BIN        raftis binary to use (default: built from this checkout)
#   TMPDIR            where the temporary directories go (the disk under
#                     test for (b) and (c): fsync on tmpfs costs nothing)
#   KEEP_TMP          1: keep the temporary directory (logs, data)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

N=${N:-100000}
R=${R:-100000}
C=${C:-50}
PIPELINES=${PIPELINES:-1 16}
LEVELS=${LEVELS:-stale}
KEEP_TMP=${KEEP_TMP:-0}

log() { printf 'bench.sh: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

for tool in redis-server redis-benchmark redis-cli curl awk; do
	command -v "$tool" >/dev/null || die "$tool is not installed"
done
for v in N R C; do
	[[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number, not '${!v}'"
done
for level in $LEVELS; do
	[[ $level =~ ^(stale|leader|linearizable)$ ]] || die "LEVELS: '$level' is not stale, leader or linearizable"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/raftis-bench.XXXXXX")
pids=()

stop_all() {
	local pid deadline=$((SECONDS + 10))
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "pid $pid did not stop in time: killing it"
			kill -KILL "$pid" 2>/dev/null || true
		fi
		wait "$pid" 2>/dev/null || true
	done
	pids=()
	if [[ $KEEP_TMP == 1 ]]; then
		log "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# pick_port sets PORT to a port nothing listens on, not picked before,
# below Linux's ephemeral range.
picked=" "
pick_port() {
	local try p
	for ((try = 0; try < 1000; try++)); do
		p=$((20000 + RANDOM % 12000))
		[[ $picked == *" $p "* ]] && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			picked+="$p "
			PORT=$p
			return
		fi
	done
	die "no free port found"
}

# wait_until SECONDS WHAT COMMAND...: run COMMAND until it succeeds.
wait_until() {
	local deadline=$((SECONDS + $1)) what=$2
	shift 2
	until "$@" >/dev/null 2>&1; do
		((SECONDS < deadline)) || die "timed out waiting for $what"
		sleep 0.1
	done
}

pong() { [[ $(redis-cli -h 127.0.0.1 -p "$1" PING 2>/dev/null) == PONG ]]; }
ready() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/readyz") == 200 ]]; }

# start_redis NAME PORT ARGS...: a redis-server in $tmp/NAME.
start_redis() {
	local name=$1 port=$2
	shift 2
	mkdir -p "$tmp/$name"
	redis-server --bind 127.0.0.1 --port "$port" --dir "$tmp/$name" --daemonize no \
		--logfile "$tmp/$name.log" "$@" &
	pids+=($!)
	wait_until 20 "redis-server $name on port $port" pong "$port"
}

if [[ -n ${REDIS_PORT:-} ]]; then redis_port=$REDIS_PORT; else
	pick_port
	redis_port=$PORT
fi
if [[ -n ${REDIS_AOF_PORT:-} ]]; then aof_port=$REDIS_AOF_PORT; else
	pick_port
	aof_port=$PORT
fi
raftis_ports=() raft_ports=() http_ports=()
for i in 0 1 2; do
	if [[ -n ${RAFTIS_BASE_PORT:-} ]]; then
		raftis_ports+=($((RAFTIS_BASE_PORT + i)))
		raft_ports+=($((RAFTIS_BASE_PORT + 1000 + i)))
		http_ports+=($((RAFTIS_BASE_PORT + 10000 + i)))
	else
		pick_port
		raftis_ports+=("$PORT")
		pick_port
		raft_ports+=("$PORT")
		pick_port
		http_ports+=("$PORT")
	fi
done

if [[ -n ${RAFTIS_BIN:-} ]]; then
	bin=$RAFTIS_BIN
else
	bin=$tmp/bin/raftis
	log "building raftis"
	(cd "$root" && go build -o "$bin" ./cmd/raftis)
fi

log "starting redis-server (memory only) on 127.0.0.1:$redis_port"
start_redis redis "$redis_port" --save "" --appendonly no
log "starting redis-server (appendfsync always) on 127.0.0.1:$aof_port"
start_redis redis-aof "$aof_port" --save "" --appendonly yes --appendfsync always

start_raftis() {
	local i=$1
	shift
	"$bin" --id "n$((i + 1))" --addr "127.0.0.1:${raftis_ports[i]}" \
		--raft-addr "127.0.0.1:${raft_ports[i]}" --http-addr "127.0.0.1:${http_ports[i]}" \
		--dir "$tmp/raftis/n$((i + 1))" --log-level warn "$@" >>"$tmp/raftis-n$((i + 1)).log" 2>&1 &
	pids+=($!)
}
log "starting a 3-node raftis cluster on 127.0.0.1:${raftis_ports[0]}, ${raftis_ports[1]}, ${raftis_ports[2]}"
start_raftis 0
wait_until 30 "raftis n1 to be ready" ready "${http_ports[0]}"
start_raftis 1 --join "127.0.0.1:${http_ports[0]}"
start_raftis 2 --join "127.0.0.1:${http_ports[0]}"
for i in 0 1 2; do
	wait_until 60 "raftis n$((i + 1)) to be ready" ready "${http_ports[i]}"
done
leader_addr=$(curl -s --max-time 2 "http://127.0.0.1:${http_ports[0]}/status" |
	sed -n 's/.*"leader_redis_addr":"\([^"]*\)".*/\1/p')
leader_port=${leader_addr##*:}
follower_port=
for p in "${raftis_ports[@]}"; do
	if [[ $p != "$leader_port" ]]; then
		follower_port=$p
		break
	fi
done
[[ -n $leader_port && -n $follower_port ]] || die "could not tell the raftis leader from /status"
log "raftis leader on port $leader_port, benchmarking follower on port $follower_port"

# results["target|TEST|P"] = "rps p50 p99", or "error"
declare -A results
errors=()

# bench TARGET PORT TEST P: one redis-benchmark run of one test.
bench() {
	local target=$1 port=$2 test=$3 p=$4 out="$tmp/bench.out" err="$tmp/bench.err" row rc=0
	log "$target: $test -P $p"
	redis-benchmark -h 127.0.0.1 -p "$port" -c "$C" -n "$N" -r "$R" -P "$p" -t "$test" --csv >"$out" 2>"$err" || rc=$?
	row=$(awk -F'","' -v t="$(tr '[:lower:]' '[:upper:]' <<<"$test")" '
		{ gsub(/^"|"$/, "") }
		$1 == t { print $2, $5, $7 }' "$out")
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

# raftis GETs are labelled with their level, but for stale (the default).
label() { if [[ $2 == stale ]]; then echo "$1"; else echo "$1 ($2)"; fi; }

targets=("redis (memory)" "redis (aof always)" "raftis leader" "raftis follower")
for level in $LEVELS; do
	[[ $level == stale ]] && continue
	targets+=("$(label "raftis leader" "$level")" "$(label "raftis follower" "$level")")
done
set_level stale
for p in $PIPELINES; do
	for test in set get incr; do
		bench "${targets[0]}" "$redis_port" "$test" "$p"
		bench "${targets[1]}" "$aof_port" "$test" "$p"
		[[ $test == get && " $LEVELS " != *" stale "* ]] && continue
		bench "${targets[2]}" "$leader_port" "$test" "$p"
	done
	[[ " $LEVELS " == *" stale "* ]] && bench "${targets[3]}" "$follower_port" get "$p"
	for level in $LEVELS; do
		[[ $level == stale ]] && continue
		set_level "$level"
		bench "$(label "raftis leader" "$level")" "$leader_port" get "$p"
		bench "$(label "raftis follower" "$level")" "$follower_port" get "$p"
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

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$root" status --porcelain 2>/dev/null) ]]; then commit+="+dirty"; fi

echo "## raftis vs Redis: redis-benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "- machine: $(nproc) CPU(s), ${cpu:-unknown CPU}; data on $(stat -f -c %T "$tmp") ($tmp)"
echo "- $(redis-server --version | awk '{ print $1, $2, $3 }'); raftis $commit, 3 nodes on this machine"
echo "- redis-benchmark -n $N -r $R -c $C, one test per run; latencies in ms"
echo
echo "| server | test | -P | requests/s | p50 ms | p99 ms |"
echo "|---|---|---:|---:|---:|---:|"
for target in "${targets[@]}"; do
	for p in $PIPELINES; do
		for test in set get incr; do
			key="$target|$test|$p"
			[[ -n ${results[$key]:-} ]] || continue
			r=${results[$key]}
			printf '| %s | %s | %s | %s | %s | %s |\n' "$target" "${test^^}" "$p" \
				"$(fmt_rps "$(field "$r" 1)")" "$(field "$r" 2)" "$(field "$r" 3)"
		done
	done
done
echo
echo "| raftis / redis | -P | req/s ratio | p50 ratio | p99 ratio |"
echo "|---|---:|---:|---:|---:|"
for p in $PIPELINES; do
	for cmp in "SET|raftis leader|set|redis (aof always)" "GET|raftis follower|get|redis (memory)"; do
		IFS='|' read -r label mine test theirs <<<"$cmp"
		a=${results["$mine|$test|$p"]:-error} b=${results["$theirs|$test|$p"]:-error}
		printf '| %s: %s vs %s | %s | %s | %s | %s |\n' "$label" "$mine" "$theirs" "$p" \
			"$(ratio "$(field "$a" 1)" "$(field "$b" 1)")" \
			"$(ratio "$(field "$a" 2)" "$(field "$b" 2)")" \
			"$(ratio "$(field "$a" 3)" "$(field "$b" 3)")"
	done
done
if ((${#errors[@]} > 0)); then
	echo
	echo "Errors:"
	for e in "${errors[@]}"; do
		echo "- $e"
	done
fi
