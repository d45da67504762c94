#!/usr/bin/env bash
# Server CPU time per request of the session refresh (POST /api/v1/auth/refresh, many independent
# chains) beside GET /health/live, read from /proc/<pid>/stat (user + system time) around each wrk run.
# Steadier than requests/s on a shared machine: it compares two builds of the server even while
# other work loads the cores (docs/performance.md, "Third pass").
#
#   bash bench/cpu-per-request.sh [SERVER_DIR] [ROUNDS]
#
# SERVER_DIR: a Release build output of src/WebApi (default: builds one into bench/results/cpu-server).
# Environment: BENCH_PORT (default 18195), BENCH_DURATION (default 10), EXTRA_ENV (settings for the server,
# e.g. "DOTNET_gcServer=0"). Linux only; the server listens on 127.0.0.1 with a throwaway SQLite database.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-}"; ROUNDS="${2:-3}"; PORT="${BENCH_PORT:-18195}"; DUR="${BENCH_DURATION:-10}"
B="http://127.0.0.1:$PORT"; T="$(mktemp -d)"; LUA="$ROOT/bench/lua/refresh_chains.lua"
if [ -z "$OUT" ]; then
  OUT="$ROOT/bench/results/cpu-server"
  dotnet publish "$ROOT/src/WebApi" -c Release -o "$OUT" >/dev/null
fi
cd "$OUT"
# shellcheck disable=SC2086
env ASPNETCORE_ENVIRONMENT=Production Database__Provider=Sqlite ConnectionStrings__Default="Data Source=$T/b.db" \
  Logging__LogLevel__Default=Warning RateLimiting__PermitLimit=100000 RateLimiting__WindowSeconds=60 ${EXTRA_ENV:-} \
  dotnet AuthPlatform.WebApi.dll --urls "$B" >"$T/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 1 120); do curl -sf "$B/health/live" >/dev/null && break; sleep 0.5; done
USER_BODY='{"email":"cpu@example.com","password":"correct horse battery staple"}'
curl -sf -X POST "$B/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d '{"email":"cpu@example.com","password":"correct horse battery staple","name":"CPU"}' >/dev/null
chains() { # 96 fresh session chains (three per connection)
  : >"$T/tokens"
  seq 1 96 | xargs -P 2 -I{} sh -c "curl -sf -X POST '$B/api/v1/auth/login' -H 'Content-Type: application/json' -d '$USER_BODY' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"refresh_token\"])'" >>"$T/tokens"
}
ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; }
measure() { # NAME URL [SCRIPT]
  local before after
  before=$(ticks)
  if [ -n "${3:-}" ]; then
    BENCH_TOKENS_FILE="$T/tokens" BENCH_THREADS_TOTAL=2 BENCH_REFRESH_MODE=session wrk -t2 -c32 -d"${DUR}s" -s "$3" "$2" >"$T/wrk.txt"
  else
    wrk -t2 -c32 -d"${DUR}s" "$2" >"$T/wrk.txt"
  fi
  after=$(ticks)
  python3 "$ROOT/bench/cpu_report.py" "$1" "$before" "$after" "$(getconf CLK_TCK)" "$DUR" "$T/wrk.txt" ms
}
chains; DUR=5 measure warm-up "$B/api/v1/auth/refresh" "$LUA" >/dev/null
for _ in $(seq 1 "$ROUNDS"); do
  measure baseline "$B/health/live"
  chains
  measure refresh "$B/api/v1/auth/refresh" "$LUA"
done
