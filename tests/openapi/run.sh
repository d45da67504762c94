#!/usr/bin/env bash
# The OpenAPI document's checks:  bash tests/openapi/run.sh
#
# 1. committed: docs/openapi/v1.json as the build wrote it (src/WebApi writes it on every build,
#    Microsoft.Extensions.ApiDescription.Server) is the committed copy (git diff), so a change to
#    the API that was not regenerated and committed fails CI. Skipped outside a git work tree.
# 2. lint: Redocly CLI (the version of package-lock.json) with its recommended rules: zero errors.
#    Warnings are allowed only where docs/api.md says why ("Linting the document").
# 3. an independent generator: the real server on loopback (a throwaway SQLite database); openapi-typescript
#    generates client/generated/schema.ts from the document it serves (GET /openapi/v1.json); tsc type-checks
#    the README's walk-throughs (client/walkthrough.test.mts, openapi-fetch) against it; Node.js's test runner
#    runs them against the server. Each test counts.
#
# Prints "# pass N", "# fail N", "# skipped N" like node --test's TAP, for tests/run.sh's summary;
# exits non-zero when a check failed. Installs Node.js and npm from Debian's packages (apt-get,
# as root) when they are missing, like tests/conformance/run.sh.
#
# Environment:
#   OPENAPI_NO_BUILD=1  do not build src/WebApi first (tests/run.sh has just built it)
#   OPENAPI_PORT        port of the server for check 3 (default: a free port chosen at start)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
DOCUMENT="docs/openapi/v1.json"

log() { echo "[openapi] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ensure_node, npm_ci_once, free_port, start_server, stop_server
source "$SCRIPT_DIR/../lib/server.sh"

pass=0 fail=0 skip=0

cd "$REPO_ROOT"
if [ "${OPENAPI_NO_BUILD:-}" != "1" ]; then
  log "Building src/WebApi (writes $DOCUMENT) ..."
  dotnet build src/WebApi -c Release --nologo -v q >&2 || die "dotnet build src/WebApi failed"
fi
[ -f "$DOCUMENT" ] || die "$DOCUMENT not found: the build of src/WebApi writes it"

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if git diff --quiet -- "$DOCUMENT" && [ -z "$(git status --porcelain -- "$DOCUMENT")" ]; then
    echo "ok - $DOCUMENT is the committed copy"
    pass=$((pass + 1))
  else
    echo "not ok - $DOCUMENT differs from the committed copy: the build regenerated it; review and commit it"
    git --no-pager diff --stat -- "$DOCUMENT" >&2 || true
    fail=$((fail + 1))
  fi
else
  echo "ok - committed copy # SKIP not a git work tree"
  skip=$((skip + 1))
fi

ensure_node
cd "$SCRIPT_DIR"
npm_ci_once openapi # @redocly/cli; openapi-typescript, openapi-fetch, typescript

if npx --no-install redocly lint --config redocly.yaml "$REPO_ROOT/$DOCUMENT" >&2; then
  echo "ok - redocly lint (recommended rules): no errors"
  pass=$((pass + 1))
else
  echo "not ok - redocly lint (recommended rules) reported errors"
  fail=$((fail + 1))
fi

# 3. The walk-throughs through the client openapi-typescript generates from the served document.
WORK="$(mktemp -d -t authplatform-openapi.XXXXXX)"
SERVER_PID=""
trap 'stop_server; rm -rf "$WORK" 2>/dev/null || true' EXIT
BASE_URL="http://127.0.0.1:${OPENAPI_PORT:-$(free_port)}"
generated=0
log "Starting the server on $BASE_URL (data in $WORK) ..."
start_server "$REPO_ROOT/src/WebApi/bin/Release/net10.0/AuthPlatform.WebApi.dll" "$WORK" "$BASE_URL"
rm -rf client/generated
mkdir -p client/generated
if node -e 'fetch(process.argv[1]).then(async r => { if (r.status !== 200) process.exit(1); process.stdout.write(await r.text()); }, () => process.exit(1))' \
    "$BASE_URL/openapi/v1.json" >"$WORK/served.json" \
  && npx --no-install openapi-typescript "$WORK/served.json" -o client/generated/schema.ts >&2 \
  && npx --no-install tsc -p client/tsconfig.json >&2; then
  echo "ok - openapi-typescript generated a client from the served document, and the walk-throughs type-check against it"
  pass=$((pass + 1))
  generated=1
else
  echo "not ok - generating a client from the served document (openapi-typescript) or type-checking the walk-throughs against it (tsc) failed"
  fail=$((fail + 1))
fi
if [ "$generated" -eq 1 ]; then
  OPENAPI_CLIENT_BASE_URL="$BASE_URL" node --test --test-reporter=spec --test-reporter-destination=stderr \
    --test-reporter=tap --test-reporter-destination="$WORK/walkthrough.tap" client/generated/out/*.test.mjs || true
  read -r w_pass w_fail w_skip < <(awk '/^# pass [0-9]+$/ { p = $3 } /^# fail [0-9]+$/ { f = $3 } /^# cancelled [0-9]+$/ { c = $3 }
    /^# skipped [0-9]+$/ { s = $3 } END { printf "%d %d %d\n", p, f + c, s }' "$WORK/walkthrough.tap")
  if [ "$((w_pass + w_fail + w_skip))" -eq 0 ]; then w_fail=1; fi
  echo "# walk-throughs through the generated client: $w_pass passed, $w_fail failed, $w_skip skipped"
  pass=$((pass + w_pass)) fail=$((fail + w_fail)) skip=$((skip + w_skip))
fi
if [ "$fail" -ne 0 ] && grep -q -E '^(fail|crit):' "$WORK/server.log"; then
  grep -A 6 -E '^(fail|crit):' "$WORK/server.log" | head -n 60 >&2 || true
fi

echo "# pass $pass"
echo "# fail $fail"
echo "# skipped $skip"
[ "$fail" -eq 0 ]
