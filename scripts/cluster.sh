#!/usr/bin/env bash
# cluster.sh: run a local 3-node raftis cluster in the foreground (`make run`).
#
# Usage: scripts/cluster.sh
#
#   Every node runs the same kind of command line: --bootstrap-expect 3 and
#   --join naming the other two. Fresh nodes bootstrap one cluster together
#   once the three know each other; a node with state restarts from it; a
#   node whose directory was wiped joins the cluster again and receives the
#   data (it never bootstraps a cluster of its own). The script waits until
#   every node answers GET /readyz with 200, prints how to connect, and
#   then waits. Ctrl-C (SIGINT) or SIGTERM stops the three nodes cleanly
#   (SIGTERM to each pid, bounded wait) and the script exits 0. Run it
#   again with the same DATA_DIR and the same cluster comes back; delete
#   DATA_DIR to start over.
#   (A script started with & from another script has SIGINT ignored, by
#   POSIX rules, and cannot trap it: stop it with SIGTERM then.)
#
# Environment (all optional):
#   BASE_PORT       RESP port of node 1; nodes listen on BASE_PORT, +1, +2 (6379)
#   RAFT_BASE_PORT  first Raft port (BASE_PORT + 1000)
#   HTTP_BASE_PORT  first HTTP port (BASE_PORT + 10000)
#   HOST            address every node listens on (127.0.0.1)
#   DATA_DIR        Raft data (DATA_DIR/n1 ...) and logs (DATA_DIR/n1.log ...) (./data)
#   BIN             raftis binary (./bin/raftis), built when missing or when BUILD=1
#   BUILD           1: rebuild BIN before starting
#   LOG_LEVEL       raftis log level: debug, info, warn, error (info)
#   READY_TIMEOUT   seconds to wait for the cluster to become ready (60)
#   STOP_TIMEOUT    seconds to wait for the nodes to stop before SIGKILL (15)
#   RAFTIS_*        any other raftis flag, e.g. RAFTIS_SNAPSHOT_THRESHOLD=1024,
#                   RAFTIS_CLUSTER_SECRET_FILE=path
#
# Paths are relative to the current directory; ./bin and ./data are the
# repository's when run from its root, as `make run` does.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

BASE_PORT=${BASE_PORT:-6379}
RAFT_BASE_PORT=${RAFT_BASE_PORT:-$((BASE_PORT + 1000))}
HTTP_BASE_PORT=${HTTP_BASE_PORT:-$((BASE_PORT + 10000))}
HOST=${HOST:-127.0.0.1}
DATA_DIR=${DATA_DIR:-data}
BIN=${BIN:-bin/raftis}
BUILD=${BUILD:-0}
LOG_LEVEL=${LOG_LEVEL:-info}
READY_TIMEOUT=${READY_TIMEOUT:-60}
STOP_TIMEOUT=${STOP_TIMEOUT:-15}

log() { printf 'cluster.sh: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

for v in BASE_PORT RAFT_BASE_PORT HTTP_BASE_PORT READY_TIMEOUT STOP_TIMEOUT; do
	[[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number, not '${!v}'"
done
for v in BASE_PORT RAFT_BASE_PORT HTTP_BASE_PORT; do
	((${!v} >= 1 && ${!v} + 2 <= 65535)) || die "$v=${!v}: ports ${!v}..$((${!v} + 2)) are out of range"
done
command -v curl >/dev/null || die "curl is needed to check the nodes' HTTP API"

ids=(n1 n2 n3)
redis_addrs=() raft_addrs=() http_addrs=() dirs=() logs=()
for i in 0 1 2; do
	redis_addrs+=("$HOST:$((BASE_PORT + i))")
	raft_addrs+=("$HOST:$((RAFT_BASE_PORT + i))")
	http_addrs+=("$HOST:$((HTTP_BASE_PORT + i))")
	dirs+=("$DATA_DIR/${ids[i]}")
	logs+=("$DATA_DIR/${ids[i]}.log")
done

if [[ $BUILD == 1 || ! -x $BIN ]]; then
	log "building $BIN"
	mkdir -p "$(dirname "$BIN")"
	bin_abs="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
	(cd "$root" && go build -o "$bin_abs" ./cmd/raftis)
fi

# A node has state once its Raft store exists.
# (raft.db for the boltdb store, wal/wal-meta.db for raft-wal.)
has_state() { [[ -s ${dirs[$1]}/raft.db || -s ${dirs[$1]}/wal/wal-meta.db ]]; }
fresh=1
for i in 0 1 2; do
	if has_state "$i"; then
		fresh=0
	fi
done
mkdir -p "$DATA_DIR"

pids=(0 0 0)

# start_node I: start node I in the background, logging to its log file.
# Every node expects three members and joins through the other two: fresh
# nodes bootstrap together, a node with state restarts from it (its join
# is a no-op), a wiped node joins again.
start_node() {
	local i=$1 j others=()
	for j in 0 1 2; do
		if ((j != i)); then
			others+=("${http_addrs[j]}")
		fi
	done
	"$BIN" --id "${ids[i]}" --addr "${redis_addrs[i]}" --raft-addr "${raft_addrs[i]}" \
		--http-addr "${http_addrs[i]}" --dir "${dirs[i]}" --log-level "$LOG_LEVEL" \
		--bootstrap-expect 3 --join "$(
			IFS=,
			echo "${others[*]}"
		)" >>"${logs[i]}" 2>&1 &
	pids[i]=$!
	log "started ${ids[i]} (pid ${pids[i]}): RESP ${redis_addrs[i]}, HTTP ${http_addrs[i]}, log ${logs[i]}"
}

alive() { (($1 > 0)) && kill -0 "$1" 2>/dev/null; }

# stop_nodes: SIGTERM every running node, wait up to STOP_TIMEOUT seconds,
# SIGKILL what is left. Returns 1 if a node had to be killed.
stop_nodes() {
	local i pid deadline forced=0
	for i in 0 1 2; do
		if alive "${pids[i]}"; then
			kill -TERM "${pids[i]}" 2>/dev/null || true
		fi
	done
	deadline=$((SECONDS + STOP_TIMEOUT))
	for i in 0 1 2; do
		pid=${pids[i]}
		while alive "$pid" && ((SECONDS < deadline)); do
			sleep 0.1
		done
		if alive "$pid"; then
			log "${ids[i]} (pid $pid) did not stop within ${STOP_TIMEOUT}s: killing it"
			kill -KILL "$pid" 2>/dev/null || true
			forced=1
		fi
		if ((pid > 0)); then
			wait "$pid" 2>/dev/null || true
		fi
		pids[i]=0
	done
	return "$forced"
}

on_signal() {
	trap '' INT TERM
	log "stopping the cluster"
	if stop_nodes; then
		log "all nodes stopped"
		exit 0
	fi
	exit 1
}
trap on_signal INT TERM
trap 'stop_nodes || true' EXIT

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$1$2" || true; }

# wait_ready I...: wait until each node I answers /readyz with 200.
wait_ready() {
	local i deadline=$((SECONDS + READY_TIMEOUT))
	for i in "$@"; do
		until [[ $(http_code "${http_addrs[i]}" /readyz) == 200 ]]; do
			if ! alive "${pids[i]}"; then
				log "${ids[i]} exited; last lines of ${logs[i]}:"
				tail -n 20 "${logs[i]}" >&2 || true
				exit 1
			fi
			((SECONDS < deadline)) || die "${ids[i]} not ready after ${READY_TIMEOUT}s (see ${logs[i]})"
			sleep 0.2
		done
	done
}

if ((fresh)); then
	log "no state in $DATA_DIR: the nodes bootstrap a new cluster together"
else
	log "restarting the cluster from $DATA_DIR"
fi
start_node 0
start_node 1
start_node 2
wait_ready 0 1 2

status=$(curl -s --max-time 2 "http://${http_addrs[0]}/status" || true)
leader_id=$(sed -n 's/.*"leader":"\([^"]*\)".*/\1/p' <<<"$status")
leader_addr=$(sed -n 's/.*"leader_redis_addr":"\([^"]*\)".*/\1/p' <<<"$status")

{
	echo
	echo "raftis cluster is ready: 3 nodes, leader ${leader_id:-?} at ${leader_addr:-?}"
	echo
	printf '  %-4s  %-21s  %-21s  %s\n' node RESP HTTP pid
	for i in 0 1 2; do
		printf '  %-4s  %-21s  %-21s  %s\n' "${ids[i]}" "${redis_addrs[i]}" "${http_addrs[i]}" "${pids[i]}"
	done
}
cat <<EOF

Connect:  redis-cli -h $HOST -p $BASE_PORT SET greeting hello
          redis-cli -h $HOST -p $((BASE_PORT + 1)) GET greeting   (followers forward writes too)
          redis-cli -h $HOST -p $BASE_PORT INFO replication
Status:   curl http://${http_addrs[0]}/status
Logs:     $DATA_DIR/n1.log, n2.log, n3.log
Press Ctrl-C to stop the cluster.

EOF

# Wait for a signal; report nodes that exit on their own meanwhile.
while :; do
	running=0
	for i in 0 1 2; do
		if alive "${pids[i]}"; then
			running=1
		elif ((pids[i] > 0)); then
			rc=0
			wait "${pids[i]}" || rc=$?
			log "${ids[i]} (pid ${pids[i]}) exited with status $rc; see ${logs[i]}"
			pids[i]=0
		fi
	done
	((running)) || die "every node has exited"
	sleep 1 &
	wait $! || true
done
