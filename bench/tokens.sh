#!/usr/bin/env bash
# HTTP load benchmark of token issuance (issue 9) against the GET /health/live baseline:
#
#   client_credentials  POST /oauth/token, grant_type=client_credentials, a service account's
#                       HTTP Basic credentials (an access token per request)
#   refresh_oauth       POST /oauth/token, grant_type=refresh_token, many independent chains of
#                       a first-party OAuth client (a new access and refresh token per request)
#   refresh_session     POST /api/v1/auth/refresh, many independent session chains
#
#   bash bench/tokens.sh
#
# Builds the server in Release, starts it on 127.0.0.1 with a throwaway SQLite database and a
# bootstrap administrator, creates a service account, a first-party client allowed the password
# and refresh_token grants, and the refresh-token chains (by the password grant and by logins),
# then runs BENCH_ROUNDS interleaved rounds of wrk. Every refresh request spends a token no other
# request spends (bench/lua/refresh_chains.lua); any non-2xx answer fails the benchmark. Prints
# the table and the goals and writes them to bench/results/tokens-latest.txt.
#
# Environment: BENCH_PORT, BENCH_DURATION, BENCH_WARMUP, BENCH_THREADS, BENCH_CONNECTIONS,
# BENCH_ROUNDS, BENCH_SKIP_BUILD (bench/lib.sh), and
#   BENCH_CC_GOAL       client_credentials/baseline goal in percent (default 10, issue 9)
#   BENCH_REFRESH_GOAL  refresh_oauth and refresh_session/baseline goal in percent (default 4, issue 9)
#   BENCH_ROWS          the rows to load besides the baseline, comma-separated (default: all three)
set -euo pipefail
BENCH_NAME=tokens.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/token-rows.sh"
CC_GOAL="${BENCH_CC_GOAL:-10}"
REFRESH_GOAL="${BENCH_REFRESH_GOAL:-4}"
bench_prepare CC_GOAL REFRESH_GOAL

# shellcheck disable=SC2046
bench_start_server $(token_rows_server_settings)
token_rows_setup

# --- load ----------------------------------------------------------------------------------
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  load baseline "$BASE/health/live"
  token_rows_load
done

bench_report tokens-latest.txt "token issuance benchmark" \
  "client_credentials:$CC_GOAL" "refresh_oauth:$REFRESH_GOAL" "refresh_session:$REFRESH_GOAL"
