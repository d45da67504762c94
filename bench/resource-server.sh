#!/usr/bin/env bash
# HTTP load benchmark of a resource server that uses AuthPlatform.AspNetCore: the sample's
# GET /models behind a scope policy (with a JWT checked against the JWKS, and with an API key
# verified through /api/v1/auth/verify and cached) against the same payload unprotected
# (GET /public/models, the baseline).
#
#   BENCH_PORT=18220 bash bench/resource-server.sh
#
# Builds the server and tests/SampleResourceServer in Release, starts the server on
# 127.0.0.1:$BENCH_PORT (throwaway SQLite database) and the sample on 127.0.0.1:$BENCH_SAMPLE_PORT,
# registers a user, logs in, creates a models.read key and runs wrk against the sample only
# (loopback, bounded in time). Prints the table (medians over the rounds and every round) and
# writes it to bench/results/resource-server.txt. Exits non-zero if a wrk run saw a non-2xx answer.
#
# Environment:
#   BENCH_PORT, BENCH_DURATION, BENCH_WARMUP, BENCH_THREADS, BENCH_CONNECTIONS, BENCH_ROUNDS,
#   BENCH_SKIP_BUILD    see bench/lib.sh
#   BENCH_SAMPLE_PORT   the sample's port (default BENCH_PORT + 1)
#   BENCH_GOAL_PERCENT  protected/unprotected throughput goal in percent (default 85)
#   BENCH_CONTRAST=1    also a contrast row in each round: the open endpoint with a header as long
#                       as the JWT (X-Padding), which the middleware never reads: the cost of carrying
#                       an ~800-byte credential (wrk writing it, Kestrel parsing it) apart from checking it
#   Other server settings pass through the environment, e.g. Jwt__SigningAlgorithm=RS256;
#   the sample's as AuthPlatform__..., e.g. AuthPlatform__ApiKeyCacheDuration=00:00:05.
set -euo pipefail
BENCH_NAME=resource-server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GOAL="${BENCH_GOAL_PERCENT:-85}"
SAMPLE_PORT="${BENCH_SAMPLE_PORT:-$((PORT + 1))}"
SAMPLE="http://127.0.0.1:$SAMPLE_PORT"
SAMPLE_DIR="tests/SampleResourceServer/bin/Release/net10.0"
SAMPLE_PID=""
bench_prepare GOAL SAMPLE_PORT
if curl -s -o /dev/null --max-time 2 "$SAMPLE/" 2>/dev/null; then
  die "something already answers on 127.0.0.1:$SAMPLE_PORT; choose another BENCH_SAMPLE_PORT"
fi
if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  log "Building tests/SampleResourceServer (Release) ..."
  dotnet build tests/SampleResourceServer -c Release -warnaserror -nologo -v quiet >&2
fi
[ -f "$SAMPLE_DIR/AuthPlatform.SampleResourceServer.dll" ] || die "$SAMPLE_DIR/AuthPlatform.SampleResourceServer.dll not found; build first"

# Tokens name the issuer the sample expects: the server's own address.
bench_start_server "Jwt__Issuer=$BASE" "Scopes__Custom__0=models.read"

stop_sample() {
  if [ -n "$SAMPLE_PID" ] && kill -0 "$SAMPLE_PID" 2>/dev/null; then
    kill "$SAMPLE_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SAMPLE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SAMPLE_PID" 2>/dev/null || true
    wait "$SAMPLE_PID" 2>/dev/null || true
  fi
}
trap 'rc=$?; stop_sample; (exit $rc); bench_cleanup' EXIT

log "Starting the sample resource server on $SAMPLE ..."
(
  cd "$SAMPLE_DIR"
  export ASPNETCORE_ENVIRONMENT=Production
  export DOTNET_ENVIRONMENT=Production
  export AuthPlatform__Authority="$BASE"
  export AuthPlatform__RequireHttpsMetadata=false
  exec dotnet AuthPlatform.SampleResourceServer.dll --urls "$SAMPLE"
) >"$TMP/sample.log" 2>&1 &
SAMPLE_PID=$!
for _ in $(seq 1 60); do
  kill -0 "$SAMPLE_PID" 2>/dev/null || { cat "$TMP/sample.log" >&2; die "the sample exited during start-up"; }
  if curl -sf -o /dev/null --max-time 2 "$SAMPLE/public/models"; then break; fi
  sleep 1
done
curl -sf -o /dev/null --max-time 2 "$SAMPLE/public/models" || die "the sample did not answer within 60 s"

# --- a user, its access token and a models.read API key ----------------------------------
EMAIL="bench-$(date +%s)-$$@example.com"
PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-horse"
api 201 "$TMP/register.json" POST /api/v1/auth/register -H 'Content-Type: application/json' \
  -d "$(json email "$EMAIL" password "$PASSWORD" name "Bench User")"
api 200 "$TMP/login.json" POST /api/v1/auth/login -H 'Content-Type: application/json' \
  -d "$(json email "$EMAIL" password "$PASSWORD")"
TOKEN=$(field "$TMP/login.json" token)
api 201 "$TMP/key.json" POST /api/v1/auth/api-keys -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"name":"bench","permissions":["models.read"]}'
API_KEY=$(field "$TMP/key.json" key)

# The sample answers 200 to both credentials and 401 without one, before anything is measured.
check() {
  local expected="$1" status
  shift
  status=$(curl -s -o "$TMP/check.json" -w '%{http_code}' --max-time 30 "$@" "$SAMPLE/models")
  [ "$status" = "$expected" ] || die "GET $SAMPLE/models answered $status (expected $expected): $(head -c 500 "$TMP/check.json")"
}
check 200 -H "Authorization: Bearer $TOKEN"
check 200 -H "X-API-Key: $API_KEY"
check 401
log "The sample accepts the JWT and the key, and refuses no credential."

# --- load: only the sample is measured; rounds interleave the rows ------------------------
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  load baseline "$SAMPLE/public/models"
  load jwt      "$SAMPLE/models" "Authorization: Bearer $TOKEN"
  load api_key  "$SAMPLE/models" "X-API-Key: $API_KEY"
  if [ "${BENCH_CONTRAST:-}" = 1 ]; then
    load padded "$SAMPLE/public/models" "X-Padding: $TOKEN"
  fi
done

bench_report resource-server.txt "resource-server benchmark (AuthPlatform.AspNetCore)" "jwt:$GOAL" "api_key:$GOAL"
