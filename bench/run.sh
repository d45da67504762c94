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
#   BENCH_PORT, BENCH_DURATION, BENCH_WARMUP, BENCH_THREADS, BENCH_CONNECTIONS, BENCH_ROUNDS,
#   BENCH_SKIP_BUILD    see bench/lib.sh
#   BENCH_GOAL_PERCENT  verify/baseline throughput goal in percent (default 85)
#   BENCH_CONTRAST=1    also run contrast rows that locate the cost of verify: an anonymous MVC
#                       endpoint (/.well-known/jwks.json), verify without a token (401) and verify
#                       with a token whose signature is wrong (401 after the ECDSA check)
#   Other server settings pass through the environment, e.g. Jwt__SigningAlgorithm=RS256.
#
# Adding an endpoint: one more `load NAME URL [HEADER]` line at the bottom.
set -euo pipefail
BENCH_NAME=run.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GOAL="${BENCH_GOAL_PERCENT:-85}"
bench_prepare GOAL
bench_start_server

# --- a user, its access token and an API key ---------------------------------------------
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

# --- load --------------------------------------------------------------------------------
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

bench_report latest.txt "HTTP benchmark" "verify:$GOAL" "api_key:$GOAL"
