#!/usr/bin/env bash
# The budget workloads on the JVM: JMH benchmarks (each in a forked JVM), heap after GC in a
# fresh JVM, cold start in a fresh JVM per sample. Writes benchmarks/target/results/jvm.tsv.
# Options: --quick (fewer iterations), --no-build, --out FILE; --jmh ARGS... runs plain JMH instead
# (e.g. scripts/bench-jvm.sh --jmh MergeBenchmark -prof gc).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/bench-lib.sh"
ARGS=()
JMH=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) NO_BUILD=1 ;;
    --jmh) shift; JMH=("$@"); [ ${#JMH[@]} -gt 0 ] || JMH=(".*"); break ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done
ensure_build_tools
ensure_binaryen
build_bench
cd "$ROOT"
if [ ${#JMH[@]} -gt 0 ]; then
  exec java -jar "$BENCH_JAR" "${JMH[@]}"
fi
say "JVM benchmarks on $(machine)"
exec java -cp "$BENCH_JAR" org.mycelium.sync.bench.JvmBench "${ARGS[@]}"
