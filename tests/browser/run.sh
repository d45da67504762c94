#!/usr/bin/env bash
# Browser tests of the web dashboard (src/WebApi/wwwroot):  bash tests/browser/run.sh [test files...]
#
# Starts the real server (the Release build of src/WebApi) on 127.0.0.1 with a fresh SQLite database in a
# temporary folder and a bootstrap administrator, then runs the scenarios (*.test.mjs) with Node.js's test
# runner: playwright-core drives Debian's headless Chromium (/usr/bin/chromium; no browser download), axe-core
# scans for accessibility, jsQR reads the 2FA QR code off the page and otpauth computes the codes.
# Screenshots of the main pages are written to the temporary folder on every run, and copied to docs/images
# with UPDATE_SCREENSHOTS=1.
#
# Environment:
#   BROWSER_PORT         port of the server (default: a free port chosen at start)
#   BROWSER_TAP          also write the runner's TAP output (with "# pass N" ...) to this file
#   BROWSER_NO_BUILD=1   use the existing Release build of src/WebApi
#   BROWSER_KEEP=1       keep the temporary folder (database, server.log, screenshots)
#   BROWSER_CHROMIUM     the Chromium to drive (default /usr/bin/chromium)
#   UPDATE_SCREENSHOTS=1 copy the screenshots to docs/images (review and commit them)
# Installs Node.js and npm, and Chromium with a font, from Debian's packages (apt-get, as root) when they are
# missing; without root it stops with a message saying what to install. It never skips: CI runs it whole.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

log() { echo "[browser] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ensure_node, npm_ci_once, free_port, start_server, stop_server, release_server, suite_workdir
source "$SCRIPT_DIR/../lib/server.sh"

CHROMIUM="${BROWSER_CHROMIUM:-/usr/bin/chromium}"

# Debian's Chromium (and a font with Arial's metrics, so text, screenshots and the 375 px layout do not depend
# on whatever fallback font the machine has), installed with apt-get as root when missing.
ensure_chromium() {
  local packages=()
  [ -x "$CHROMIUM" ] || packages+=(chromium)
  [ -d /usr/share/fonts/truetype/liberation ] || packages+=(fonts-liberation)
  [ "${#packages[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "missing: ${packages[*]} (Chromium at $CHROMIUM). Install them, e.g.:
  sudo apt-get install -y --no-install-recommends ${packages[*]}
or point BROWSER_CHROMIUM at a Chromium or Chrome."
  fi
  log "Installing ${packages[*]} via apt-get ..."
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}" >&2 \
    || die "apt-get install ${packages[*]} failed"
  [ -x "$CHROMIUM" ] || die "$CHROMIUM still missing after apt-get install chromium"
}

ensure_node
ensure_chromium
log "Node.js $(node --version), $("$CHROMIUM" --version 2>/dev/null || echo "Chromium at $CHROMIUM")"

cd "$SCRIPT_DIR"
npm_ci_once browser # playwright-core, axe-core, otpauth, jsqr

release_server "${BROWSER_NO_BUILD:-}"

PORT="${BROWSER_PORT:-$(free_port)}"
BASE_URL="http://127.0.0.1:$PORT"
suite_workdir browser "${BROWSER_KEEP:-}"

ADMIN_EMAIL="admin@browser.test"
ADMIN_PASSWORD="browser admin passphrase $(node -p 'require("crypto").randomBytes(9).toString("base64url")')"

# Development: plain HTTP on loopback, so the cookies are not Secure. start_server sets a fast password hash and
# a high rate limit; the account lockout keeps its defaults (10 failures within 15 minutes), so the lockout
# scenario locks an account the way production does.
log "Starting the server on $BASE_URL (data in $WORK) ..."
start_server "$DLL" "$WORK" "$BASE_URL" Bootstrap__AdminEmail="$ADMIN_EMAIL" Bootstrap__AdminPassword="$ADMIN_PASSWORD"
log "Server ready."

export BROWSER_BASE_URL="$BASE_URL"
export BROWSER_ADMIN_EMAIL="$ADMIN_EMAIL"
export BROWSER_ADMIN_PASSWORD="$ADMIN_PASSWORD"
export BROWSER_SCREENSHOT_DIR="$WORK/screenshots"
log "Screenshots go to $BROWSER_SCREENSHOT_DIR."
export BROWSER_CHROMIUM="$CHROMIUM"

files=("$@")
if [ "${#files[@]}" -eq 0 ]; then
  # The two longest first, side by side (the 2FA file mostly waits for TOTP steps), the rest after them.
  files=(two-factor-and-api-keys.test.mjs accessibility.test.mjs)
  for f in *.test.mjs; do
    case " ${files[*]} " in *" $f "*) ;; *) files+=("$f") ;; esac
  done
fi
reporters=(--test-reporter=spec --test-reporter-destination=stdout)
if [ -n "${BROWSER_TAP:-}" ]; then
  reporters+=(--test-reporter=tap "--test-reporter-destination=$BROWSER_TAP")
fi
PHASE=tests
rc=0
# Two files at a time: the 2FA scenario spends most of its time waiting for the next TOTP step.
node --test --test-concurrency=2 "${reporters[@]}" "${files[@]}" || rc=$?

if [ "${UPDATE_SCREENSHOTS:-}" = "1" ]; then
  mkdir -p "$REPO_ROOT/docs/images"
  shopt -s nullglob
  shots=("$WORK"/screenshots/*.png)
  if [ "${#shots[@]}" -gt 0 ]; then
    cp "${shots[@]}" "$REPO_ROOT/docs/images/"
    log "UPDATE_SCREENSHOTS=1: copied ${#shots[@]} screenshot(s) to docs/images: review and commit them."
  else
    log "UPDATE_SCREENSHOTS=1: no screenshot was written."
  fi
fi
exit "$rc"
