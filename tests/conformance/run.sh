#!/usr/bin/env bash
# OAuth 2.0 / OpenID Connect conformance suite:  bash tests/conformance/run.sh [test files...]
#
# Starts the real server (the Release build of src/WebApi) on 127.0.0.1 with a fresh SQLite
# database in a temporary folder, creates the test data through the REST API (lib/setup.mjs),
# runs the suite with Node.js's built-in test runner and the certified clients oauth4webapi and
# openid-client, stops the server and exits non-zero when a test failed.
#
# Environment:
#   CONFORMANCE_PORT       port of the server (default: a free port chosen at start)
#   CONFORMANCE_TAP        also write the runner's TAP output (with "# pass N" ...) to this file
#   CONFORMANCE_NO_BUILD=1 use the existing Release build of src/WebApi
#   CONFORMANCE_KEEP=1     keep the temporary folder (database, server.log, fixture)
#   CONFORMANCE_BASE_URL   a server that is already running (e.g. the load balancer of a cluster, see
#                          tests/cluster): nothing is built nor started, and CONFORMANCE_ADMIN_EMAIL and
#                          CONFORMANCE_ADMIN_PASSWORD must name its bootstrap administrator. Its
#                          database must be fresh (the test users have fixed emails), its Jwt__Issuer
#                          this URL and its RateLimiting__PermitLimit high enough for the suite (more
#                          than 50 throttled calls a minute from 127.0.0.1; the server started here has 1000).
# Installs Node.js and npm from Debian's packages (apt-get, as root) when they are missing.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

log() { echo "[conformance] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ensure_node, npm_ci_once, free_port, start_server, stop_server, release_server, suite_workdir
source "$SCRIPT_DIR/../lib/server.sh"

ensure_node
log "Node.js $(node --version), npm $(npm --version)"
# Debian 12's Node.js 18 keeps Web Crypto behind a flag; the clients need globalThis.crypto.
if [ "$(node_major)" -lt 19 ]; then export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-global-webcrypto"; fi

cd "$SCRIPT_DIR"
npm_ci_once conformance # oauth4webapi and openid-client

REDIRECT_PORT="$(free_port)"
if [ -n "${CONFORMANCE_BASE_URL:-}" ]; then
  BASE_URL="${CONFORMANCE_BASE_URL%/}"
  ADMIN_EMAIL="${CONFORMANCE_ADMIN_EMAIL:-}"
  ADMIN_PASSWORD="${CONFORMANCE_ADMIN_PASSWORD:-}"
  [ -n "$ADMIN_EMAIL" ] && [ -n "$ADMIN_PASSWORD" ] \
    || die "with CONFORMANCE_BASE_URL, set CONFORMANCE_ADMIN_EMAIL and CONFORMANCE_ADMIN_PASSWORD (its bootstrap administrator)"
  suite_workdir conformance "${CONFORMANCE_KEEP:-}"
  log "Against the running server $BASE_URL (nothing started)."
else
  release_server "${CONFORMANCE_NO_BUILD:-}"
  PORT="${CONFORMANCE_PORT:-$(free_port)}"
  BASE_URL="http://127.0.0.1:$PORT"
  suite_workdir conformance "${CONFORMANCE_KEEP:-}"

  ADMIN_EMAIL="admin@conformance.test"
  ADMIN_PASSWORD="conformance admin passphrase $(node -p 'require("crypto").randomBytes(9).toString("base64url")')"

  log "Starting the server on $BASE_URL (data in $WORK) ..."
  start_server "$DLL" "$WORK" "$BASE_URL" Bootstrap__AdminEmail="$ADMIN_EMAIL" Bootstrap__AdminPassword="$ADMIN_PASSWORD"
  log "Server ready."
fi

export CONFORMANCE_BASE_URL="$BASE_URL"
export CONFORMANCE_FIXTURE="$WORK/fixture.json"
export CONFORMANCE_REDIRECT_URI="http://127.0.0.1:$REDIRECT_PORT/cb"
export CONFORMANCE_ADMIN_EMAIL="$ADMIN_EMAIL"
export CONFORMANCE_ADMIN_PASSWORD="$ADMIN_PASSWORD"
node lib/setup.mjs || die "setting up the test data through the REST API failed"

files=("$@")
if [ "${#files[@]}" -eq 0 ]; then files=(*.test.mjs); fi
reporters=(--test-reporter=spec --test-reporter-destination=stdout)
if [ -n "${CONFORMANCE_TAP:-}" ]; then
  reporters+=(--test-reporter=tap "--test-reporter-destination=$CONFORMANCE_TAP")
fi
PHASE=tests
rc=0
node --test "${reporters[@]}" "${files[@]}" || rc=$?
exit "$rc"
