#!/usr/bin/env bash
# The OpenAPI document's checks:  bash tests/openapi/run.sh
#
# 1. committed: docs/openapi/v1.json as the build wrote it (src/WebApi writes it on every build,
#    Microsoft.Extensions.ApiDescription.Server) is the committed copy (git diff), so a change to
#    the API that was not regenerated and committed fails CI. Skipped outside a git work tree.
# 2. lint: Redocly CLI (the version of package-lock.json) with its recommended rules: zero errors.
#    Warnings are allowed only where docs/api.md says why ("Linting the document").
#
# Prints "# pass N", "# fail N", "# skipped N" like node --test's TAP, for tests/run.sh's summary;
# exits non-zero when a check failed. Installs Node.js and npm from Debian's packages (apt-get,
# as root) when they are missing, like tests/conformance/run.sh.
#
# Environment:
#   OPENAPI_NO_BUILD=1  do not build src/WebApi first (tests/run.sh has just built it)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
DOCUMENT="docs/openapi/v1.json"

log() { echo "[openapi] $*" >&2; }
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
  if command -v node >/dev/null 2>&1 && [ "$(node_major)" -ge 18 ]; then packages=(npm); fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}" >&2 \
    || die "apt-get install ${packages[*]} failed"
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || die "node or npm still missing after apt-get"
}

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
if ! cmp -s package-lock.json node_modules/.openapi-lock.json 2>/dev/null; then
  log "npm ci (@redocly/cli at the version of package-lock.json) ..."
  npm ci --no-audit --no-fund >&2 || die "npm ci failed"
  cp package-lock.json node_modules/.openapi-lock.json
fi

if npx --no-install redocly lint --config redocly.yaml "$REPO_ROOT/$DOCUMENT" >&2; then
  echo "ok - redocly lint (recommended rules): no errors"
  pass=$((pass + 1))
else
  echo "not ok - redocly lint (recommended rules) reported errors"
  fail=$((fail + 1))
fi

echo "# pass $pass"
echo "# fail $fail"
echo "# skipped $skip"
[ "$fail" -eq 0 ]
