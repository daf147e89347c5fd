#!/usr/bin/env bash
# What a surviving replica absorbs when its neighbour dies: two sseflights replicas (same --epoch)
# behind a real nginx running deploy/nginx/replicas.conf, N bench clients through nginx, then
# SIGKILL of one replica mid-run. Its clients reconnect through nginx (proxy_next_upstream) to the
# survivor with their Last-Event-ID. Prints one JSON line: how many moved, how fast the survivor took
# them (reconnects per second, until its client count is N again), and the bench's own gaps,
# duplicates and latency over the whole run. Loopback only; everything it starts is stopped by PID.
#   REPLICA_STORM_N=4000 bench/replica-storm.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
n=${REPLICA_STORM_N:-4000}
seconds=${REPLICA_STORM_SECONDS:-40}
kill_after=${REPLICA_STORM_KILL_AFTER:-15}
sseflights=${BENCH_SSEFLIGHTS:-$repo/SseFlights/bin/Release/net10.0/sseflights}
bench_dll="$here/SseFlights.Bench/bin/Release/net10.0/sseflights-bench.dll"
nginx=/usr/sbin/nginx
work=$(mktemp -d /tmp/replica-storm.XXXXXX)
pids=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  [[ -s $work/nginx.pid ]] && kill -TERM "$(<"$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop_all EXIT
clients_of() { curl -sf --max-time 2 "http://127.0.0.1:$1/healthz" | grep -o '"clients":[0-9]*' | grep -o '[0-9]*' || echo 0; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

[[ -x $nginx ]] || { log "nginx is missing (apt-get install nginx)"; exit 1; }
log "building sseflights and the load generator (Release)"
dotnet build -c Release -nologo -v q "$repo/SseFlights/SseFlights.csproj" >&2
dotnet build -c Release -nologo -v q "$here/SseFlights.Bench/SseFlights.Bench.csproj" >&2
dotnet "$bench_dll" scenarios --out "$work/scenarios" >&2
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

epoch=$(date -u +%Y-%m-%dT%H:%M:%SZ)
a=$(free_port) b=$(free_port) front=$(free_port)
for port in "$a" "$b"; do
  "$sseflights" --host 127.0.0.1 --port "$port" --scenario "$work/scenarios/steady.json" --epoch "$epoch" \
    --log-level Warning --max-clients $((n + 100)) >"$work/replica-$port.log" 2>&1 &
  pids+=($!)
done
replica_a=${pids[0]}
for port in "$a" "$b"; do
  for _ in $(seq 100); do curl -sf --max-time 1 "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
done

# The shipped replicas.conf with two servers and the test's ports, under nginx's defaults otherwise.
sed -e "s/listen 80;/listen 127.0.0.1:$front;/" -e "s/127.0.0.1:5001/127.0.0.1:$a/" -e "s/127.0.0.1:5002/127.0.0.1:$b/" \
  -e "/127.0.0.1:5003/d" "$repo/deploy/nginx/replicas.conf" >"$work/site.conf"
cat >"$work/nginx.conf" <<EOF
$([[ $(id -u) == 0 ]] && echo "user root;")
worker_processes 1;
worker_rlimit_nofile $((4 * n + 1000));
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections $((4 * n + 500)); }
http {
  access_log off;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi; uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  include $work/site.conf;
}
EOF
"$nginx" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" -g "daemon off;" &
pids+=($!)
for _ in $(seq 100); do [[ -s $work/nginx.pid ]] && curl -sf --max-time 1 "http://127.0.0.1:$front/healthz" >/dev/null && break; sleep 0.1; done

log "replicas on $a and $b, nginx on $front; $n clients for ${seconds}s, replica $a killed after ${kill_after}s"
dotnet "$bench_dll" --target "http://127.0.0.1:$front/" --pid "${pids[1]}" --scenario "$work/scenarios/steady.json" \
  --mode steady -n "$n" --connect-concurrency 500 --seconds "$seconds" --settle 2 >"$work/bench.json" 2>"$work/bench.err" &
bench=$!

# Wait for every client to be connected (through both replicas), then for the kill time.
for _ in $(seq 1200); do (($(clients_of "$a") + $(clients_of "$b") >= n)) && break; sleep 0.1; done
sleep "$kill_after"
moved=$(clients_of "$a")
before=$(clients_of "$b")
kill -KILL "$replica_a"
killed_at=$(date +%s.%N)
absorbed_at=""
for _ in $(seq 600); do
  if (($(clients_of "$b") >= n)); then absorbed_at=$(date +%s.%N); break; fi
  sleep 0.05
done
wait "$bench" || true

seconds_to_absorb=$([[ -n $absorbed_at ]] && awk -v s="$killed_at" -v e="$absorbed_at" 'BEGIN { printf "%.2f", e - s }' || echo null)
rate=$([[ -n $absorbed_at ]] && awk -v m="$moved" -v s="$killed_at" -v e="$absorbed_at" 'BEGIN { printf "%.0f", m / (e - s) }' || echo null)
result=$(tail -1 "$work/bench.json")
printf '{"clients":%s,"replicas":2,"survivorBefore":%s,"moved":%s,"secondsToAbsorb":%s,"reconnectsPerSecond":%s,"bench":%s}\n' \
  "$n" "$before" "$moved" "$seconds_to_absorb" "$rate" "${result:-null}"
log "$(tail -1 "$work/bench.err")"
