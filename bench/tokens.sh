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
CC_GOAL="${BENCH_CC_GOAL:-10}"
REFRESH_GOAL="${BENCH_REFRESH_GOAL:-4}"
bench_prepare CC_GOAL REFRESH_GOAL

ADMIN_EMAIL="bench-admin@example.com"
ADMIN_PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-admin"
bench_start_server "Bootstrap__AdminEmail=$ADMIN_EMAIL" "Bootstrap__AdminPassword=$ADMIN_PASSWORD"

# --- the clients ---------------------------------------------------------------------------
api 200 "$TMP/login.json" POST /api/v1/auth/login -H 'Content-Type: application/json' \
  -d "$(json email "$ADMIN_EMAIL" password "$ADMIN_PASSWORD")"
ADMIN_TOKEN=$(field "$TMP/login.json" token)

api 201 "$TMP/sa.json" POST /api/v1/service-accounts -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' -d '{"name":"bench-service","scopes":["profile"]}'
SA_BASIC="Authorization: Basic $(printf '%s:%s' "$(field "$TMP/sa.json" client_id)" "$(field "$TMP/sa.json" client_secret)" | base64 -w0)"

api 201 "$TMP/client.json" POST /api/v1/oauth/clients -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{"name":"bench-first-party","type":"confidential","grant_types":["password","refresh_token"],"scopes":["profile"],"require_consent":false,"first_party":true}'
export BENCH_AUTH_HEADER="Basic $(printf '%s:%s' "$(field "$TMP/client.json" client_id)" "$(field "$TMP/client.json" client_secret)" | base64 -w0)"

USER_EMAIL="bench-user@example.com"
USER_PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-horse"
api 201 /dev/null POST /api/v1/auth/register -H 'Content-Type: application/json' \
  -d "$(json email "$USER_EMAIL" password "$USER_PASSWORD" name "Bench User")"

# Each check below also proves the row's request is answered 200 before it is loaded.
api 200 "$TMP/cc.json" POST /oauth/token -H "$SA_BASIC" -d grant_type=client_credentials
log "client_credentials answers 200 (expires_in $(field "$TMP/cc.json" expires_in))"

# --- refresh-token chains ------------------------------------------------------------------
# top_up: adds chains until $TOKENS_FILE holds three times as many as there are connections
# (each wrk run loses the chains whose request was in flight when it stopped). Two at a time:
# each costs a password hash.
top_up() {
  local mode="$REFRESH_MODE" file="$TOKENS_FILE" have want
  touch "$file"
  have=$(grep -c . "$file" || true)
  want=$((3 * CONNECTIONS))
  [ "$have" -lt "$want" ] || return 0
  export mode BASE USER_EMAIL USER_PASSWORD BENCH_AUTH_HEADER
  # shellcheck disable=SC2016
  seq 1 $((want - have)) | xargs -P 2 -I{} bash -c '
    if [ "$mode" = session ]; then
      body=$(curl -sf --max-time 60 -H "Content-Type: application/json" \
        -d "{\"email\":\"$USER_EMAIL\",\"password\":\"$USER_PASSWORD\"}" "$BASE/api/v1/auth/login")
    else
      body=$(curl -sf --max-time 60 -H "Authorization: $BENCH_AUTH_HEADER" \
        --data-urlencode grant_type=password --data-urlencode "username=$USER_EMAIL" \
        --data-urlencode "password=$USER_PASSWORD" --data-urlencode scope=profile "$BASE/oauth/token")
    fi || { echo "getting a refresh token ($mode) failed" >&2; exit 255; }
    printf "%s\n" "$body" | python3 -c "import json,sys; print(json.load(sys.stdin)[\"refresh_token\"])"
  ' >>"$file" || die "could not create the $mode refresh-token chains"
}

# load_refresh NAME MODE URL: loads the chains of NAME, topped up before each wrk run.
load_refresh() {
  local name="$1" url="$3"
  TOKENS_FILE="$TMP/$name.tokens" REFRESH_MODE="$2"
  BEFORE_RUN=top_up BENCH_TOKENS_FILE="$TOKENS_FILE" BENCH_THREADS_TOTAL="$THREADS" BENCH_REFRESH_MODE="$REFRESH_MODE" \
    load "$name" "$url" "" "$LUA_DIR/refresh_chains.lua"
  log "$name: $(grep -c . "$TOKENS_FILE" || true) chains left"
}

# wanted NAME: whether BENCH_ROWS (default: every row) names NAME.
wanted() { [ -z "${BENCH_ROWS:-}" ] || [[ ",$BENCH_ROWS," == *",$1,"* ]]; }

# --- load ----------------------------------------------------------------------------------
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  load baseline "$BASE/health/live"
  ! wanted client_credentials || BENCH_FORM="grant_type=client_credentials" load client_credentials "$BASE/oauth/token" "$SA_BASIC" "$LUA_DIR/form_post.lua"
  ! wanted refresh_oauth || load_refresh refresh_oauth oauth "$BASE/oauth/token"
  ! wanted refresh_session || load_refresh refresh_session session "$BASE/api/v1/auth/refresh"
done

bench_report tokens-latest.txt "token issuance benchmark" \
  "client_credentials:$CC_GOAL" "refresh_oauth:$REFRESH_GOAL" "refresh_session:$REFRESH_GOAL"
