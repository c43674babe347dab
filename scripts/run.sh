#!/usr/bin/env bash
# The one command that runs the product: builds what is missing or stale, then starts the dev
# server with the demo at http://127.0.0.1:7070/ (options: --port N --host H --root DIR).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_build_tools
ensure_binaryen
cd "$ROOT"
JAR=dev-server/target/mycelium-dev-server.jar
stale() {
  [ ! -f "$JAR" ] || [ ! -f dist/mycelium-sync.js ] && return 0
  [ -n "$(find pom.xml wasm-core js-bindings size-budget dev-server -newer "$JAR" \
      \( -name '*.java' -o -name '*.js' -o -name 'pom.xml' \) -not -path '*/target/*' -not -path '*/node_modules/*' -print -quit)" ]
}
if stale; then
  say "building (mvn package, tests skipped; scripts/test.sh runs them)"
  mvn -B -ntp -q package -DskipTests -pl dev-server -am
fi
exec java -jar "$JAR" --root "$ROOT" "$@"
