#!/usr/bin/env bash
# The budget regression check: runs the budget benchmarks on the JVM and in Chromium (quick
# settings), then prints each metric with its budget, goal, median and margin and the
# side-by-side table with Yjs, and exits 1 when a budget is exceeded (or was not measured).
# Not part of scripts/test.sh or mvn verify: timings on a shared machine are noisy.
#   scripts/bench-regression.sh [--full] [--no-build] [--save-baseline FILE] [--compare FILE] [--strict-goals]
#   scripts/bench-regression.sh --results DIR ...   checks saved results without running anything
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/bench-lib.sh"
QUICK=--quick
RESULTS=
CHECK=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) QUICK= ;;
    --no-build) NO_BUILD=1 ;;
    --results) RESULTS=$2; shift ;;
    --save-baseline|--compare) CHECK+=("$1" "$(realpath -m "$2")"); shift ;;
    --strict-goals) CHECK+=("$1") ;;
    *) die "unknown option $1 (options: --full --no-build --results DIR --save-baseline FILE --compare FILE --strict-goals)" ;;
  esac
  shift
done
if [ -z "$RESULTS" ]; then
  RESULTS="$ROOT/benchmarks/target/results/regression"
  mkdir -p "$RESULTS"
  ensure_bench_browser_deps
  build_bench
  cd "$ROOT"
  say "regression run on $(machine)"
  java -cp "$BENCH_JAR" org.mycelium.sync.bench.JvmBench $QUICK --out "$RESULTS/jvm.tsv"
  java -cp "$BENCH_JAR" org.mycelium.sync.bench.BrowserBench $QUICK --root "$ROOT" --out "$RESULTS/browser.tsv"
fi
cd "$ROOT"
echo
exec java -cp "$BENCH_JAR" org.mycelium.sync.bench.Regression --root "$ROOT" ${CHECK[@]+"${CHECK[@]}"} "$RESULTS/jvm.tsv" "$RESULTS/browser.tsv"
