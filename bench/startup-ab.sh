#!/usr/bin/env bash
# Start-up A/B: alternates published builds of the server, ROUNDS times, and prints for each start
# the milliseconds from launch to the first 200 of /health/ready (polled every 10 ms) and the
# process's CPU time (user + system) at that moment: first on an empty SQLite database, then again
# on the same file (existing). The same settings as bench_launch in bench/lib.sh: Production,
# log level Warning, loopback only.
#
#   bash bench/startup-ab.sh ROUNDS PUBLISH-DIR [PUBLISH-DIR ...]
#
# Each PUBLISH-DIR is a `dotnet publish` output (framework-dependent: AuthPlatform.WebApi.dll is run
# with `dotnet`; self-contained: its AuthPlatform.WebApi executable). Run it on a quiet machine and
# publish each build from a clean obj/ folder (docs/performance.md, "Fourth pass").
# Environment: BENCH_PORT (default 18200).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bash bench/startup-ab.sh ROUNDS PUBLISH-DIR [PUBLISH-DIR ...]" >&2; exit 2; }
ROUNDS="$1"; shift
PORT="${BENCH_PORT:-18200}"
TMP="$(mktemp -d -t authplatform-startup.XXXXXX)"
SERVER_PID=""
cleanup() { [ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; } || true; rm -rf "$TMP"; }
trap cleanup EXIT

# start DIR DATABASE: sets READY_MS and CPU_MS, and stops the server.
start() {
  local dir="$1" db="$2" started now ticks
  local launch=(dotnet AuthPlatform.WebApi.dll)
  [ -x "$dir/AuthPlatform.WebApi" ] && [ -f "$dir/libcoreclr.so" ] && launch=(./AuthPlatform.WebApi)
  started=$(date +%s%N)
  (cd "$dir" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Database__Provider=Sqlite \
      "ConnectionStrings__Default=Data Source=$db" Logging__LogLevel__Default=Warning \
      "${launch[@]}" --urls "http://127.0.0.1:$PORT") >>"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/ready"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$TMP/server.log" >&2; echo "the server in $dir exited" >&2; exit 1; }
    [ $(( ($(date +%s%N) - started) / 1000000000 )) -lt 60 ] || { echo "not ready within 60 s" >&2; exit 1; }
    sleep 0.01
  done
  now=$(date +%s%N)
  ticks=$(awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat")
  READY_MS=$(( (now - started) / 1000000 )); CPU_MS=$(( ticks * 1000 / $(getconf CLK_TCK) ))
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

printf '%-6s %-40s %12s %10s %15s %12s\n' round build "empty ms" "cpu ms" "existing ms" "cpu ms"
for round in $(seq 1 "$ROUNDS"); do
  for dir in "$@"; do
    db="$TMP/$(basename "$dir").db"; rm -f "$db"*
    start "$dir" "$db"; e_ms=$READY_MS; e_cpu=$CPU_MS
    start "$dir" "$db"
    printf '%-6s %-40s %12s %10s %15s %12s\n' "$round" "$dir" "$e_ms" "$e_cpu" "$READY_MS" "$CPU_MS"
  done
done
