#!/usr/bin/env bash
# The HTTP benchmark of issue 13: GET /api/v1/auth/verify (with a JWT, and with an API key) against
# the GET /health/live baseline, the token issuance rows of issue 9 beside them, the start-up time
# and the memory.
#
#   bash bench/run.sh
#
# Publishes the server (Release, ReadyToRun, as deployed), starts it on 127.0.0.1 with a throwaway SQLite database, registers
# a user, logs in, makes an API key, a service account and a first-party client, and runs wrk
# against each row (loopback only, bounded in time), the rows interleaved round by round. Prints a
# table (every round's requests/s, their spread, the median, p50 and p99, and each row against the
# baseline on the medians and on the best rounds) and writes it to bench/results/latest.txt. Then:
# the server's resident memory after the whole load; the start-up time (process launch to the
# first 200 of /health/ready) on an empty database and on the existing one, BENCH_ROUNDS times each.
# Exits non-zero if any wrk run saw a non-2xx/3xx answer.
#
# Goals (issue 13): verify and api_key at least 90 % of the baseline on the medians and on the best
# rounds; ready within 1.5 s on an existing database and 2 s on an empty one; under 150 MB resident.
# Issue 9's: client_credentials at least 10 %, refresh at least 4 %. No goal is judged when the
# baseline's rounds differ by more than BENCH_MAX_SPREAD percent (a busy machine).
#
# Environment:
#   BENCH_PORT, BENCH_DURATION, BENCH_WARMUP, BENCH_THREADS, BENCH_CONNECTIONS, BENCH_ROUNDS,
#   BENCH_SKIP_BUILD    see bench/lib.sh (this script's defaults: 10 s rounds after a 3 s warm-up)
#   BENCH_GOAL_PERCENT  verify/baseline throughput goal in percent (default 90)
#   BENCH_MAX_SPREAD    the baseline rounds' largest spread (percent, default 20) for goals to be judged
#   BENCH_ROWS          a comma-separated subset of client_credentials,refresh_oauth,refresh_session
#                       (default all; BENCH_ROWS=none for the verify rows alone)
#   BENCH_CONTRAST=1    also run contrast rows that locate the cost of verify: an anonymous MVC
#                       endpoint (/.well-known/jwks.json), verify without a token (401) and verify
#                       with a token whose signature is wrong (401 after the ECDSA check)
#   Other server settings pass through the environment, e.g. Jwt__SigningAlgorithm=RS256.
#
# Adding an endpoint: one more `load NAME URL [HEADER]` line in the round loop.
set -euo pipefail
BENCH_NAME=run.sh
: "${BENCH_DURATION:=10}" "${BENCH_WARMUP:=3}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/token-rows.sh"
GOAL="${BENCH_GOAL_PERCENT:-90}"
bench_prepare GOAL

# --- start-up on an empty database, BENCH_ROUNDS times (the last one stays up) ---------------
# shellcheck disable=SC2046
bench_start_server $(token_rows_server_settings)
EMPTY_MS=("$READY_MS")
for i in $(seq 2 "$ROUNDS"); do
  bench_stop_server
  bench_launch "$TMP/empty-$i.db"
  EMPTY_MS+=("$READY_MS")
done
log "ready on an empty database after ${EMPTY_MS[*]} ms"

bench_user_credentials # TOKEN, API_KEY
token_rows_setup       # the service account, the first-party client, the refresh chains' user

# --- load ----------------------------------------------------------------------------------
# Rounds interleave the rows, so that a slower moment of a shared machine hits every row alike.
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  load baseline "$BASE/health/live"
  load verify   "$BASE/api/v1/auth/verify" "Authorization: Bearer $TOKEN"
  load api_key  "$BASE/api/v1/auth/verify" "X-API-Key: $API_KEY"
  [ "${BENCH_ROWS:-}" = none ] || token_rows_load
done
if [ "${BENCH_CONTRAST:-}" = 1 ]; then
  # The same token with its signature's last bytes changed: parsed and checked, then refused.
  BAD_TOKEN="${TOKEN%??????}AAAAAA"
  load jwks "$BASE/.well-known/jwks.json"
  ALLOW_NON2XX=1 load verify_401 "$BASE/api/v1/auth/verify"
  ALLOW_NON2XX=1 load verify_badsig "$BASE/api/v1/auth/verify" "Authorization: Bearer $BAD_TOKEN"
fi
RSS_MB=$(bench_rss_mb)

# --- start-up on the database the load filled, BENCH_ROUNDS times ----------------------------
EXISTING_MS=()
for _ in $(seq 1 "$ROUNDS"); do
  bench_stop_server
  bench_launch "$TMP/bench.db"
  EXISTING_MS+=("$READY_MS")
done
log "ready on the existing database after ${EXISTING_MS[*]} ms"

rc=0
bench_report latest.txt "HTTP benchmark" "verify:$GOAL" "api_key:$GOAL" \
  "client_credentials:10" "refresh_oauth:4" "refresh_session:4" || rc=$?
python3 - "$RSS_MB" "${EMPTY_MS[*]}" "${EXISTING_MS[*]}" <<'PY' | tee -a "$RESULTS_DIR/latest.txt"
import statistics, sys
rss = int(sys.argv[1])
empty = [int(v) for v in sys.argv[2].split()]
existing = [int(v) for v in sys.argv[3].split()]
def line(name, values, goal):
    best, median = min(values), statistics.median(values)
    verdict = "met" if best <= goal and median <= goal else "NOT met"
    print(f"ready on {name}: median {median:.0f} ms, best {best} ms, worst {max(values)} ms (rounds {' · '.join(map(str, values))}; goal <= {goal} ms on both): {verdict}")
print()
line("an empty database", empty, 2000)
line("an existing database", existing, 1500)
print(f"resident memory after the whole load: {rss} MB (goal < 150 MB): {'met' if rss < 150 else 'NOT met'}")
PY
exit "$rc"
