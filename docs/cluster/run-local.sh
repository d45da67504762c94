#!/usr/bin/env bash
# Three AuthPlatform nodes on this machine, without Docker (issue 12, ADR 0022):
#
#   bash docs/cluster/run-local.sh
#
# One PostgreSQL (the local cluster, Debian's package; a database and a role of the script's own,
# created afresh at each start), one Redis (Debian's redis-server, started by the script on a loopback
# port, nothing saved to disk), three nodes (the Release build of src/WebApi, each on its own loopback
# port, all started at the same moment) and haproxy (Debian's package) in front of them on loopback.
# Missing packages are installed with apt-get when run as root. Prints the load balancer's URL and
# each node's, waits until all three are ready, then runs until Ctrl-C (or TERM) and stops everything
# it started. The database is kept at exit (dropped and created again at the next start).
#
# Environment (all optional):
#   CLUSTER_PORT         the load balancer's port (default 8080)
#   CLUSTER_NODE_PORT    node 1's port; nodes 2 and 3 take the next two (default 8081)
#   CLUSTER_REDIS_PORT   redis-server's port (default 6380)
#   CLUSTER_PG_PORT      the local PostgreSQL's port (default 5432)
#   CLUSTER_DB           the database and role to create (default authplatform_cluster)
#   CLUSTER_STATE        folder for the logs, the haproxy configuration and cluster.env (default /tmp/authplatform-cluster)
#   CLUSTER_SKIP_BUILD=1 use the existing Release build
#   CLUSTER_ADMIN_EMAIL  the bootstrap administrator (default admin@cluster.test); its password is
#                        CLUSTER_ADMIN_PASSWORD, else generated and written to $CLUSTER_STATE/admin-password
#   CLUSTER_DROP_DB=1    drop the database and role at exit (tests/cluster/run.sh does)
#   CLUSTER_TLS=1        haproxy ends TLS (a self-signed certificate for 127.0.0.1 made at each start,
#                        $CLUSTER_STATE/tls.crt, CLUSTER_CA in cluster.env) and tells the nodes with
#                        X-Forwarded-Proto: the load balancer's URL is https://, as in production, where
#                        the sign-in pages of /oauth/authorize refuse plain HTTP outside Development
#   PGUSER, PGPASSWORD   the PostgreSQL administrator over TCP, when not root or when root's socket
#                        (peer) login as postgres fails
#   Any other server setting passes through the environment, e.g. RateLimiting__PermitLimit=100000.
#
# In the background (as tests/cluster/run.sh runs it): $CLUSTER_STATE/cluster.env appears once all
# three nodes and the load balancer are ready (and is removed at exit); kill -TERM the script's pid
# (also in $CLUSTER_STATE/run-local.pid) to stop everything it started.
#
# docs/cluster/smoke.sh checks a running cluster (revocation through one node seen by the others).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LB_PORT="${CLUSTER_PORT:-8080}"
NODE_PORT="${CLUSTER_NODE_PORT:-8081}"
REDIS_PORT="${CLUSTER_REDIS_PORT:-6380}"
PG_PORT="${CLUSTER_PG_PORT:-5432}"
DB="${CLUSTER_DB:-authplatform_cluster}"
STATE="${CLUSTER_STATE:-/tmp/authplatform-cluster}"
ADMIN_EMAIL="${CLUSTER_ADMIN_EMAIL:-admin@cluster.test}"
TLS="${CLUSTER_TLS:-}"
LB="http://127.0.0.1:$LB_PORT"
[ "$TLS" = 1 ] && LB="https://127.0.0.1:$LB_PORT"
NODES=(1 2 3)
PIDS=()

log() { echo "[cluster] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
node_port() { echo $((NODE_PORT + $1 - 1)); }

[[ "$DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "CLUSTER_DB must be a plain lower-case name (got '$DB')"
for v in LB_PORT NODE_PORT REDIS_PORT PG_PORT; do [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a port number"; done

# --- packages ------------------------------------------------------------------------------
need() { # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 || die "$1 is missing: sudo apt-get install -y $2"
  log "Installing $2 (apt-get) ..."
  # The script starts its own redis-server and haproxy: keep the packages from starting their services (and a
  # machine without an init system from failing the install), as tests/run.sh does.
  local policy=/usr/sbin/policy-rc.d created_policy=0 rc=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2 \
    || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2; } || rc=$?
  [ "$created_policy" = 0 ] || rm -f "$policy"
  command -v "$1" >/dev/null 2>&1 || die "apt-get install $2 failed (exit $rc)"
}
need redis-server redis-server
need haproxy haproxy
need psql postgresql
need curl curl
[ "$TLS" = 1 ] && need openssl openssl
command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is needed (dotnet)"

for port in "$LB_PORT" "$(node_port 1)" "$(node_port 2)" "$(node_port 3)" "$REDIS_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "127.0.0.1:$port is taken (see CLUSTER_PORT, CLUSTER_NODE_PORT, CLUSTER_REDIS_PORT)"; fi
done

# --- stop everything at exit -----------------------------------------------------------------
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  log "Stopping ..."
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$STATE/run-local.pid" "$STATE/cluster.env"
  if [ "${CLUSTER_DROP_DB:-}" = 1 ] && [ "${DB_CREATED:-0}" = 1 ]; then
    pg_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP ROLE IF EXISTS $DB" >/dev/null 2>&1 || log "could not drop database $DB"
    log "Stopped (logs in $STATE; database $DB dropped)."
  else
    log "Stopped (logs in $STATE; database $DB kept)."
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

DB_CREATED=0
mkdir -p "$STATE"
chmod 700 "$STATE"
rm -f "$STATE"/*.log "$STATE/cluster.env"
echo $$ >"$STATE/run-local.pid" # kill -TERM "$(cat "$STATE/run-local.pid")" stops the cluster

# --- PostgreSQL: the local cluster, a role and a database of the script's own ----------------
# As root, the local cluster's administrator through its socket (peer authentication); otherwise, or when that
# fails and PGPASSWORD is set (a server whose postgres role has a password, as tests/run.sh sets up), over TCP.
pg_admin_tcp() { psql -X -q -v ON_ERROR_STOP=1 -h "${PGHOST:-127.0.0.1}" -p "$PG_PORT" -U "${PGUSER:-postgres}" -d postgres "$@"; }
pg_admin_socket() { (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"); }
pg_admin() {
  if [ "$(id -u)" -eq 0 ] && [ "${PG_VIA:-socket}" = socket ]; then pg_admin_socket "$@"; else pg_admin_tcp "$@"; fi
}
if [ "$(id -u)" -eq 0 ] && ! pg_admin_socket -c 'SELECT 1' >/dev/null 2>&1 && [ -n "${PGPASSWORD:-}" ] \
  && pg_admin_tcp -c 'SELECT 1' >/dev/null 2>&1; then
  PG_VIA=tcp
fi
if ! pg_admin -c 'SELECT 1' >/dev/null 2>&1 && command -v pg_lsclusters >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  read -r version name _ < <(pg_lsclusters -h | awk -v p="$PG_PORT" '$3 == p')
  [ -n "${version:-}" ] || { version=$(ls /usr/lib/postgresql | sort -n | tail -1); name=main; pg_createcluster "$version" main -p "$PG_PORT" >&2; }
  log "Starting PostgreSQL $version/$name ..."
  pg_ctlcluster "$version" "$name" start >&2
fi
pg_admin -c 'SELECT 1' >/dev/null || die "cannot reach PostgreSQL on port $PG_PORT as its administrator (run as root, or set PGUSER/PGPASSWORD)"
PG_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
log "PostgreSQL: database $DB (dropped and created again), role $DB ..."
pg_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
pg_admin <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB') THEN CREATE ROLE $DB LOGIN; END IF;
END \$\$;
ALTER ROLE $DB LOGIN PASSWORD '$PG_PASSWORD';
CREATE DATABASE $DB OWNER $DB;
SQL
DB_CREATED=1

# --- Redis: loopback only, nothing on disk --------------------------------------------------
log "Redis on 127.0.0.1:$REDIS_PORT ..."
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --protected-mode yes >"$STATE/redis.log" 2>&1 &
PIDS+=($!)

# --- the nodes ------------------------------------------------------------------------------
DLL="$REPO_ROOT/src/WebApi/bin/Release/net10.0/AuthPlatform.WebApi.dll"
if [ "${CLUSTER_SKIP_BUILD:-}" != 1 ]; then
  log "Building src/WebApi (Release) ..."
  dotnet build "$REPO_ROOT/src/WebApi" -c Release --nologo -v q >&2 || die "dotnet build failed"
fi
[ -f "$DLL" ] || die "$DLL not found"
if [ -n "${CLUSTER_ADMIN_PASSWORD:-}" ]; then
  ADMIN_PASSWORD="$CLUSTER_ADMIN_PASSWORD"
else
  ADMIN_PASSWORD="cluster-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  (umask 077 && printf '%s\n' "$ADMIN_PASSWORD" >"$STATE/admin-password")
fi

for n in "${NODES[@]}"; do
  port=$(node_port "$n")
  log "Node $n on 127.0.0.1:$port ..."
  (
    cd "$(dirname "$DLL")" # its appsettings.json applies; the environment overrides it
    exec env \
      ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}" \
      Urls="http://127.0.0.1:$port" \
      Jwt__Issuer="$LB" \
      Database__Provider=Postgres \
      ConnectionStrings__Default="Host=127.0.0.1;Port=$PG_PORT;Database=$DB;Username=$DB;Password=$PG_PASSWORD" \
      Redis__Connection="127.0.0.1:$REDIS_PORT" \
      ForwardedHeaders__KnownProxies__0=127.0.0.1 \
      Https__Redirect=false \
      Https__Hsts=false \
      Bootstrap__AdminEmail="$ADMIN_EMAIL" \
      Bootstrap__AdminPassword="$ADMIN_PASSWORD" \
      Logging__LogLevel__Default="${Logging__LogLevel__Default:-Warning}" \
      dotnet "$DLL"
  ) >"$STATE/node$n.log" 2>&1 &
  PIDS+=($!)
done

# --- haproxy in front -----------------------------------------------------------------------
BIND_TLS="" FORWARD_PROTO="" CURL_CA=()
if [ "$TLS" = 1 ]; then
  log "TLS at the load balancer: a self-signed certificate for 127.0.0.1 ($STATE/tls.crt) ..."
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$STATE/tls.key" -out "$STATE/tls.crt" 2>/dev/null || die "openssl could not make a certificate"
  cat "$STATE/tls.crt" "$STATE/tls.key" >"$STATE/haproxy.pem"
  BIND_TLS=" ssl crt $STATE/haproxy.pem"
  FORWARD_PROTO=$'\n    http-request set-header X-Forwarded-Proto https'
  CURL_CA=(--cacert "$STATE/tls.crt")
fi
{
  cat <<CFG
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    option http-keep-alive
frontend authplatform
    bind 127.0.0.1:$LB_PORT$BIND_TLS
    option forwardfor$FORWARD_PROTO
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /health/ready
    http-check expect status 200
CFG
  for n in "${NODES[@]}"; do echo "    server node$n 127.0.0.1:$(node_port "$n") check inter 1s fall 2 rise 1"; done
} >"$STATE/haproxy.cfg"
haproxy -c -q -f "$STATE/haproxy.cfg" || die "haproxy refused $STATE/haproxy.cfg"
haproxy -db -f "$STATE/haproxy.cfg" >"$STATE/haproxy.log" 2>&1 &
PIDS+=($!)

# --- ready ----------------------------------------------------------------------------------
log "Waiting for the three nodes (the first one migrates the database; the others wait for it) ..."
for _ in $(seq 1 240); do
  ready=0
  for n in "${NODES[@]}"; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$(node_port "$n")/health/ready")" = 200 ] && ready=$((ready + 1))
  done
  for i in "${!PIDS[@]}"; do kill -0 "${PIDS[$i]}" 2>/dev/null || { tail -n 40 "$STATE"/node*.log >&2; die "a process exited during start-up (see $STATE)"; }; done
  [ "$ready" = 3 ] && curl -sf -o /dev/null --max-time 2 "${CURL_CA[@]}" "$LB/health/ready" && break
  sleep 0.5
done
[ "$ready" = 3 ] || { tail -n 40 "$STATE"/node*.log >&2; die "not all nodes were ready within 120 s"; }

# Written whole, then renamed: a reader waiting for the file never sees half of it.
cat >"$STATE/cluster.env.tmp" <<ENV
CLUSTER_LB=$LB
CLUSTER_NODE1=http://127.0.0.1:$(node_port 1)
CLUSTER_NODE2=http://127.0.0.1:$(node_port 2)
CLUSTER_NODE3=http://127.0.0.1:$(node_port 3)
CLUSTER_ADMIN_EMAIL=$ADMIN_EMAIL
ENV
[ "$TLS" = 1 ] && echo "CLUSTER_CA=$STATE/tls.crt" >>"$STATE/cluster.env.tmp"
mv "$STATE/cluster.env.tmp" "$STATE/cluster.env"
log "Ready. Load balancer (haproxy): $LB"
log "Nodes: http://127.0.0.1:$(node_port 1)  http://127.0.0.1:$(node_port 2)  http://127.0.0.1:$(node_port 3)"
where="$STATE/admin-password"
[ -z "${CLUSTER_ADMIN_PASSWORD:-}" ] || where=CLUSTER_ADMIN_PASSWORD
log "Administrator: $ADMIN_EMAIL (password in $where); logs in $STATE"
log "Try: bash docs/cluster/smoke.sh      Stop: Ctrl-C (or kill -TERM $$)"
echo "$LB"
wait -n "${PIDS[@]}" || true
die "a process of the cluster exited (see $STATE)"
