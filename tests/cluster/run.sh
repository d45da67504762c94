#!/usr/bin/env bash
# Issue 12's acceptance checks through a cluster:  bash tests/cluster/run.sh [test files...]
#
# Starts three nodes (the Release build of src/WebApi) behind haproxy on one PostgreSQL and one Redis with
# docs/cluster/run-local.sh, in the background on free loopback ports, waits until it is ready, runs this
# folder's tests with Node.js's built-in test runner against the load balancer (and each node directly where a
# test needs one node), then the OAuth/OpenID Connect conformance suite (tests/conformance) against the load
# balancer, stops the cluster and exits non-zero when anything failed. It never skips: a cluster that cannot
# start is a failure.
#
# The load balancer ends TLS (run-local.sh's CLUSTER_TLS=1, a self-signed certificate the tests trust), as in
# production: the sign-in pages of /oauth/authorize, which the conformance suite walks through, refuse plain HTTP
# outside Development. Settings given to the cluster (every node): RateLimiting__PermitLimit=$CLUSTER_PERMIT_LIMIT (default 150; the
# conformance suite, all from 127.0.0.1, needs more than 50 a minute) per RateLimiting__WindowSeconds=60, Passwords__Iterations=10000
# (quick hashes), Jwt__KeyActivationDelay=00:00:00 (a rotated key signs at once). Production otherwise.
#
# Environment:
#   CLUSTER_TAP            also write the TAP output of both suites to this file, ending with their summed
#                          "# pass N", "# fail N", "# skipped N" (tests/run.sh reads those)
#   CLUSTER_NO_BUILD=1     use the existing Release build of src/WebApi
#   CLUSTER_PORT           the load balancer's port; the nodes take the next three, Redis the one after
#                          (default: the first such free block from 18100 on, by steps of 10)
#   CLUSTER_DB             the PostgreSQL database and role run-local.sh creates, and drops at the end
#                          (default authplatform_cluster_tests)
#   CLUSTER_PERMIT_LIMIT   the per-address limit the cluster runs with (default 150)
#   CLUSTER_SKIP_CONFORMANCE=1  do not run tests/conformance against the load balancer
#   CLUSTER_KEEP=1         keep the cluster's folder (logs, haproxy.cfg) even when everything passed
#   PGUSER, PGPASSWORD     the PostgreSQL administrator over TCP when root's socket login fails or when not root
#                          (default postgres/postgres, as tests/run.sh sets up)
# Installs Node.js and npm from Debian's packages (apt-get, as root) when missing; run-local.sh installs
# redis-server, haproxy and postgresql the same way.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

log() { echo "[cluster-tests] $(date +%T) $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ensure_node, npm_ci_once, release_server
source "$SCRIPT_DIR/../lib/server.sh"

ensure_node
log "Node.js $(node --version), npm $(npm --version)"
cd "$SCRIPT_DIR"
npm_ci_once cluster # otpauth

PERMIT_LIMIT="${CLUSTER_PERMIT_LIMIT:-150}"
[[ "$PERMIT_LIMIT" =~ ^[1-9][0-9]*$ ]] || die "CLUSTER_PERMIT_LIMIT must be a positive number"
if [ "${CLUSTER_SKIP_CONFORMANCE:-}" != 1 ]; then
  (cd "$REPO_ROOT/tests/conformance" && npm_ci_once conformance) # oauth4webapi and openid-client
fi
release_server "${CLUSTER_NO_BUILD:-}"

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
block_free() { local p; for p in $(seq "$1" $(($1 + 4))); do port_taken "$p" && return 1; done; return 0; }
if [ -n "${CLUSTER_PORT:-}" ]; then
  LB_PORT="$CLUSTER_PORT"
else
  LB_PORT=""
  for base in $(seq 18100 10 18990); do
    if block_free "$base"; then LB_PORT=$base; break; fi
  done
  [ -n "$LB_PORT" ] || die "no five free ports in a row between 18100 and 18994 (set CLUSTER_PORT)"
fi

STATE="$(mktemp -d -t authplatform-cluster.XXXXXX)"
RESULTS="$STATE/results"
mkdir -p "$RESULTS"
CLUSTER_PID=""
ADMIN_PASSWORD="cluster admin passphrase $(node -p 'require("crypto").randomBytes(9).toString("base64url")')"

stop_cluster() {
  [ -n "$CLUSTER_PID" ] && kill -0 "$CLUSTER_PID" 2>/dev/null || return 0
  log "Stopping the cluster ..."
  kill -TERM "$CLUSTER_PID" 2>/dev/null || true
  local _
  for _ in $(seq 1 120); do kill -0 "$CLUSTER_PID" 2>/dev/null || return 0; sleep 0.25; done
  log "run-local.sh did not stop within 30 s: killing it and what it started"
  pkill -KILL -P "$CLUSTER_PID" 2>/dev/null || true
  kill -KILL "$CLUSTER_PID" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$rc" -ne 0 ] && [ "${PHASE:-start}" = tests ]; then
    if grep -q -E '^(fail|crit):' "$STATE"/node*.log 2>/dev/null; then
      log "errors in the nodes' logs:"
      grep -A 6 -E '^(fail|crit):' "$STATE"/node*.log | head -n 80 >&2 || true
    fi
  elif [ "$rc" -ne 0 ]; then
    log "run-local.sh said (last 40 lines):"
    tail -n 40 "$STATE/run-local.err" >&2 2>/dev/null || true
  fi
  stop_cluster
  if [ "${CLUSTER_KEEP:-}" = 1 ] || [ "$rc" -ne 0 ]; then
    log "kept $STATE (node*.log, redis.log, haproxy.cfg, run-local.err)"
  else
    rm -rf "$STATE" 2>/dev/null || log "could not remove $STATE (a process still wrote into it)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "Starting the cluster: load balancer on 127.0.0.1:$LB_PORT, nodes on $((LB_PORT + 1))-$((LB_PORT + 3)), Redis on $((LB_PORT + 4)) (folder $STATE) ..."
CLUSTER_STATE="$STATE" \
  CLUSTER_PORT="$LB_PORT" CLUSTER_NODE_PORT=$((LB_PORT + 1)) CLUSTER_REDIS_PORT=$((LB_PORT + 4)) \
  CLUSTER_DB="${CLUSTER_DB:-authplatform_cluster_tests}" CLUSTER_DROP_DB=1 CLUSTER_SKIP_BUILD=1 CLUSTER_TLS=1 \
  CLUSTER_ADMIN_EMAIL=admin@cluster.test CLUSTER_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  PGUSER="${PGUSER:-postgres}" PGPASSWORD="${PGPASSWORD:-postgres}" \
  RateLimiting__PermitLimit="$PERMIT_LIMIT" RateLimiting__WindowSeconds=60 \
  Passwords__Iterations=10000 Jwt__KeyActivationDelay=00:00:00 \
  bash "$REPO_ROOT/docs/cluster/run-local.sh" >"$STATE/run-local.out" 2>"$STATE/run-local.err" </dev/null &
CLUSTER_PID=$!

# run-local.sh writes cluster.env once the three nodes and haproxy answer /health/ready.
for _ in $(seq 1 360); do
  [ -f "$STATE/cluster.env" ] && break
  kill -0 "$CLUSTER_PID" 2>/dev/null || die "docs/cluster/run-local.sh exited before the cluster was ready"
  sleep 0.5
done
[ -f "$STATE/cluster.env" ] || die "the cluster was not ready within 180 s"
set -a
# shellcheck disable=SC1091
source "$STATE/cluster.env"
set +a
export CLUSTER_ADMIN_PASSWORD="$ADMIN_PASSWORD" CLUSTER_PERMIT_LIMIT="$PERMIT_LIMIT"
log "Cluster ready: $CLUSTER_LB (nodes $CLUSTER_NODE1 $CLUSTER_NODE2 $CLUSTER_NODE3)."

PHASE=tests
files=("$@")
if [ "${#files[@]}" -eq 0 ]; then files=(*.test.mjs); fi
rc=0
# One file at a time: the files share the cluster, and the one-second checks should not wait for a busy machine.
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap "--test-reporter-destination=$RESULTS/cluster.tap" "${files[@]}" || rc=$?

if [ "${CLUSTER_SKIP_CONFORMANCE:-}" = 1 ]; then
  log "CLUSTER_SKIP_CONFORMANCE=1: not running tests/conformance against the load balancer."
else
  log "The OAuth/OpenID Connect conformance suite through the load balancer ..."
  CONFORMANCE_BASE_URL="$CLUSTER_LB" CONFORMANCE_ADMIN_EMAIL="$CLUSTER_ADMIN_EMAIL" CONFORMANCE_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    NODE_EXTRA_CA_CERTS="$CLUSTER_CA" CONFORMANCE_TAP="$RESULTS/conformance.tap" bash "$REPO_ROOT/tests/conformance/run.sh" || { c=$?; [ "$rc" -ne 0 ] || rc=$c; }
fi

if [ -n "${CLUSTER_TAP:-}" ]; then
  # Both TAP outputs, then their summed counts (the last "# pass N" ... lines are what readers take).
  cat "$RESULTS"/*.tap >"$CLUSTER_TAP"
  for tap in "$RESULTS"/*.tap; do
    awk '/^# pass [0-9]+$/ { p = $3 } /^# fail [0-9]+$/ { f = $3 } /^# cancelled [0-9]+$/ { c = $3 } /^# skipped [0-9]+$/ { s = $3 }
         END { printf "%d %d %d\n", p, f + c, s }' "$tap"
  done | awk '{ p += $1; f += $2; s += $3 } END { printf "# both suites\n# pass %d\n# fail %d\n# cancelled 0\n# skipped %d\n", p, f, s }' >>"$CLUSTER_TAP"
fi
exit "$rc"
