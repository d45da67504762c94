#!/usr/bin/env bash
# In-process micro-benchmarks of the authentication hot paths (BenchmarkDotNet).
#
#   bash bench/micro.sh                      # every benchmark, short job
#   bash bench/micro.sh --filter '*Validate*' # arguments replace the default filter
#
# Builds bench/Benchmarks in Release (warnings as errors), runs it, prints the summary table and
# writes it to bench/results/micro-latest.md (bench/results/ is git-ignored). A short job is
# 1 launch, 3 warm-up and 3 measured iterations: a few minutes in all, most of it spent on the
# PBKDF2 benchmark and on building BenchmarkDotNet's per-benchmark host processes.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
cd "$REPO_ROOT"

RESULTS_DIR="$SCRIPT_DIR/results"
ARTIFACTS="$RESULTS_DIR/BenchmarkDotNet.Artifacts"
mkdir -p "$RESULTS_DIR"
rm -rf "$ARTIFACTS"

args=("$@")
[ "${#args[@]}" -gt 0 ] || args=(--filter '*')

dotnet build bench/Benchmarks -c Release -warnaserror -nologo -v quiet
# --no-build: the line above is the one build, with warnings as errors.
dotnet run -c Release --no-build --project bench/Benchmarks -- \
  --job short --inProcess --artifacts "$ARTIFACTS" "${args[@]}"

shopt -s nullglob
reports=("$ARTIFACTS"/results/*-report-github.md)
[ "${#reports[@]}" -gt 0 ] || { echo "[bench/micro.sh] no BenchmarkDotNet report was written" >&2; exit 1; }
{
  echo "AuthPlatform micro-benchmarks — $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the cores may be shared with other work)"
  echo
  cat "${reports[@]}"
} >"$RESULTS_DIR/micro-latest.md"
echo
echo "=== summary (also in bench/results/micro-latest.md) ==="
cat "$RESULTS_DIR/micro-latest.md"
if grep -q -e 'Benchmarks with issues' -e '| *NA *|' "$RESULTS_DIR/micro-latest.md"; then
  echo "[bench/micro.sh] FAILED: some benchmarks did not run (see the output above)" >&2
  exit 1
fi
