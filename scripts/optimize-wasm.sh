#!/usr/bin/env bash
# Runs the size gate on one wasm file: wasm-opt with size-budget/wasm-opt.flags, gzip -9,
# a table of the sizes, and exit status 1 when the gzipped result is over 100 KB.
# Usage: scripts/optimize-wasm.sh FILE.wasm
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -eq 1 ] || die "usage: scripts/optimize-wasm.sh FILE.wasm"
[ -f "$1" ] || die "no such file: $1"
ensure_binaryen
exec java "$ROOT/size-budget/src/main/java/org/mycelium/sync/size/SizeBudget.java" check "$ROOT" "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
