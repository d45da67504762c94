#!/usr/bin/env bash
# Regenerates src/Client/Generated from docs/openapi/v1.json with Kiota (the version of
# .config/dotnet-tools.json):  bash src/Client/generate.sh [repository root]
#
# With an argument, generates into <root>/src/Client/Generated from <root>/docs/openapi/v1.json
# (tests/client/regenerate-check.sh uses a copy of the document in a temporary root). The options
# are the whole recipe: the committed code is exactly what this produces, never edited by hand.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
ROOT="${1:-$REPO_ROOT}"

ROOT="$(cd "$ROOT" && pwd)"
# The tool manifest is the repository's: run from there, on the root's paths (the lock file records the
# document's path relative to the output, the same for any root).
cd "$REPO_ROOT"
dotnet tool restore >&2
# --exclude-backward-compatible: a new client, no obsolete duplicates.
# --additional-data: fields the document does not name are kept (an extension's answers).
# The log file Kiota writes next to the code is not part of it.
dotnet tool run --allow-roll-forward kiota generate \
  --openapi "$ROOT/docs/openapi/v1.json" \
  --language CSharp \
  --class-name AuthPlatformApiClient \
  --namespace-name AuthPlatform.Client.Generated \
  --output "$ROOT/src/Client/Generated" \
  --exclude-backward-compatible \
  --additional-data \
  --clean-output \
  --log-level Error >&2
rm -f "$ROOT/src/Client/Generated/.kiota.log"
