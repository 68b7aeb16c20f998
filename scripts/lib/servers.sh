# servers.sh: what bench.sh and memory.sh share: private redis-servers and a
# 3-node raftis cluster on 127.0.0.1, each in a temporary directory, all
# stopped by pid when the script exits, however it exits.
#
# Source it after setting PROG (the script's name, for messages). It needs
# bash 4, redis-server, redis-cli and curl. Environment it reads:
#   RAFTIS_BIN        raftis binary to use (default: built from this checkout)
#   RAFTIS_BASE_PORT  RESP ports of the cluster are RAFTIS_BASE_PORT..+2, Raft
#                     +1000, HTTP +10000 (default: free ports)
#   TMPDIR            where the temporary directory goes (the disk under
#                     test: fsync on tmpfs costs nothing)
#   KEEP_TMP          1: keep the temporary directory (logs, data)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KEEP_TMP=${KEEP_TMP:-0}

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

for tool in redis-server redis-cli curl awk; do
	command -v "$tool" >/dev/null || die "$tool is not installed"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/raftis-$PROG.XXXXXX")
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

# start_redis NAME PORT ARGS...: a redis-server in $tmp/NAME; its pid is
# the last of pids.
start_redis() {
	local name=$1 port=$2
	shift 2
	mkdir -p "$tmp/$name"
	redis-server --bind 127.0.0.1 --port "$port" --dir "$tmp/$name" --daemonize no \
		--logfile "$tmp/$name.log" "$@" &
	pids+=($!)
	wait_until 20 "redis-server $name on port $port" pong "$port"
}

# start_cluster ARGS...: a 3-node raftis cluster with ARGS as extra flags
# of every node. It sets raftis_ports, http_ports and raftis_pids (index i
# is node n<i+1>), leader_port and follower_port (a follower's RESP port),
# leader_pid and leader_http (the leader's HTTP port).
start_cluster() {
	local bin i p raft_ports=()
	raftis_ports=() http_ports=() raftis_pids=()
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
	log "starting a 3-node raftis cluster on 127.0.0.1:${raftis_ports[0]}, ${raftis_ports[1]}, ${raftis_ports[2]}"
	for i in 0 1 2; do
		local join=()
		((i > 0)) && join=(--join "127.0.0.1:${http_ports[0]}")
		"$bin" --id "n$((i + 1))" --addr "127.0.0.1:${raftis_ports[i]}" \
			--raft-addr "127.0.0.1:${raft_ports[i]}" --http-addr "127.0.0.1:${http_ports[i]}" \
			--dir "$tmp/raftis/n$((i + 1))" --log-level warn "${join[@]}" "$@" >>"$tmp/raftis-n$((i + 1)).log" 2>&1 &
		pids+=($!)
		raftis_pids+=($!)
		((i == 0)) && wait_until 30 "raftis n1 to be ready" ready "${http_ports[0]}"
	done
	for i in 0 1 2; do
		wait_until 60 "raftis n$((i + 1)) to be ready" ready "${http_ports[i]}"
	done
	local leader_addr
	leader_addr=$(curl -s --max-time 2 "http://127.0.0.1:${http_ports[0]}/status" |
		sed -n 's/.*"leader_redis_addr":"\([^"]*\)".*/\1/p')
	leader_port=${leader_addr##*:}
	follower_port=
	for i in 0 1 2; do
		p=${raftis_ports[i]}
		if [[ $p == "$leader_port" ]]; then
			leader_pid=${raftis_pids[i]}
			leader_http=${http_ports[i]}
		elif [[ -z $follower_port ]]; then
			follower_port=$p
		fi
	done
	[[ -n $leader_port && -n $follower_port && -n ${leader_pid:-} ]] || die "could not tell the raftis leader from /status"
	log "raftis leader on port $leader_port (HTTP $leader_http), a follower on port $follower_port"
}

# machine_line prints a markdown bullet describing this machine and build.
machine_line() {
	local cpu commit
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)
	commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
	if [[ -n $(git -C "$root" status --porcelain 2>/dev/null) ]]; then commit+="+dirty"; fi
	echo "- machine: $(nproc) CPU(s), ${cpu:-unknown CPU}; data on $(stat -f -c %T "$tmp") ($tmp)"
	echo "- $(redis-server --version | awk '{ print $1, $2, $3 }'); raftis $commit, 3 nodes on this machine"
}
