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
# Installs Node.js and npm from Debian's packages (apt-get, as root) when they are missing.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

log() { echo "[conformance] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && [ "$(node_major)" -ge 18 ]; then
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "Node.js 18+ and npm are needed (e.g. sudo apt-get install -y nodejs npm)."
  command -v apt-get >/dev/null 2>&1 || die "Node.js and npm are missing and apt-get is unavailable."
  log "Installing Node.js and npm via apt-get ..."
  apt-get update >&2
  local packages=(nodejs npm)
  # A Node.js from elsewhere (e.g. NodeSource) ships its own npm, which Debian's npm conflicts with.
  if command -v node >/dev/null 2>&1 && [ "$(node_major)" -ge 18 ]; then packages=(npm); fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}" >&2 \
    || die "apt-get install ${packages[*]} failed"
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || die "node or npm still missing after apt-get"
  [ "$(node_major)" -ge 18 ] || die "Node.js $(node --version) is too old: 18 or later is needed"
}

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

ensure_node
log "Node.js $(node --version), npm $(npm --version)"
# Debian 12's Node.js 18 keeps Web Crypto behind a flag; the clients need globalThis.crypto.
if [ "$(node_major)" -lt 19 ]; then export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-global-webcrypto"; fi

cd "$SCRIPT_DIR"
if ! cmp -s package-lock.json node_modules/.conformance-lock.json 2>/dev/null; then
  log "npm ci (oauth4webapi and openid-client at the versions of package-lock.json) ..."
  npm ci --no-audit --no-fund >&2 || die "npm ci failed"
  cp package-lock.json node_modules/.conformance-lock.json
fi

DLL="$REPO_ROOT/src/WebApi/bin/Release/net10.0/AuthPlatform.WebApi.dll"
if [ "${CONFORMANCE_NO_BUILD:-}" != "1" ]; then
  log "Building src/WebApi (Release) ..."
  dotnet build "$REPO_ROOT/src/WebApi" -c Release --nologo -v q >&2 || die "dotnet build src/WebApi failed"
fi
[ -f "$DLL" ] || die "$DLL not found (build src/WebApi in Release)"

PORT="${CONFORMANCE_PORT:-$(free_port)}"
REDIRECT_PORT="$(free_port)"
WORK="$(mktemp -d -t authplatform-conformance.XXXXXX)"
BASE_URL="http://127.0.0.1:$PORT"
SERVER_PID=""
PHASE=start

cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -f "$WORK/server.log" ]; then
    if [ "$PHASE" = "tests" ]; then
      if grep -q -E '^(fail|crit):' "$WORK/server.log"; then
        log "errors in the server log ($WORK/server.log):"
        grep -A 6 -E '^(fail|crit):' "$WORK/server.log" | head -n 80 >&2 || true
      fi
    else
      log "server log (last 40 lines of $WORK/server.log):"
      tail -n 40 "$WORK/server.log" >&2 || true
    fi
  fi
  if [ "${CONFORMANCE_KEEP:-}" = "1" ] || [ "$rc" -ne 0 ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ADMIN_EMAIL="admin@conformance.test"
ADMIN_PASSWORD="conformance admin passphrase $(node -p 'require("crypto").randomBytes(9).toString("base64url")')"

# Development: the sign-in cookies follow the request's scheme (plain HTTP on loopback here);
# outside Development they are Secure-only and the pages answer 400 over plain HTTP.
log "Starting the server on $BASE_URL (data in $WORK) ..."
(
  cd "$WORK"
  exec env \
    ASPNETCORE_ENVIRONMENT=Development \
    Urls="$BASE_URL" \
    Jwt__Issuer="$BASE_URL" \
    Database__Provider=Sqlite \
    ConnectionStrings__Default="Data Source=$WORK/authplatform.db" \
    Bootstrap__AdminEmail="$ADMIN_EMAIL" \
    Bootstrap__AdminPassword="$ADMIN_PASSWORD" \
    Passwords__Iterations=10000 \
    Jwt__KeyActivationDelay=00:00:00 \
    RateLimiting__PermitLimit=1000 \
    Logging__LogLevel__Default=Warning \
    dotnet "$DLL"
) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

ready=0
for _ in $(seq 1 120); do
  kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited during start-up"
  if node -e 'fetch(process.argv[1]).then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "$BASE_URL/health/ready"; then
    ready=1; break
  fi
  sleep 0.5
done
[ "$ready" -eq 1 ] || die "the server did not answer /health/ready within 60 s"
log "Server ready."

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
