#!/usr/bin/env bash
# The budget workloads in headless Chromium, on the shipped wasm, on the JS fallback and on
# Yjs (pinned in benchmarks/package-lock.json, installed here with npm ci), in one browser run.
# Writes benchmarks/target/results/browser.tsv.
# Options: --quick (fewer runs), --no-build, --engines wasm,js,yjs, --out FILE
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/bench-lib.sh"
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) NO_BUILD=1 ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done
ensure_bench_browser_deps
build_bench
cd "$ROOT"
say "browser benchmarks on $(machine)"
exec java -cp "$BENCH_JAR" org.mycelium.sync.bench.BrowserBench --root "$ROOT" ${ARGS[@]+"${ARGS[@]}"}
