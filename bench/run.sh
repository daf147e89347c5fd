#!/usr/bin/env bash
# Builds the load generator, the peers and sseflights, runs the benchmark matrix on loopback and
# writes RESULTS.md, results.json and p99-latency.svg. Every knob is an environment variable
# (see bench/README.md); a quick end-to-end check:
#   BENCH_NS="100 500" BENCH_REPS=1 BENCH_SECONDS=5 BENCH_SCALE_N=500 BENCH_OUT=/tmp/bench bench/run.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

ns=${BENCH_NS:-"100 1000 2000 5000 10000"}
reps=${BENCH_REPS:-3}
servers=${BENCH_SERVERS:-"sseflights sseflights-aot node kestrel limit"}
modes=${BENCH_MODES:-"steady throughput stalled storm soak close scale live"}
window=${BENCH_SECONDS:-30}
settle=${BENCH_SETTLE:-2}
concurrency=${BENCH_CONNECT_CONCURRENCY:-500}
# Clients spread over this many loopback source addresses (see README: one address runs out of fast ephemeral ports near 14,000).
source_addresses=${BENCH_SOURCE_ADDRESSES:-8}
throughput_n=${BENCH_THROUGHPUT_N:-1000}
throughput_rate=${BENCH_THROUGHPUT_RATE:-2000}
throughput_speed=${BENCH_THROUGHPUT_SPEED:-10}
throughput_window=${BENCH_THROUGHPUT_SECONDS:-10}
stall_n=${BENCH_STALL_N:-1000}
stalled=${BENCH_STALLED:-50}
stall_warmup=${BENCH_STALL_WARMUP:-15}
storm_n=${BENCH_STORM_N:-5000}
storm_drop_at=${BENCH_STORM_DROP_AT:-25.05}
soak_n=${BENCH_SOAK_N:-200}
soak_seconds=${BENCH_SOAK_SECONDS:-180}
soak_retry=${BENCH_SOAK_RETRY:-250}
soak_drop_every=${BENCH_SOAK_DROP_EVERY:-0.5}
close_ns=${BENCH_CLOSE_NS:-2000}
close_window=${BENCH_CLOSE_SECONDS:-10}
scale_n=${BENCH_SCALE_N:-18000}
scale_window=${BENCH_SCALE_SECONDS:-30}
scale_drop_at=${BENCH_SCALE_DROP_AT:-45.95}
live_ns=${BENCH_LIVE_NS:-2000}
live_rate=${BENCH_LIVE_RATE:-10}
nats_server=${BENCH_NATS_SERVER:-/usr/sbin/nats-server}
run_timeout=${BENCH_RUN_TIMEOUT:-600}
out=${BENCH_OUT:-$here/results}
sseflights=${BENCH_SSEFLIGHTS:-$repo/SseFlights/bin/Release/net10.0/sseflights}
# The Native AOT binary that deploy/ ships, published here by this script (artifacts/ is not committed).
sseflights_aot_dir=$repo/artifacts/bench-aot
sseflights_aot=$sseflights_aot_dir/sseflights
kestrel="$here/peers/kestrel/bin/Release/net10.0/kestrel-peer"
node_peer="$here/peers/node/server.js"
limit_peer="$here/peers/limit/limit-peer"
bench_dll="$here/SseFlights.Bench/bin/Release/net10.0/sseflights-bench.dll"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

remove_server() { # name: drops it from $servers (whole words only: sseflights is not sseflights-aot)
  local s kept=""
  for s in $servers; do [[ $s == "$1" ]] || kept+="$s "; done
  servers=$kept
}

# --- build ----------------------------------------------------------------------------------
log "building the load generator and the Kestrel peer"
dotnet build -c Release -nologo -v q "$here/SseFlights.Bench/SseFlights.Bench.csproj" >&2
dotnet build -c Release -nologo -v q "$here/peers/kestrel/KestrelPeer.csproj" >&2
if [[ " $servers " == *" sseflights "* && ${BENCH_BUILD_SSEFLIGHTS:-1} == 1 ]]; then
  log "building sseflights"
  if ! dotnet build -c Release -nologo -v q "$repo/SseFlights/SseFlights.csproj" >&2; then
    log "sseflights does not build: running the peers only"
    remove_server sseflights
  fi
fi
if [[ " $servers " == *" sseflights "* && ! -x $sseflights ]]; then
  log "no sseflights executable at $sseflights: running the peers only"
  remove_server sseflights
fi
if [[ " $servers " == *" sseflights-aot "* ]]; then
  log "publishing the Native AOT build of sseflights"
  if ! dotnet publish -c Release -r linux-x64 -p:PublishAot=true -nologo -v q -o "$sseflights_aot_dir" "$repo/SseFlights/SseFlights.csproj" >&2; then
    log "the Native AOT publish failed (it needs clang and zlib1g-dev): running without sseflights-aot"
    remove_server sseflights-aot
  fi
fi
if [[ " $servers " == *" limit "* ]]; then
  if ! command -v gcc >/dev/null; then
    log "gcc is not installed: skipping the limit peer"
    remove_server limit
  else
    log "building the limit peer"
    if ! gcc -std=c11 -O2 -Wall -Wextra -o "$limit_peer" "$here/peers/limit/limit-peer.c" >&2; then
      log "the limit peer does not build: skipping it"
      remove_server limit
    fi
  fi
fi
if [[ " $servers " == *" node "* ]] && ! command -v node >/dev/null; then
  log "node is not installed: skipping the Node peer"
  remove_server node
fi
read -r -a server_list <<<"$servers"
((${#server_list[@]} > 0)) || { log "no server to run"; exit 1; }

# --- limits ---------------------------------------------------------------------------------
# Each stream is a file descriptor in the server and one in the generator.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
largest=$stall_n
for n in $ns $throughput_n $storm_n $soak_n $scale_n; do ((n > largest)) && largest=$n; done
# A live run holds N streams on each of its two replicas.
for n in $live_ns; do ((2 * n > largest)) && largest=$((2 * n)); done
if (($(ulimit -n) < largest + stalled + 1000)); then
  log "warning: ulimit -n is $(ulimit -n), below the $((largest + stalled + 1000)) the largest run needs"
fi

# --- scenarios ------------------------------------------------------------------------------
stamp=$(date -u +%Y%m%dT%H%M%SZ)
raw="$out/raw/$stamp"
mkdir -p "$raw/logs"
storm_seconds=$(awk -v d="$storm_drop_at" 'BEGIN { print d + 60 }')
# The soak's drops start at 5.05 s, after its clients are in; a minute past the window covers the drain.
soak_scenario_seconds=$(awk -v s="$soak_seconds" 'BEGIN { print s + 60 }')
dotnet "$bench_dll" scenarios --out "$here/scenarios" \
  --throughput-rate "$throughput_rate" --throughput-speed "$throughput_speed" \
  --throughput-seconds "$(awk -v w="$throughput_window" 'BEGIN { print w + 20 }')" \
  --storm-drop-at "$storm_drop_at" --storm-seconds "$storm_seconds" \
  --soak-drop-every "$soak_drop_every" --soak-seconds "$soak_scenario_seconds" \
  --close-after "$(awk -v w="$close_window" 'BEGIN { print w + 15 }')" \
  --scale-drop-at "$scale_drop_at" --scale-seconds "$(awk -v d="$scale_drop_at" 'BEGIN { print int(d + 45) }')"
cp -r "$here/scenarios" "$raw/scenarios"
runs="$raw/runs.jsonl"
: >"$runs"
live_runs="$raw/live.jsonl"
: >"$live_runs"

# --- one run --------------------------------------------------------------------------------
pidfile="$raw/server.pid"
stop_leftover_server() {
  # Only if the bench itself was killed before it could stop the server it started.
  if [[ -s $pidfile ]]; then
    local pid
    pid=$(<"$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping leftover server $pid"
      kill -TERM "$pid" 2>/dev/null || true
      sleep 3
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  fi
}
stop_leftover_live() {
  # Only if a live run was killed before it could stop what it started: nats-server and its two replicas.
  local file pid
  for file in "$raw"/live-*.pid; do
    [[ -s $file ]] || continue
    pid=$(<"$file")
    kill -0 "$pid" 2>/dev/null && { log "stopping leftover $(basename "$file" .pid) $pid"; kill -TERM "$pid" 2>/dev/null || true; }
    rm -f "$file"
  done
}
trap 'stop_leftover_server; stop_leftover_live' EXIT

run_one() { # server mode n rep args...
  local server=$1 mode=$2 n=$3 rep=$4
  shift 4
  local path
  case $server in
    sseflights) path=$sseflights ;;
    sseflights-aot) path=$sseflights_aot ;;
    node) path=$node_peer ;;
    kestrel) path=$kestrel ;;
    limit) path=$limit_peer ;;
  esac
  timeout -k 15 "$run_timeout" dotnet "$bench_dll" --kind "${server%-aot}" --label "$server" --server "$path" \
    --mode "$mode" --clients "$n" --rep "$rep" --connect-concurrency "$concurrency" --source-addresses "$source_addresses" \
    --server-log "$raw/logs/$server-$mode-$n-$rep.log" --server-pidfile "$pidfile" --out "$runs" "$@" >/dev/null \
    || log "run $server $mode N=$n rep $rep did not pass (its result line says why)"
  stop_leftover_server
  sleep 2 # let sockets and the CPU settle before the next server
}

run_cell() { # mode n rep cell-index args...
  local mode=$1 n=$2 rep=$3 index=$4
  shift 4
  # Alternate the servers' order run by run so none always goes first (or last).
  local count=${#server_list[@]} i
  for ((i = 0; i < count; i++)); do
    run_one "${server_list[$(((i + rep + index) % count))]}" "$mode" "$n" "$rep" "$@"
  done
}

log "servers: ${server_list[*]}; modes: $modes; N: $ns; reps: $reps; raw results in $raw"
for ((rep = 1; rep <= reps; rep++)); do
  index=0
  for mode in $modes; do
    case $mode in
      steady)
        for n in $ns; do
          run_cell steady "$n" "$rep" "$index" --scenario "$here/scenarios/steady.json" --seconds "$window" --settle "$settle"
          index=$((index + 1))
        done ;;
      throughput)
        run_cell throughput "$throughput_n" "$rep" "$index" --scenario "$here/scenarios/throughput.json" \
          --speed "$throughput_speed" --seconds "$throughput_window" --settle "$settle" --drain 10 ;;
      stalled)
        # The same scenario and timing with and without stalled clients; the window opens only after
        # the stalled clients' socket buffers have had time to fill (see README).
        run_cell stalled-baseline "$stall_n" "$rep" "$index" --scenario "$here/scenarios/stall.json" \
          --seconds "$window" --settle "$stall_warmup"
        index=$((index + 1))
        run_cell stalled "$stall_n" "$rep" "$index" --scenario "$here/scenarios/stall.json" \
          --stalled "$stalled" --seconds "$window" --settle "$stall_warmup" ;;
      storm)
        run_cell storm "$storm_n" "$rep" "$index" --scenario "$here/scenarios/storm.json" --time-drop \
          --seconds "$(awk -v d="$storm_drop_at" 'BEGIN { print d + 10 }')" --settle "$settle" ;;
      soak)
        # Every server is started with --retry; its clients wait that long after each drop, as browsers do.
        run_cell soak "$soak_n" "$rep" "$index" --scenario "$here/scenarios/soak.json" --soak --retry "$soak_retry" \
          --seconds "$soak_seconds" --settle "$settle" ;;
      close)
        # The steady timeline, then closedConnection: the close's latency beside the same run's events'.
        for n in $close_ns; do
          run_cell close "$n" "$rep" "$index" --scenario "$here/scenarios/close.json" --seconds "$close_window" --settle "$settle"
          index=$((index + 1))
        done ;;
      scale)
        # One node at the machine's ceiling, 1 event/s: connect all, a window of steady latency, then the
        # drop after it and every stream's catch-up (see README, "Scale mode").
        run_cell scale "$scale_n" "$rep" "$index" --scenario "$here/scenarios/scale.json" --time-drop --window-before-drop \
          --seconds "$scale_window" --settle "$settle" ;;
      live)
        # Two replicas with --nats on a new stream, N streams on each, a publisher at live_rate events/s:
        # latency from each message's publish to its arrival; then its scripted twin, the same layout playing
        # the same events from the scenario (see README, "Live mode").
        if [[ " $servers " != *" sseflights "* ]]; then
          log "live: sseflights is not among the servers: skipped"
        elif [[ ! -x $nats_server ]]; then
          log "live: no nats-server at $nats_server (apt-get install nats-server): skipped"
        else
          for n in $live_ns; do
            for source in nats scripted; do
              timeout -k 15 "$run_timeout" dotnet "$bench_dll" live --server "$sseflights" --nats-server "$nats_server" --source "$source" \
                --clients "$n" --rate "$live_rate" --seconds "$window" --settle "$settle" --connect-concurrency "$concurrency" \
                --rep "$rep" --log-folder "$raw/logs" --pid-folder "$raw" --out "$live_runs" >/dev/null \
                || log "live run ($source) N=$n rep $rep did not pass (its result line says why)"
              stop_leftover_live
              sleep 2
            done
          done
        fi ;;
      *) log "unknown mode $mode" ;;
    esac
    index=$((index + 1))
  done
done

# --- report ---------------------------------------------------------------------------------
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -n $(git -C "$repo" status --porcelain 2>/dev/null | head -1) ]] && commit="$commit+changes"
dotnet "$bench_dll" report --runs "$runs" --live "$live_runs" --out "$out" --commit "$commit" --note "node $(node --version 2>/dev/null || echo absent)"
# The profile findings and design notes are written by hand; they travel with every report.
if [[ -f "$here/FINDINGS.md" ]]; then
  printf '\n' >>"$out/RESULTS.md"
  cat "$here/FINDINGS.md" >>"$out/RESULTS.md"
fi
log "done: $out/RESULTS.md"
