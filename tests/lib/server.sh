#!/usr/bin/env bash
# Shared by the Node.js suites (tests/conformance/run.sh, tests/openapi/run.sh, tests/browser/run.sh); source it
# after defining log() and die(). Node.js from Debian's packages, and the real server (the Release build of src/WebApi) on
# loopback with a throwaway SQLite database.

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Node.js 18+ and npm, installed with apt-get (as root) when missing.
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

# `npm ci` in the current folder unless node_modules already holds what package-lock.json says ($1: marker name).
npm_ci_once() {
  if ! cmp -s package-lock.json "node_modules/.$1-lock.json" 2>/dev/null; then
    log "npm ci (the versions of $(pwd)/package-lock.json) ..."
    npm ci --no-audit --no-fund >&2 || die "npm ci failed"
    cp package-lock.json "node_modules/.$1-lock.json"
  fi
}

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# start_server DLL WORK BASE_URL [NAME=VALUE ...]: the server in Development (sign-in cookies over plain HTTP on
# loopback) with its data in WORK, a fast password hash, no key-activation delay, a high rate limit, the extra
# settings given; its log in WORK/server.log. Sets SERVER_PID; dies when it is not ready within 60 s.
start_server() {
  local dll="$1" work="$2" base_url="$3"
  shift 3
  (
    cd "$work"
    exec env \
      ASPNETCORE_ENVIRONMENT=Development \
      Urls="$base_url" \
      Jwt__Issuer="$base_url" \
      Database__Provider=Sqlite \
      ConnectionStrings__Default="Data Source=$work/authplatform.db" \
      Passwords__Iterations=10000 \
      Jwt__KeyActivationDelay=00:00:00 \
      RateLimiting__PermitLimit=1000 \
      Logging__LogLevel__Default=Warning \
      "$@" \
      dotnet "$dll"
  ) >"$work/server.log" 2>&1 &
  SERVER_PID=$!
  local _
  for _ in $(seq 1 120); do
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited during start-up"
    if node -e 'fetch(process.argv[1]).then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "$base_url/health/ready"; then
      return 0
    fi
    sleep 0.5
  done
  die "the server did not answer /health/ready within 60 s"
}

# Stops the server start_server started (TERM, then KILL after 10 s).
stop_server() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    local _
    for _ in $(seq 1 40); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
}

# release_server NO_BUILD: builds src/WebApi in Release (unless NO_BUILD is 1) and sets DLL to the server's
# assembly; dies when it is missing. Needs REPO_ROOT.
release_server() {
  DLL="$REPO_ROOT/src/WebApi/bin/Release/net10.0/AuthPlatform.WebApi.dll"
  if [ "${1:-}" != "1" ]; then
    log "Building src/WebApi (Release) ..."
    dotnet build "$REPO_ROOT/src/WebApi" -c Release --nologo -v q >&2 || die "dotnet build src/WebApi failed"
  fi
  [ -f "$DLL" ] || die "$DLL not found (build src/WebApi in Release)"
}

# suite_workdir NAME KEEP: WORK, a new temporary folder for the server's data and log, and an EXIT trap
# (suite_cleanup) that stops the server; when the script fails it prints the server's errors (once PHASE is
# "tests") or the end of its log (before), and keeps WORK, which KEEP=1 keeps in any case.
suite_workdir() {
  WORK="$(mktemp -d -t "authplatform-$1.XXXXXX")"
  SUITE_KEEP="${2:-}"
  SERVER_PID=""
  PHASE=start
  trap suite_cleanup EXIT
  trap 'exit 130' INT TERM
}

suite_cleanup() {
  local rc=$?
  stop_server
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
  if [ "$SUITE_KEEP" = "1" ] || [ "$rc" -ne 0 ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK" 2>/dev/null || log "could not remove $WORK (a process still wrote into it)"
  fi
  exit "$rc"
}
