#!/usr/bin/env bash
# HTTP load benchmark of GET /api/v1/auth/verify (with a JWT, and with an API key) against the
# GET /health/live baseline.
#
#   bash bench/run.sh
#
# Builds the server in Release, starts it on 127.0.0.1 with a throwaway SQLite database,
# registers a user, logs in, and runs wrk against each endpoint (loopback only, bounded in
# time). Prints a table (requests/s, p50, p99, throughput relative to the baseline) and writes
# it to bench/results/latest.txt. Exits non-zero if any wrk run saw a non-2xx/3xx answer.
#
# Environment:
#   BENCH_PORT          port to listen on (default 8080; use e.g. 8090 if 8080 is taken)
#   BENCH_DURATION      seconds of each measured wrk run (default 15)
#   BENCH_WARMUP        seconds of the warm-up run before each measurement (default 5)
#   BENCH_THREADS       wrk threads (default 2)
#   BENCH_CONNECTIONS   wrk connections (default 32)
#   BENCH_GOAL_PERCENT  verify/baseline throughput goal in percent (default 85)
#   BENCH_ROUNDS        how many interleaved rounds of all rows (default 3); the report gives medians
#   BENCH_SKIP_BUILD=1  use the existing Release build
#   BENCH_CONTRAST=1    also run contrast rows that locate the cost of verify: an anonymous MVC
#                       endpoint (/.well-known/jwks.json), verify without a token (401) and verify
#                       with a token whose signature is wrong (401 after the ECDSA check)
#   Other server settings pass through the environment, e.g. Jwt__SigningAlgorithm=RS256.
#
# Adding an endpoint: one more `load NAME URL [HEADER]` line at the bottom.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
cd "$REPO_ROOT"

PORT="${BENCH_PORT:-8080}"
DURATION="${BENCH_DURATION:-15}"
WARMUP="${BENCH_WARMUP:-5}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
GOAL="${BENCH_GOAL_PERCENT:-85}"
ROUNDS="${BENCH_ROUNDS:-3}"
BASE="http://127.0.0.1:$PORT"
OUT_DIR="src/WebApi/bin/Release/net10.0"
RESULTS_DIR="$SCRIPT_DIR/results"

log() { echo "[bench/run.sh] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for v in PORT DURATION WARMUP THREADS CONNECTIONS GOAL ROUNDS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done

# --- tools -------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "wrk not found; installing it from Debian (apt-get install -y wrk) ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null; } \
      || die "could not install wrk"
  else
    die "wrk is not installed. Install it with:  sudo apt-get install -y wrk"
  fi
fi
for tool in curl python3 dotnet; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done

if curl -s -o /dev/null --max-time 2 "$BASE/" 2>/dev/null; then
  die "something already answers on 127.0.0.1:$PORT; choose another port, e.g. BENCH_PORT=8090 bash bench/run.sh"
fi

# --- build -------------------------------------------------------------------------------
if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  log "Building src/WebApi (Release) ..."
  dotnet build src/WebApi -c Release -warnaserror -nologo -v quiet >&2
fi
[ -f "$OUT_DIR/AuthPlatform.WebApi.dll" ] || die "$OUT_DIR/AuthPlatform.WebApi.dll not found; build first"

# --- server ------------------------------------------------------------------------------
TMP="$(mktemp -d -t authplatform-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "Starting the server on $BASE (database in $TMP) ..."
# The content root is the build output, so its appsettings.json applies; the environment overrides it.
(
  cd "$OUT_DIR"
  export ASPNETCORE_ENVIRONMENT=Production
  export DOTNET_ENVIRONMENT=Production
  export Database__Provider=Sqlite
  export ConnectionStrings__Default="Data Source=$TMP/bench.db"
  export Logging__LogLevel__Default=Warning
  export RateLimiting__PermitLimit=100000
  export RateLimiting__WindowSeconds=60
  exec dotnet AuthPlatform.WebApi.dll --urls "http://127.0.0.1:$PORT"
) >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

ready=0
for _ in $(seq 1 60); do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; die "the server exited during start-up"; }
  if curl -sf -o /dev/null --max-time 2 "$BASE/health/live"; then ready=1; break; fi
  sleep 1
done
[ "$ready" -eq 1 ] || { tail -n 30 "$TMP/server.log" >&2; die "/health/live did not answer within 60 s"; }

# --- a user and its access token ---------------------------------------------------------
EMAIL="bench-$(date +%s)-$$@example.com"
PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-horse"
json() { python3 -c 'import json,sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' "$@"; }

status=$(curl -s -o "$TMP/register.json" -w '%{http_code}' --max-time 30 \
  -H 'Content-Type: application/json' -d "$(json email "$EMAIL" password "$PASSWORD" name "Bench User")" \
  "$BASE/api/v1/auth/register")
[ "$status" = 201 ] || die "register answered $status: $(cat "$TMP/register.json")"

status=$(curl -s -o "$TMP/login.json" -w '%{http_code}' --max-time 30 \
  -H 'Content-Type: application/json' -d "$(json email "$EMAIL" password "$PASSWORD")" \
  "$BASE/api/v1/auth/login")
[ "$status" = 200 ] || die "login answered $status: $(cat "$TMP/login.json")"
TOKEN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$TMP/login.json")
[ -n "$TOKEN" ] || die "no token in the login answer"

status=$(curl -s -o "$TMP/verify.json" -w '%{http_code}' --max-time 10 \
  -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/auth/verify")
[ "$status" = 200 ] || die "verify answered $status: $(cat "$TMP/verify.json")"
log "Logged in; verify answers 200: $(cat "$TMP/verify.json")"

status=$(curl -s -o "$TMP/key.json" -w '%{http_code}' --max-time 10 \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"bench","permissions":["profile"]}' "$BASE/api/v1/auth/api-keys")
[ "$status" = 201 ] || die "creating an API key answered $status: $(cat "$TMP/key.json")"
API_KEY=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["key"])' "$TMP/key.json")
status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "X-API-Key: $API_KEY" "$BASE/api/v1/auth/verify")
[ "$status" = 200 ] || die "verify with the API key answered $status"

# --- load --------------------------------------------------------------------------------
NAMES=() RPS=() P50=() P99=() NON2XX=() FAILED=0

# wrk prints latencies as e.g. 812.00us, 1.23ms, 1.05s; give them in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

# load NAME URL [HEADER]: a warm-up run, then the measured run; appends a row to the table.
# Any non-2xx/3xx answer fails the script, unless the row is called as `ALLOW_NON2XX=1 load ...`.
load() {
  local name="$1" url="$2" header="${3:-}"
  local args=(-t"$THREADS" -c"$CONNECTIONS" --latency --timeout 10s)
  [ -n "$header" ] && args+=(-H "$header")
  case "$url" in
    http://127.0.0.1:*) ;;
    *) die "load: only 127.0.0.1 is ever targeted (got $url)" ;;
  esac

  if [ "$WARMUP" -gt 0 ]; then
    log "$name: warm-up ${WARMUP}s ..."
    wrk "${args[@]}" -d"${WARMUP}s" "$url" >"$TMP/$name.warmup.txt"
  fi
  log "$name: measuring ${DURATION}s (wrk -t$THREADS -c$CONNECTIONS) ..."
  wrk "${args[@]}" -d"${DURATION}s" "$url" | tee "$TMP/$name.txt" >&2
  cp "$TMP/$name.txt" "$RESULTS_DIR/$name.wrk.txt"

  local rps p50 p99 non2xx errors
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$TMP/$name.txt")
  p50=$(awk '$1 == "50%" { print $2 }' "$TMP/$name.txt")
  p99=$(awk '$1 == "99%" { print $2 }' "$TMP/$name.txt")
  non2xx=$(awk -F: '/Non-2xx or 3xx responses/ { gsub(/ /, "", $2); print $2 }' "$TMP/$name.txt")
  errors=$(grep -E '^ *Socket errors:' "$TMP/$name.txt" || true)
  [ -n "$rps" ] && [ -n "$p50" ] && [ -n "$p99" ] || die "$name: could not read wrk's output"

  if [ -n "$non2xx" ] && [ "$non2xx" != 0 ]; then
    if [ "${ALLOW_NON2XX:-}" = 1 ]; then
      log "$name: $non2xx non-2xx/3xx responses (expected for this row)"
    else
      log "FAIL $name: $non2xx non-2xx/3xx responses"
      FAILED=1
    fi
  fi
  if [ -n "$errors" ]; then
    log "WARNING $name:$errors"
  fi
  NAMES+=("$name"); RPS+=("$rps"); P50+=("$(to_ms "$p50")"); P99+=("$(to_ms "$p99")")
  NON2XX+=("${non2xx:-0}")
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" "${non2xx:-0}" >>"$TMP/rows.tsv"
}

mkdir -p "$RESULTS_DIR"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# Rounds interleave the rows, so that a slower moment of a shared machine hits every row alike;
# the report gives each row's median over the rounds.
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  load baseline "$BASE/health/live"
  load verify   "$BASE/api/v1/auth/verify" "Authorization: Bearer $TOKEN"
  load api_key  "$BASE/api/v1/auth/verify" "X-API-Key: $API_KEY"
done
if [ "${BENCH_CONTRAST:-}" = 1 ]; then
  # The same token with its signature's last bytes changed: parsed and checked, then refused.
  BAD_TOKEN="${TOKEN%??????}AAAAAA"
  load jwks "$BASE/.well-known/jwks.json"
  ALLOW_NON2XX=1 load verify_401 "$BASE/api/v1/auth/verify"
  ALLOW_NON2XX=1 load verify_badsig "$BASE/api/v1/auth/verify" "Authorization: Bearer $BAD_TOKEN"
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ------------------------------------------------------------------------------
{
  echo "AuthPlatform HTTP benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (dirty)'), $(nproc) cores, $(dotnet --version 2>/dev/null | head -n1) SDK, $(wrk --version 2>&1 | head -n1 | awk '{print $1, $2}')"
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency (after ${WARMUP}s warm-up), 127.0.0.1:$PORT, SQLite, Production, log level Warning"
  echo "load average before/after: $LOAD_BEFORE / $LOAD_AFTER (wrk and the server share the cores; other work may be running)"
  echo
  python3 - "$TMP/rows.tsv" "$GOAL" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, rps, p50, p99, non2xx = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(rps), float(p50), float(p99), int(non2xx)))
goal = float(sys.argv[2])
base = statistics.median(r[0] for r in rows["baseline"])
print(f"{'endpoint':<14} {'requests/s':>12} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'vs base':>8} {'rounds (req/s)'}")
for name, runs in rows.items():
    rps = statistics.median(r[0] for r in runs)
    p50 = statistics.median(r[1] for r in runs)
    p99 = statistics.median(r[2] for r in runs)
    bad = sum(r[3] for r in runs)
    each = " ".join(f"{r[0]:.0f}" for r in runs)
    print(f"{name:<14} {rps:>12.0f} {p50:>8.2f} {p99:>8.2f} {bad:>8} {100 * rps / base:>7.1f}% {each}")
print()
for name in ("verify", "api_key"):
    if name in rows:
        ratio = 100 * statistics.median(r[0] for r in rows[name]) / base
        print(f"{name}/baseline throughput (medians): {ratio:.1f}% (goal >= {goal:.0f}%): {'met' if ratio >= goal else 'NOT met'}")
PY
  if [ "$FAILED" -ne 0 ]; then echo "FAILED: non-2xx/3xx responses seen (see bench/results/*.wrk.txt)"; fi
} | tee "$RESULTS_DIR/latest.txt"

[ "$FAILED" -eq 0 ] || exit 1
