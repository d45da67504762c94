#!/usr/bin/env bash
# HTTP load benchmark of a running three-node cluster (docs/cluster/run-local.sh, issue 12):
# GET /api/v1/auth/verify with a JWT and with an API key, and POST /oauth/token with the
# client-credentials grant, each through the load balancer (haproxy) and against node 1 directly,
# with GET /health/live as the baseline of each.
#
#   RateLimiting__PermitLimit=1000000 RateLimiting__WindowSeconds=1 bash docs/cluster/run-local.sh &   # the per-address limit lifted
#   bash bench/cluster.sh
#
# Reads the URLs from $CLUSTER_STATE/cluster.env and the administrator's password from
# $CLUSTER_STATE/admin-password (both written by run-local.sh). Rows interleave in each of
# BENCH_ROUNDS rounds; the table gives medians and every round. Writes bench/results/cluster-latest.txt.
# Environment: BENCH_DURATION, BENCH_WARMUP, BENCH_THREADS, BENCH_CONNECTIONS, BENCH_ROUNDS (bench/lib.sh).
set -euo pipefail
BENCH_NAME=cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STATE="${CLUSTER_STATE:-/tmp/authplatform-cluster}"
[ -f "$STATE/cluster.env" ] || die "$STATE/cluster.env not found: start bash docs/cluster/run-local.sh first"
# shellcheck disable=SC1091
source "$STATE/cluster.env"
command -v wrk >/dev/null 2>&1 || die "wrk is not installed (apt-get install -y wrk)"
TMP="$(mktemp -d -t authplatform-bench.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$RESULTS_DIR"
BASE="$CLUSTER_LB" # api() calls go through the load balancer
BENCH_SETUP="load balancer $CLUSTER_LB (haproxy, round robin over 3 nodes) and node 1 $CLUSTER_NODE1 directly, PostgreSQL + Redis, Production, log level Warning"

# --- credentials -----------------------------------------------------------------------------
api 200 "$TMP/login.json" POST /api/v1/auth/login -H 'Content-Type: application/json' \
  -d "$(json email "$CLUSTER_ADMIN_EMAIL" password "$(cat "$STATE/admin-password")")"
ADMIN_TOKEN=$(field "$TMP/login.json" token)
api 201 "$TMP/sa.json" POST /api/v1/service-accounts -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' -d '{"name":"bench-cluster","scopes":["profile"]}'
SA_BASIC="Authorization: Basic $(printf '%s:%s' "$(field "$TMP/sa.json" client_id)" "$(field "$TMP/sa.json" client_secret)" | base64 -w0)"
EMAIL="bench-$(date +%s)-$$@example.com"
PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-horse"
api 201 /dev/null POST /api/v1/auth/register -H 'Content-Type: application/json' \
  -d "$(json email "$EMAIL" password "$PASSWORD" name "Bench User")"
api 200 "$TMP/user.json" POST /api/v1/auth/login -H 'Content-Type: application/json' -d "$(json email "$EMAIL" password "$PASSWORD")"
TOKEN=$(field "$TMP/user.json" token)
api 201 "$TMP/key.json" POST /api/v1/auth/api-keys -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"name":"bench","permissions":["profile"]}'
API_KEY=$(field "$TMP/key.json" key)
api 200 /dev/null GET /api/v1/auth/verify -H "X-API-Key: $API_KEY"
api 200 /dev/null POST /oauth/token -H "$SA_BASIC" -d grant_type=client_credentials
log "credentials ready; verify and client_credentials answer 200"

# --- load ----------------------------------------------------------------------------------
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  for target in lb node1; do
    url="$CLUSTER_LB"
    suffix=""
    if [ "$target" = node1 ]; then url="$CLUSTER_NODE1"; suffix="_node1"; fi
    load "baseline$suffix" "$url/health/live"
    load "verify$suffix" "$url/api/v1/auth/verify" "Authorization: Bearer $TOKEN"
    load "api_key$suffix" "$url/api/v1/auth/verify" "X-API-Key: $API_KEY"
    BENCH_FORM="grant_type=client_credentials" load "client_credentials$suffix" "$url/oauth/token" "$SA_BASIC" "$LUA_DIR/form_post.lua"
  done
done

bench_report cluster-latest.txt "three nodes behind haproxy"
