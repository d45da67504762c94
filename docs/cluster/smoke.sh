#!/usr/bin/env bash
# Checks a cluster started by docs/cluster/run-local.sh (issue 12's "done when"):
#
#   bash docs/cluster/smoke.sh
#
# Through the load balancer: registers a user, signs in, creates an API key. Each node directly:
# accepts the access token and the key (so nodes 2 and 3 now remember the key as verified).
# Node 1 directly: revokes the key. Nodes 2 and 3 directly: must refuse it within one second
# (polled every 20 ms). Exits non-zero on the first failure.
#
# Environment: CLUSTER_STATE (default /tmp/authplatform-cluster), whose cluster.env run-local.sh
# writes; or CLUSTER_LB and CLUSTER_NODE1..3 set by hand.
set -euo pipefail
STATE="${CLUSTER_STATE:-/tmp/authplatform-cluster}"
if [ -z "${CLUSTER_LB:-}" ]; then
  [ -f "$STATE/cluster.env" ] || { echo "smoke: $STATE/cluster.env not found: start bash docs/cluster/run-local.sh first" >&2; exit 2; }
  # shellcheck disable=SC1091
  source "$STATE/cluster.env"
fi
# With CLUSTER_TLS=1 the load balancer's certificate is self-signed: CLUSTER_CA names it.
CA=()
[ -z "${CLUSTER_CA:-}" ] || CA=(--cacert "$CLUSTER_CA")
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
ok() { echo "smoke: ok: $*" >&2; }
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
# call EXPECTED BASE METHOD PATH [curl arguments...]: fails unless the status is EXPECTED; the body in $TMP/body.
call() {
  local expected="$1" base="$2" method="$3" path="$4" status
  shift 4
  status=$(curl -s -o "$TMP/body" -w '%{http_code}' --max-time 30 "${CA[@]}" -X "$method" "$@" "$base$path")
  [ "$status" = "$expected" ] || fail "$method $base$path answered $status, expected $expected: $(head -c 300 "$TMP/body")"
}
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${CA[@]}" "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

EMAIL="smoke-$(date +%s)-$$@example.com"
PASSWORD="Smoke-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-horse"
JSON='Content-Type: application/json'

call 201 "$CLUSTER_LB" POST /api/v1/auth/register -H "$JSON" -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"name\":\"Smoke\"}"
ok "registered $EMAIL through the load balancer ($CLUSTER_LB)"
call 200 "$CLUSTER_LB" POST /api/v1/auth/login -H "$JSON" -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
TOKEN=$(field "$TMP/body" token)
ok "signed in through the load balancer"
call 201 "$CLUSTER_LB" POST /api/v1/auth/api-keys -H "Authorization: Bearer $TOKEN" -H "$JSON" -d '{"name":"smoke","permissions":["profile"]}'
KEY=$(field "$TMP/body" key)
KEY_ID=$(field "$TMP/body" id)
ok "API key $KEY_ID created through the load balancer"

for node in "$CLUSTER_NODE1" "$CLUSTER_NODE2" "$CLUSTER_NODE3"; do
  call 200 "$node" GET /api/v1/auth/verify -H "Authorization: Bearer $TOKEN"
  call 200 "$node" GET /api/v1/auth/verify -H "X-API-Key: $KEY"
done
ok "the access token and the key verify on each node directly"

call 200 "$CLUSTER_NODE1" POST "/api/v1/auth/api-keys/$KEY_ID/revoke" -H "Authorization: Bearer $TOKEN" -H "$JSON" -d '{}'
start=$(now_ms)
ok "key revoked through node 1 directly ($CLUSTER_NODE1)"
for node in "$CLUSTER_NODE2" "$CLUSTER_NODE3"; do
  while [ "$(status_of -H "X-API-Key: $KEY" "$node/api/v1/auth/verify")" != 401 ]; do
    [ $(($(now_ms) - start)) -lt 1000 ] || fail "$node still accepts the revoked key after one second"
    sleep 0.02
  done
  ok "$node refuses the revoked key, $(($(now_ms) - start)) ms after the revocation"
done
[ "$(status_of -H "X-API-Key: $KEY" "$CLUSTER_LB/api/v1/auth/verify")" = 401 ] || fail "the load balancer still accepts the revoked key"
ok "the load balancer refuses it too"
echo "smoke: PASS" >&2
