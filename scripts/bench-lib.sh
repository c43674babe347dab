# Helpers shared by the bench-*.sh commands. Source it after lib.sh; do not run it.

BENCH_JAR="$ROOT/benchmarks/target/benchmarks.jar"

# Yjs and esbuild exactly as benchmarks/package-lock.json pins them (npm ci, never npm install),
# then the Yjs bundle the browser pages load.
ensure_bench_npm() {
  local dir="$ROOT/benchmarks"
  npm_ci_locked benchmarks node_modules/.bin/esbuild "Yjs and esbuild"
  mkdir -p "$dir/target/browser"
  (cd "$dir" && node_modules/.bin/esbuild src/main/browser/yjs-entry.js --bundle --minify --format=iife \
      --log-level=warning --outfile=target/browser/yjs.bundle.js) || die "esbuild failed"
}

# Everything the browser benchmarks need: toolchain, Chromium, wasm-opt, Yjs and its bundle.
ensure_bench_browser_deps() {
  ensure_build_tools
  ensure_chromium
  ensure_binaryen
  ensure_bench_npm
}

# Builds dist/ and the benchmarks jar (tests skipped) unless --no-build was given.
build_bench() {
  if [ "${NO_BUILD:-}" = 1 ]; then
    [ -f "$BENCH_JAR" ] || die "$BENCH_JAR is missing: run without --no-build"
    return
  fi
  say "building dist/ and benchmarks.jar (mvn package, tests skipped)"
  (cd "$ROOT" && mvn -B -ntp -q package -DskipTests -pl benchmarks,size-budget -am) || die "build failed"
}

# Prints the machine the figures come from.
machine() {
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo);" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
