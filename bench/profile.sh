#!/usr/bin/env bash
# Where the cost of GET /api/v1/auth/verify goes, beside GET /health/live (issue 13).
#
#   bash bench/profile.sh            # server CPU time per request of each row, every round
#   PROFILE_TRACE=verify bash bench/profile.sh   # also a CPU-sampling trace of that row
#
# Server CPU per request is read from /proc/<pid>/stat (user + system time) around each wrk run.
# Unlike requests/s it hardly moves when other work shares the cores, so it compares two builds,
# or two rows, on a busy machine; requests/s (bench/run.sh) is the figure that counts on a quiet
# one. With PROFILE_TRACE=<row> (baseline, verify or api_key), dotnet-trace (installed as a
# global dotnet tool when missing) samples the server during that row's load and prints the
# methods most often on the stack, inclusive and exclusive; the .nettrace file stays in
# bench/results/ for PerfView or `dotnet-trace convert --format speedscope`.
#
# Environment: those of bench/lib.sh (BENCH_PORT, BENCH_DURATION, BENCH_ROUNDS, BENCH_SKIP_BUILD ...),
# PROFILE_TOP (default 40) lines of each trace report.
set -euo pipefail
BENCH_NAME=profile.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TOP="${PROFILE_TOP:-40}"
bench_prepare TOP
bench_start_server
bench_user_credentials # TOKEN, API_KEY

ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }

# cpu NAME URL [HEADER]: one wrk run; prints requests/s and the server's CPU milliseconds per request.
cpu() {
  local name="$1" url="$2" header="${3:-}" before after args=(-t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s")
  [ -n "$header" ] && args+=(-H "$header")
  before=$(ticks)
  wrk "${args[@]}" "$url" >"$TMP/$name.txt"
  after=$(ticks)
  python3 "$SCRIPT_DIR/cpu_report.py" "$name" "$before" "$after" "$(getconf CLK_TCK)" "$DURATION" "$TMP/$name.txt" us | tee -a "$TMP/cpu.txt"
}

trace_row() { # trace_row NAME URL [HEADER]: the row's load under dotnet-trace
  local name="$1" url="$2" header="${3:-}" file="$RESULTS_DIR/profile-$1.nettrace" args=(-t"$THREADS" -c"$CONNECTIONS" -d"$((DURATION + 4))s")
  [ -n "$header" ] && args+=(-H "$header")
  command -v dotnet-trace >/dev/null 2>&1 || PATH="$PATH:$HOME/.dotnet/tools"
  command -v dotnet-trace >/dev/null 2>&1 || dotnet tool install -g dotnet-trace >&2
  wrk "${args[@]}" "$url" >/dev/null &
  local wrk_pid=$!
  sleep 2
  dotnet-trace collect -p "$SERVER_PID" --profile dotnet-sampled-thread-time --duration "00:00:00:$(printf '%02d' "$DURATION")" -o "$file" >&2 \
    || dotnet-trace collect -p "$SERVER_PID" --profile cpu-sampling --duration "00:00:00:$(printf '%02d' "$DURATION")" -o "$file" >&2
  wait "$wrk_pid"
  echo "== $name: methods on the stack (inclusive) =="
  dotnet-trace report "$file" topN -n "$TOP" --inclusive 2>&1 || true
  echo "== $name: methods at the top of the stack (exclusive) =="
  dotnet-trace report "$file" topN -n "$TOP" 2>&1 || true
}

cpu warm-up "$BASE/api/v1/auth/verify" "Authorization: Bearer $TOKEN" >/dev/null
: >"$TMP/cpu.txt"
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  cpu baseline "$BASE/health/live"
  cpu verify "$BASE/api/v1/auth/verify" "Authorization: Bearer $TOKEN"
  cpu api_key "$BASE/api/v1/auth/verify" "X-API-Key: $API_KEY"
done
python3 - "$TMP/cpu.txt" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+)\s.*µs/request\s+([\d.]+)", line)
    rows.setdefault(m.group(1), []).append(float(m.group(2)))
base = statistics.median(rows["baseline"])
for name, values in rows.items():
    med = statistics.median(values)
    print(f"{name:10} median server CPU µs/request {med:7.1f} (rounds {' '.join(f'{v:.1f}' for v in values)}), {100 * base / med:5.1f} % of the baseline's requests per CPU second")
PY

echo "resident memory after the load: $(bench_rss_mb) MB"

case "${PROFILE_TRACE:-}" in
  "") ;;
  baseline) trace_row baseline "$BASE/health/live" ;;
  verify) trace_row verify "$BASE/api/v1/auth/verify" "Authorization: Bearer $TOKEN" ;;
  api_key) trace_row api_key "$BASE/api/v1/auth/verify" "X-API-Key: $API_KEY" ;;
  *) die "PROFILE_TRACE must be baseline, verify or api_key (got '$PROFILE_TRACE')" ;;
esac
