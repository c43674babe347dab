#!/usr/bin/env bash
# Profiles one budget workload on the JVM with Java Flight Recorder (1 ms sampling) and prints
# the methods with the largest share of samples; the .jfr file is kept for JDK Mission Control.
#   scripts/bench-profile.sh merge|typing|records|load100k|typingLoad|sync [SECONDS] [OUT.jfr]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/bench-lib.sh"
[ $# -ge 1 ] || die "usage: scripts/bench-profile.sh merge|typing|records|load100k|typingLoad|sync [SECONDS] [OUT.jfr]"
[ "${NO_BUILD:-}" = 1 ] || { ensure_build_tools; ensure_binaryen; build_bench; }
cd "$ROOT"
exec java -Xmx4g -cp "$BENCH_JAR" org.mycelium.sync.bench.Profile "$@"
