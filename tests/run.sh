#!/usr/bin/env bash
# The project's single test command:  bash tests/run.sh [extra dotnet test args]
#
# - Ensures a local PostgreSQL (127.0.0.1:5432, postgres/postgres, database
#   authplatform_test) unless AUTHPLATFORM_TEST_POSTGRES is already set.
# - Runs `dotnet test` over the solution, writing .trx files to TestResults/.
# - Prints "Tests: N passed, N failed, N skipped" summed over all .trx files.
#
# - Ensures a second PostgreSQL cluster of its own for the fault test that stops and
#   starts its server (127.0.0.1:5433, cluster "faults"), unless
#   AUTHPLATFORM_TEST_POSTGRES_FAULTS is already set. The shared server above is never
#   stopped: other tests use it in parallel.
#
# Environment:
#   AUTHPLATFORM_TEST_POSTGRES   caller-provided connection string; skips all PG setup
#                                of the shared server
#   AUTHPLATFORM_TEST_POSTGRES_FAULTS        connection string of the fault-test server
#   AUTHPLATFORM_TEST_POSTGRES_FAULTS_STOP   shell command that stops it (and waits)
#   AUTHPLATFORM_TEST_POSTGRES_FAULTS_START  shell command that starts it again
#                                all three caller-provided, or all three set up here (root)
#   AUTHPLATFORM_TEST_REDIS      host:port of a redis-server for the cluster tests (tests/Integration.Tests/Cluster);
#                                caller-provided, or set up here (below)
#   AUTHPLATFORM_TEST_REDIS_PORT loopback port of the redis-server started here (default 16379)
#   AUTHPLATFORM_PG_SETUP_ONLY=1 only do the PostgreSQL (and Redis) setup, then exit 0
#   AUTHPLATFORM_SKIP_CONFORMANCE=1  do not run the OAuth/OIDC conformance suite
#   AUTHPLATFORM_SKIP_OPENAPI=1      do not run the OpenAPI document's checks
#   AUTHPLATFORM_SKIP_CLIENT=1       do not run the SDK's checks (tests/client)
#   AUTHPLATFORM_SKIP_BROWSER=1      do not run the dashboard's browser tests (tests/browser); refused
#                                    in CI (CI=true): there they always run
#   AUTHPLATFORM_SKIP_CLUSTER=1      do not run the cluster acceptance suite (tests/cluster); refused in
#                                    CI (CI=true): there it always runs
#
# - Ensures a redis-server for the cluster tests (ADR 0022) unless AUTHPLATFORM_TEST_REDIS is set:
#   Debian's redis-server (installed with apt-get when missing, as root), started on loopback
#   (127.0.0.1:AUTHPLATFORM_TEST_REDIS_PORT), nothing saved to disk, daemonized, and stopped when
#   this script exits. The cluster tests fail, never skip, without it; the Redis outage test starts
#   a redis-server of its own on a free port, so the binary must be on PATH either way.
#
# - Then runs the OpenAPI document's checks (tests/openapi/run.sh: the build's docs/openapi/v1.json
#   is the committed copy, Redocly's recommended rules find no error, and the README's walk-throughs
#   pass through a client openapi-typescript generates from the document the real server serves;
#   Node.js as below) and adds its counts to the summary.
# - Then runs the SDK's checks (tests/client/run.sh: src/Client/Generated is what Kiota generates from
#   docs/openapi/v1.json, and `dotnet pack` of src/Client and src/AspNetCore succeeds) and adds its
#   counts to the summary.
# - Then runs the OAuth/OpenID Connect conformance suite (tests/conformance/run.sh: the real
#   server on loopback, Node.js's test runner with oauth4webapi and openid-client; Node.js and
#   npm are installed with apt-get when missing, as root) and adds its counts to the summary.
# - Then runs the web dashboard's browser tests (tests/browser/run.sh, alone: bash tests/browser/run.sh):
#   the real server on loopback, Debian's headless Chromium (/usr/bin/chromium, installed with apt-get
#   when missing, as root) driven by playwright-core through the scenarios of issue 11 (2FA by the QR
#   code, API keys, lockout, sessions, keyboard, the refresh cookie, axe-core on every page, no request
#   to another origin), and adds its counts to the summary.
# - Then runs issue 12's acceptance suite through a cluster (tests/cluster/run.sh): docs/cluster/run-local.sh
#   starts three nodes of the Release build behind haproxy (TLS) on the PostgreSQL above (a database and role of
#   its own, dropped at the end) and a Redis of its own (redis-server and haproxy installed with apt-get when
#   missing, as root); the spine, API keys, two-factor, revocation within a second, throttling for the cluster
#   and a signing-key rotation through the load balancer, then tests/conformance against it; its counts are added
#   to the summary. It fails, never skips, when the cluster cannot start.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
cd "$REPO_ROOT"

PG_HOST=127.0.0.1
PG_PORT=5432
PG_DB=authplatform_test
PG_USER=postgres
PG_PASSWORD=postgres
PG_WAIT_SECONDS=30

log() { echo "[tests/run.sh] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1; }

# Highest installed server version (e.g. "15"), or empty.
pg_server_version() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$bin" ] || return 0
  basename "$(dirname "$(dirname "$bin")")"
}

install_pg_server() {
  if ! is_root; then
    log "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/postgres)."
    log "Install them, e.g.:  sudo apt-get install -y postgresql"
    log "or point the tests at an existing server:"
    log "  export AUTHPLATFORM_TEST_POSTGRES='Host=...;Port=5432;Username=...;Password=...;Database=authplatform_test'"
    exit 1
  fi
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL server not installed and apt-get is unavailable."
  log "Installing PostgreSQL via apt-get ..."
  # Without an init system, invoke-rc.d would try (and fail) to start the
  # service during install. A policy-rc.d returning 101 tells it not to.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    created_policy=1
  fi
  local rc=0
  apt-get update || rc=$?
  if [ "$rc" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql || rc=$?
  fi
  if [ "$created_policy" -eq 1 ]; then rm -f "$policy"; fi
  # A failing service start in postinst is tolerated; what matters is the binaries.
  [ -n "$(pg_server_version)" ] || die "apt-get install postgresql failed (exit $rc); no server binaries."
  [ "$rc" -eq 0 ] || log "WARNING: apt-get exited $rc, but server binaries are present; continuing."
}

# Print "<version> <cluster>" of the cluster to use; create one if needed.
pick_or_create_cluster() {
  local ver="$1" line v c p
  # Prefer an existing cluster already configured for our port.
  while read -r v c p _; do
    if [ "$p" = "$PG_PORT" ] && [ -x "/usr/lib/postgresql/$v/bin/postgres" ]; then
      echo "$v $c"; return 0
    fi
  done < <(pg_lsclusters -h 2>/dev/null || true)
  if [ -d "/etc/postgresql/$ver/main" ]; then
    log "Setting port=$PG_PORT on cluster $ver/main"
    pg_conftool "$ver" main set port "$PG_PORT" >&2
    echo "$ver main"; return 0
  fi
  log "Creating cluster $ver/main on port $PG_PORT"
  pg_createcluster --port "$PG_PORT" --locale C.UTF-8 --encoding UTF8 "$ver" main >&2 \
    || pg_createcluster --port "$PG_PORT" "$ver" main >&2 \
    || die "pg_createcluster $ver main failed"
  echo "$ver main"
}

start_pg_server() {
  is_root || die "PostgreSQL is not running on $PG_HOST:$PG_PORT and starting it needs root.
  Start it yourself (e.g. 'sudo pg_ctlcluster <ver> main start') or set AUTHPLATFORM_TEST_POSTGRES."
  command -v pg_ctlcluster >/dev/null 2>&1 || die "pg_ctlcluster not found (package postgresql-common)."

  local ver cluster listen
  ver="$(pg_server_version)"
  read -r ver cluster < <(pick_or_create_cluster "$ver")

  # Loopback only.
  listen="$(pg_conftool -s "$ver" "$cluster" show listen_addresses 2>/dev/null || true)"
  listen="${listen//\'/}"
  case "$listen" in
    ""|localhost|127.0.0.1) ;;
    *) log "listen_addresses was '$listen'; restricting to localhost (pg_conftool writes it unquoted: 127.0.0.1 would not parse)"
       pg_conftool "$ver" "$cluster" set listen_addresses localhost >&2 ;;
  esac

  log "Starting PostgreSQL cluster $ver/$cluster ..."
  # Exit code 2 from pg_ctlcluster means "already running".
  local rc=0
  pg_ctlcluster "$ver" "$cluster" start || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
    tail -n 20 "/var/log/postgresql/postgresql-$ver-$cluster.log" >&2 2>/dev/null || true
    die "pg_ctlcluster $ver $cluster start failed (exit $rc)"
  fi

  local i
  for ((i = 0; i < PG_WAIT_SECONDS; i++)); do
    pg_ready && return 0
    sleep 1
  done
  tail -n 20 "/var/log/postgresql/postgresql-$ver-$cluster.log" >&2 2>/dev/null || true
  die "PostgreSQL did not become ready on $PG_HOST:$PG_PORT within ${PG_WAIT_SECONDS}s"
}

# Run SQL (stdin) as superuser: peer auth as the postgres OS user when root,
# else (or if that fails) password auth over TCP.
psql_admin() {
  local sql
  sql="$(cat)"
  if is_root && id postgres >/dev/null 2>&1; then
    if (cd / && printf '%s\n' "$sql" | su postgres -s /bin/sh -c \
          "psql -X -q -v ON_ERROR_STOP=1 -p $PG_PORT -d postgres" >/dev/null); then
      return 0
    fi
    log "psql as OS user postgres failed; trying password auth over TCP"
  fi
  printf '%s\n' "$sql" | PGPASSWORD="$PG_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 \
    -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres >/dev/null
}

ensure_pg_role_and_db() {
  command -v psql >/dev/null 2>&1 || die "psql not found (package postgresql-client)."
  psql_admin <<SQL || die "could not set the '$PG_USER' password / create database '$PG_DB'"
ALTER ROLE $PG_USER WITH LOGIN PASSWORD '$PG_PASSWORD';
SELECT 'CREATE DATABASE $PG_DB' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$PG_DB')\gexec
SQL
  PGPASSWORD="$PG_PASSWORD" psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
    -c 'select 1' >/dev/null || die "cannot connect to $PG_DB on $PG_HOST:$PG_PORT as $PG_USER"
}

setup_postgres() {
  if [ -n "${AUTHPLATFORM_TEST_POSTGRES:-}" ]; then
    log "AUTHPLATFORM_TEST_POSTGRES is set by caller; skipping PostgreSQL setup."
  else
    if ! pg_ready; then
      [ -n "$(pg_server_version)" ] || install_pg_server
      start_pg_server
    fi
    ensure_pg_role_and_db
    export AUTHPLATFORM_TEST_POSTGRES="Host=$PG_HOST;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=$PG_DB"
    log "PostgreSQL ready: $PG_HOST:$PG_PORT database $PG_DB"
  fi
  export AUTHPLATFORM_REQUIRE_POSTGRES="${AUTHPLATFORM_REQUIRE_POSTGRES:-1}"
}

# The fault test's own cluster: same server version, port 5433, loopback only, password
# auth for postgres/postgres. Created once, started on every run (a run that died while
# the test had it stopped leaves it stopped). Without root it is left to the caller: the
# test then fails with a message saying how to provide it.
FAULTS_PORT=5433
FAULTS_CLUSTER=faults

setup_faults_postgres() {
  if [ -n "${AUTHPLATFORM_TEST_POSTGRES_FAULTS:-}" ]; then
    log "AUTHPLATFORM_TEST_POSTGRES_FAULTS is set by caller; skipping the fault-test cluster."
    return 0
  fi
  if ! is_root; then
    log "Not root: no PostgreSQL cluster for the fault test (FaultsPostgres tests will fail)."
    log "Provide one: AUTHPLATFORM_TEST_POSTGRES_FAULTS (connection string) and"
    log "AUTHPLATFORM_TEST_POSTGRES_FAULTS_STOP / _START (commands), e.g. 'sudo pg_ctlcluster 15 faults stop'."
    return 0
  fi
  command -v pg_ctlcluster >/dev/null 2>&1 && [ -n "$(pg_server_version)" ] || install_pg_server
  local ver
  ver="$(pg_server_version)"
  if [ ! -d "/etc/postgresql/$ver/$FAULTS_CLUSTER" ]; then
    log "Creating cluster $ver/$FAULTS_CLUSTER on port $FAULTS_PORT (fault test)"
    pg_createcluster --port "$FAULTS_PORT" --locale C.UTF-8 --encoding UTF8 "$ver" "$FAULTS_CLUSTER" >&2 \
      || pg_createcluster --port "$FAULTS_PORT" "$ver" "$FAULTS_CLUSTER" >&2 \
      || die "pg_createcluster $ver $FAULTS_CLUSTER failed"
  fi
  pg_conftool "$ver" "$FAULTS_CLUSTER" set port "$FAULTS_PORT" >&2
  # Loopback only. pg_conftool writes the value unquoted: 127.0.0.1 would not parse, localhost does.
  pg_conftool "$ver" "$FAULTS_CLUSTER" set listen_addresses localhost >&2

  local rc=0
  pg_ctlcluster "$ver" "$FAULTS_CLUSTER" start || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
    tail -n 20 "/var/log/postgresql/postgresql-$ver-$FAULTS_CLUSTER.log" >&2 2>/dev/null || true
    die "pg_ctlcluster $ver $FAULTS_CLUSTER start failed (exit $rc)"
  fi
  local i
  for ((i = 0; i < PG_WAIT_SECONDS; i++)); do
    pg_isready -q -h "$PG_HOST" -p "$FAULTS_PORT" >/dev/null 2>&1 && break
    sleep 1
  done
  pg_isready -q -h "$PG_HOST" -p "$FAULTS_PORT" >/dev/null 2>&1 \
    || die "the fault-test cluster did not become ready on $PG_HOST:$FAULTS_PORT within ${PG_WAIT_SECONDS}s"
  (cd / && printf "ALTER ROLE $PG_USER WITH LOGIN PASSWORD '$PG_PASSWORD';\n" | su postgres -s /bin/sh -c \
      "psql -X -q -v ON_ERROR_STOP=1 -p $FAULTS_PORT -d postgres" >/dev/null) \
    || die "could not set the '$PG_USER' password on the fault-test cluster"

  export AUTHPLATFORM_TEST_POSTGRES_FAULTS="Host=$PG_HOST;Port=$FAULTS_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=postgres"
  export AUTHPLATFORM_TEST_POSTGRES_FAULTS_STOP="pg_ctlcluster $ver $FAULTS_CLUSTER stop"
  export AUTHPLATFORM_TEST_POSTGRES_FAULTS_START="pg_ctlcluster $ver $FAULTS_CLUSTER start"
  log "Fault-test PostgreSQL ready: $PG_HOST:$FAULTS_PORT (cluster $ver/$FAULTS_CLUSTER)"
}

REDIS_PORT="${AUTHPLATFORM_TEST_REDIS_PORT:-16379}"
REDIS_DIR=""

install_redis_server() {
  is_root || die "redis-server not found. Install it (sudo apt-get install -y redis-server) or set AUTHPLATFORM_TEST_REDIS=host:port."
  command -v apt-get >/dev/null 2>&1 || die "redis-server not installed and apt-get is unavailable."
  log "Installing redis-server via apt-get ..."
  # As for PostgreSQL: no init system here, so keep the package from starting its own service.
  local policy=/usr/sbin/policy-rc.d created_policy=0 rc=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    created_policy=1
  fi
  apt-get update || rc=$?
  if [ "$rc" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server || rc=$?
  fi
  if [ "$created_policy" -eq 1 ]; then rm -f "$policy"; fi
  command -v redis-server >/dev/null 2>&1 || die "apt-get install redis-server failed (exit $rc)."
}

# Stops our redis-server and removes its folder once it has exited (it writes its log while it
# shuts down; removing the folder under it failed now and then, and the exit trap's failure was
# the script's exit status). Never fails: the tests' result is decided before.
stop_redis() {
  local pid="" _
  if [ -n "$REDIS_DIR" ] && [ -s "$REDIS_DIR/redis.pid" ]; then
    pid="$(cat "$REDIS_DIR/redis.pid" 2>/dev/null || true)"
    [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  fi
  if [ -n "$pid" ]; then
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  [ -z "$REDIS_DIR" ] || rm -rf "$REDIS_DIR" 2>/dev/null || true
}

setup_redis() {
  if [ -n "${AUTHPLATFORM_TEST_REDIS:-}" ]; then
    log "AUTHPLATFORM_TEST_REDIS is set by caller; skipping the Redis setup."
    command -v redis-server >/dev/null 2>&1 || log "WARNING: redis-server is not on PATH: the Redis outage test will fail."
    return 0
  fi
  command -v redis-server >/dev/null 2>&1 || install_redis_server
  REDIS_DIR="$(mktemp -d)"
  trap stop_redis EXIT
  # Loopback only, nothing on disk. The pid file is written once the port is bound, so a port
  # already taken (another server answering PING) is not mistaken for ours.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
    || die "redis-server did not start on 127.0.0.1:$REDIS_PORT"
  local i
  for ((i = 0; i < 50; i++)); do
    if [ -s "$REDIS_DIR/redis.pid" ] && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
      export AUTHPLATFORM_TEST_REDIS="127.0.0.1:$REDIS_PORT"
      log "Redis ready: $AUTHPLATFORM_TEST_REDIS"
      return 0
    fi
    sleep 0.2
  done
  tail -n 20 "$REDIS_DIR/redis.log" >&2 2>/dev/null || true
  die "redis-server did not become ready on 127.0.0.1:$REDIS_PORT (port taken? set AUTHPLATFORM_TEST_REDIS_PORT)"
}

# Sum <Counters .../> over the given .trx files; prints "total executed passed failed notExecuted".
sum_trx_counters() {
  local f
  for f in "$@"; do
    # Join lines so an element split across lines still matches.
    tr '\n\r' '  ' <"$f" | grep -o '<Counters[^>]*>' || true
  done | awk '
    function attr(s, name,   m) {
      if (match(s, "[ \t]" name "=\"[0-9]+\"")) {
        m = substr(s, RSTART, RLENGTH); sub(/^[^"]*"/, "", m); sub(/"$/, "", m); return m + 0
      }
      return 0
    }
    { t += attr($0, "total"); e += attr($0, "executed"); p += attr($0, "passed");
      f += attr($0, "failed"); n += attr($0, "notExecuted") }
    END { printf "%d %d %d %d %d\n", t, e, p, f, n }'
}

run_tests() {
  local results_dir="$REPO_ROOT/TestResults"
  mkdir -p "$results_dir"
  find "$results_dir" -type f -name '*.trx' -delete

  local rc=0
  dotnet test AuthPlatform.sln -c Release \
    --logger "trx;LogFilePrefix=results" \
    --results-directory "$results_dir" "$@" || rc=$?

  local trx_files=()
  while IFS= read -r -d '' f; do trx_files+=("$f"); done \
    < <(find "$results_dir" -type f -name '*.trx' -print0)

  local total=0 executed=0 passed=0 failed=0 skipped=0
  if [ "${#trx_files[@]}" -gt 0 ]; then
    read -r total executed passed failed skipped < <(sum_trx_counters "${trx_files[@]}")
  fi

  # The suites outside dotnet test, each a script whose TAP summary ("# pass N", "# fail N",
  # "# skipped N") is added to the counts:
  # - tests/conformance: the OAuth/OIDC conformance suite, Node.js's test runner against the real server;
  # - tests/openapi: the committed document is the build's, it lints clean, and a client generated from it works;
  # - tests/client: the SDK's generated code is the generator's, and the packages pack;
  # - tests/browser: the web dashboard in headless Chromium against the real server;
  # - tests/cluster: issue 12's acceptance checks through three nodes behind haproxy, and tests/conformance through it.
  run_suite "Conformance" conformance AUTHPLATFORM_SKIP_CONFORMANCE CONFORMANCE_TAP
  run_suite "OpenAPI" openapi AUTHPLATFORM_SKIP_OPENAPI - OPENAPI_NO_BUILD=1
  run_suite "SDK" client AUTHPLATFORM_SKIP_CLIENT -
  run_suite "Browser" browser AUTHPLATFORM_SKIP_BROWSER BROWSER_TAP BROWSER_NO_BUILD=1
  run_suite "Cluster" cluster AUTHPLATFORM_SKIP_CLUSTER CLUSTER_TAP CLUSTER_NO_BUILD=1 \
    PGUSER="$PG_USER" PGPASSWORD="$PG_PASSWORD" CLUSTER_PG_PORT="$PG_PORT"

  echo "Tests: $passed passed, $failed failed, $skipped skipped"
  if [ "$executed" -eq 0 ]; then
    echo "No tests were executed (found ${#trx_files[@]} .trx file(s); dotnet test exit code $rc)." >&2
    exit 1
  fi
  [ "$rc" -ne 0 ] && exit "$rc"
  exit "$suites_rc"
}

# run_suite LABEL DIR SKIP_VARIABLE TAP [SETTING=VALUE ...]: runs tests/DIR/run.sh with the settings
# (unless SKIP_VARIABLE is 1) and adds its TAP counts to passed/failed/skipped. TAP is "-" when the
# script prints its TAP on standard output, else the variable through which it is told the TAP file.
# A script that fails before any test failed counts as 1 failed; the first failing exit code is kept
# in suites_rc.
suites_rc=0
run_suite() {
  local label="$1" dir="$2" skip="$3" tap_via="$4"; shift 4
  if [ "${!skip:-}" = "1" ]; then
    log "$skip=1: not running tests/$dir."
    return 0
  fi
  local tap="$results_dir/$dir.tap" suite_rc=0 s_pass=0 s_fail=0 s_skip=0
  rm -f "$tap"
  if [ "$tap_via" = "-" ]; then
    env "$@" bash "$SCRIPT_DIR/$dir/run.sh" >"$tap" || suite_rc=$?
    cat "$tap"
  else
    env "$@" "$tap_via=$tap" bash "$SCRIPT_DIR/$dir/run.sh" || suite_rc=$?
  fi
  if [ -s "$tap" ]; then
    read -r s_pass s_fail s_skip < <(tap_counters "$tap")
  fi
  if [ "$suite_rc" -ne 0 ] && [ "$s_fail" -eq 0 ]; then
    log "tests/$dir failed before its tests ran (exit $suite_rc): counted as 1 failed."
    s_fail=1
  fi
  if [ "$suite_rc" -ne 0 ] && [ "$suites_rc" -eq 0 ]; then
    suites_rc=$suite_rc
  fi
  echo "$label (tests/$dir): $s_pass passed, $s_fail failed, $s_skip skipped"
  passed=$((passed + s_pass)); failed=$((failed + s_fail)); skipped=$((skipped + s_skip))
}

# The last "# pass N", "# fail N" (+ "# cancelled N") and "# skipped N" of a node --test TAP file.
tap_counters() {
  awk '
    /^# pass [0-9]+$/      { p = $3 }
    /^# fail [0-9]+$/      { f = $3 }
    /^# cancelled [0-9]+$/ { c = $3 }
    /^# skipped [0-9]+$/   { s = $3 }
    END { printf "%d %d %d\n", p, f + c, s }' "$1"
}

if [ "${CI:-}" = "true" ] && [ "${AUTHPLATFORM_SKIP_BROWSER:-}" = "1" ]; then
  die "AUTHPLATFORM_SKIP_BROWSER=1 is refused in CI: the browser tests always run there."
fi
if [ "${CI:-}" = "true" ] && [ "${AUTHPLATFORM_SKIP_CLUSTER:-}" = "1" ]; then
  die "AUTHPLATFORM_SKIP_CLUSTER=1 is refused in CI: the cluster acceptance suite always runs there."
fi
setup_postgres
setup_faults_postgres
setup_redis
if [ "${AUTHPLATFORM_PG_SETUP_ONLY:-}" = "1" ]; then
  log "AUTHPLATFORM_PG_SETUP_ONLY=1: setup done, not running tests."
  exit 0
fi
run_tests "$@"
