# Shared parts of the HTTP load benchmarks (bench/run.sh, bench/tokens.sh); sourced, not run.
#
# A script sets BENCH_NAME, sources this file, calls `bench_prepare` (tools, build, port check),
# `bench_start_server` (a Release build on 127.0.0.1 with a throwaway SQLite database), sets up
# its credentials with `api`, loads its rows with `load`, and ends with `bench_report GOALS...`.
#
# Environment (all optional):
#   BENCH_PORT          port to listen on (default 8080; use e.g. 8090 if 8080 is taken)
#   BENCH_DURATION      seconds of each measured wrk run (default 15)
#   BENCH_WARMUP        seconds of the warm-up run before each measurement (default 5)
#   BENCH_THREADS       wrk threads (default 2)
#   BENCH_CONNECTIONS   wrk connections (default 32)
#   BENCH_ROUNDS        how many interleaved rounds of all rows (default 3); the report gives medians
#   BENCH_SKIP_BUILD=1  use the existing Release publish (in src/WebApi/bin/Release/publish)
#   Other server settings pass through the environment, e.g. Jwt__SigningAlgorithm=RS256.

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
cd "$REPO_ROOT"

PORT="${BENCH_PORT:-8080}"
DURATION="${BENCH_DURATION:-15}"
WARMUP="${BENCH_WARMUP:-5}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
ROUNDS="${BENCH_ROUNDS:-3}"
BASE="http://127.0.0.1:$PORT"
OUT_DIR="src/WebApi/bin/Release/publish" # ReadyToRun, as deployed (docs/operations.md, "Publishing the server")
RESULTS_DIR="$SCRIPT_DIR/results"
LUA_DIR="$SCRIPT_DIR/lua"
TMP=""
SERVER_PID=""
FAILED=0

log() { echo "[bench/$BENCH_NAME] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Tools, settings, the port and the Release build.
bench_prepare() {
  local v
  for v in PORT DURATION WARMUP THREADS CONNECTIONS ROUNDS "$@"; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
  done
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
  local tool
  for tool in curl python3 dotnet; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
  done
  if curl -s -o /dev/null --max-time 2 "$BASE/" 2>/dev/null; then
    die "something already answers on 127.0.0.1:$PORT; choose another port, e.g. BENCH_PORT=8090 bash bench/$BENCH_NAME"
  fi
  if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
    log "Publishing src/WebApi (Release, ReadyToRun) ..."
    dotnet publish src/WebApi -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o "$OUT_DIR" -warnaserror -nologo -v quiet >&2
  fi
  [ -f "$OUT_DIR/AuthPlatform.WebApi.dll" ] || die "$OUT_DIR/AuthPlatform.WebApi.dll not found; publish first (run without BENCH_SKIP_BUILD=1)"
  mkdir -p "$RESULTS_DIR"
}

bench_cleanup() {
  local rc=$?
  bench_stop_server
  [ -n "$TMP" ] && rm -rf "$TMP"
  exit "$rc"
}

# Starts the server (Production, SQLite in a temporary folder, log level Warning, the
# per-address limits lifted) and waits until /health/ready answers 200. Arguments are more
# NAME=VALUE settings, kept for bench_restart_server. READY_MS: milliseconds from the launch of
# the process to the first 200 of /health/ready (polled every 10 ms), on an empty database here.
bench_start_server() {
  TMP="$(mktemp -d -t authplatform-bench.XXXXXX)"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  SERVER_SETTINGS=("$@")
  log "Starting the server on $BASE (database in $TMP) ..."
  bench_launch "$TMP/bench.db"
}

# bench_launch DATABASE-FILE: starts the server on that SQLite file with SERVER_SETTINGS; sets
# SERVER_PID and READY_MS.
bench_launch() {
  local db="$1" started
  started=$(date +%s%N)
  # The content root is the build output, so its appsettings.json applies; the environment overrides it.
  (
    cd "$OUT_DIR"
    export ASPNETCORE_ENVIRONMENT=Production
    export DOTNET_ENVIRONMENT=Production
    export Database__Provider=Sqlite
    export ConnectionStrings__Default="Data Source=$db"
    export Logging__LogLevel__Default=Warning
    export RateLimiting__PermitLimit=100000
    export RateLimiting__WindowSeconds=60
    local setting
    for setting in "${SERVER_SETTINGS[@]}"; do export "${setting?}"; done
    exec dotnet AuthPlatform.WebApi.dll --urls "http://127.0.0.1:$PORT"
  ) >>"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  READY_MS=$(python3 - "$BASE/health/ready" "$started" "$SERVER_PID" <<'PY'
import os, sys, time, urllib.request
url, started, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(2)
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            if answer.status == 200:
                print(round((time.time_ns() - started) / 1e6))
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.01)
sys.exit(1)
PY
  ) || { tail -n 30 "$TMP/server.log" >&2; die "the server did not become ready within 60 s (or exited)"; }
}

# bench_stop_server: stops the server (TERM, then KILL after 5 s) and waits for it.
bench_stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# bench_rss_mb: the server's resident memory now, in MB (VmRSS).
bench_rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

# A registered user (EMAIL, PASSWORD), its access token (TOKEN) and an API key with the permission
# "profile" (API_KEY), each checked once on /verify.
bench_user_credentials() {
  EMAIL="bench-$(date +%s)-$$@example.com"
  PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-horse"
  api 201 "$TMP/register.json" POST /api/v1/auth/register -H 'Content-Type: application/json' \
    -d "$(json email "$EMAIL" password "$PASSWORD" name "Bench User")"
  api 200 "$TMP/login.json" POST /api/v1/auth/login -H 'Content-Type: application/json' \
    -d "$(json email "$EMAIL" password "$PASSWORD")"
  TOKEN=$(field "$TMP/login.json" token)
  api 200 "$TMP/verify.json" GET /api/v1/auth/verify -H "Authorization: Bearer $TOKEN"
  log "Logged in; verify answers 200: $(cat "$TMP/verify.json")"
  api 201 "$TMP/key.json" POST /api/v1/auth/api-keys -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"name":"bench","permissions":["profile"]}'
  API_KEY=$(field "$TMP/key.json" key)
  api 200 /dev/null GET /api/v1/auth/verify -H "X-API-Key: $API_KEY"
}

# json KEY VALUE [KEY VALUE ...]: a JSON object of strings.
json() { python3 -c 'import json,sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' "$@"; }

# field FILE KEY: a top-level field of a JSON file.
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# api EXPECTED OUT METHOD PATH [curl arguments...]: one set-up call; dies unless the status is EXPECTED.
api() {
  local expected="$1" out="$2" method="$3" path="$4"
  shift 4
  local status
  status=$(curl -s -o "$out" -w '%{http_code}' --max-time 60 -X "$method" "$@" "$BASE$path")
  [ "$status" = "$expected" ] || die "$method $path answered $status (expected $expected): $(head -c 500 "$out")"
}

# wrk prints latencies as e.g. 812.00us, 1.23ms, 1.05s; give them in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

# load NAME URL [HEADER] [LUA-SCRIPT]: a warm-up run, then the measured run; appends a row.
# Any non-2xx/3xx answer fails the benchmark, unless the row is called as `ALLOW_NON2XX=1 load ...`.
# `BEFORE_RUN=FUNCTION load ...` calls FUNCTION before each of the two wrk runs.
load() {
  local name="$1" url="$2" header="${3:-}" script="${4:-}"
  local args=(-t"$THREADS" -c"$CONNECTIONS" --latency --timeout 10s)
  [ -n "$header" ] && args+=(-H "$header")
  [ -n "$script" ] && args+=(-s "$script")
  case "$url" in
    http://127.0.0.1:*) ;;
    *) die "load: only 127.0.0.1 is ever targeted (got $url)" ;;
  esac

  if [ "$WARMUP" -gt 0 ]; then
    [ -z "${BEFORE_RUN:-}" ] || "$BEFORE_RUN"
    log "$name: warm-up ${WARMUP}s ..."
    wrk "${args[@]}" -d"${WARMUP}s" "$url" >"$TMP/$name.warmup.txt"
  fi
  [ -z "${BEFORE_RUN:-}" ] || "$BEFORE_RUN"
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
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" "${non2xx:-0}" >>"$TMP/rows.tsv"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# bench_report OUTPUT-NAME TITLE ROW:GOAL-PERCENT...: prints the table (every round's requests/s, the
# spread from the slowest to the fastest round, the median, and each row against the baseline row
# both on the medians and on the best rounds) and judges each goal on both; a goal is met only when
# both ratios reach it. When the baseline's own rounds differ by more than BENCH_MAX_SPREAD percent
# (default 20) the machine was busy: the goals are then reported as not judged, never as met.
# Writes it all to bench/results/OUTPUT-NAME; fails if a row saw non-2xx answers.
bench_report() {
  local output="$1" title="$2"
  shift 2
  local load_after
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  {
    echo "AuthPlatform $title — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (dirty)'), $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo 'CPU ?')), $(dotnet --version 2>/dev/null | head -n1) SDK, $(wrk --version 2>&1 | head -n1 | awk '{print $1, $2}')"
    echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency (after ${WARMUP}s warm-up), $ROUNDS rounds, ${BENCH_SETUP:-127.0.0.1:$PORT, SQLite, Production, log level Warning}"
    echo "load average before/after: $LOAD_BEFORE / $load_after (wrk and the server share the cores; other work may be running)"
    echo
    python3 - "$TMP/rows.tsv" "${BENCH_MAX_SPREAD:-20}" "$@" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, rps, p50, p99, non2xx = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(rps), float(p50), float(p99), int(non2xx)))
max_spread = float(sys.argv[2])
base_runs = [r[0] for r in rows["baseline"]]
base, base_best = statistics.median(base_runs), max(base_runs)
def spread(values):
    return 100 * (max(values) - min(values)) / min(values) if min(values) > 0 else float("inf")
print(f"{'endpoint':<18} {'median req/s':>12} {'min':>8} {'max':>8} {'spread':>7} {'p50 ms':>7} {'p99 ms':>8} {'non-2xx':>7} {'vs base':>8} {'best vs best':>12}  rounds (req/s)")
for name, runs in rows.items():
    values = [r[0] for r in runs]
    rps = statistics.median(values)
    p50 = statistics.median(r[1] for r in runs)
    p99 = statistics.median(r[2] for r in runs)
    bad = sum(r[3] for r in runs)
    each = " · ".join(f"{v:.0f}" for v in values)
    print(f"{name:<18} {rps:>12.0f} {min(values):>8.0f} {max(values):>8.0f} {spread(values):>6.1f}% {p50:>7.2f} {p99:>8.2f} {bad:>7} {100 * rps / base:>7.1f}% {100 * max(values) / base_best:>11.1f}%  {each}")
print()
busy = spread(base_runs) > max_spread
if busy:
    print(f"WARNING: the baseline's rounds differ by {spread(base_runs):.0f} % (more than {max_spread:.0f} %): the machine was busy, so no goal is judged. Re-run on a quiet machine.")
for goal in sys.argv[3:]:
    name, percent = goal.split(":")
    if name not in rows:
        continue
    values = [r[0] for r in rows[name]]
    median_ratio = 100 * statistics.median(values) / base
    best_ratio = 100 * max(values) / base_best
    met = median_ratio >= float(percent) and best_ratio >= float(percent)
    verdict = "not judged (busy machine)" if busy else ("met" if met else "NOT met")
    print(f"{name}/baseline throughput: medians {median_ratio:.1f} %, best rounds {best_ratio:.1f} % (goal >= {float(percent):.0f} % on both): {verdict}")
PY
    if [ "$FAILED" -ne 0 ]; then echo "FAILED: non-2xx/3xx responses seen (see bench/results/*.wrk.txt)"; fi
  } | tee "$RESULTS_DIR/$output"
  [ "$FAILED" -eq 0 ]
}
