#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently: JDK, Maven, Node.js/npm,
# Chromium and chromedriver from Debian's packages, and the pinned wasm-opt with npm ci.
# Maven fetches its own dependencies on the first build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_build_tools
ensure_chromium
ensure_binaryen
say "dependencies ready: $(java -version 2>&1 | head -1); $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'); node $(node -v); $(/usr/bin/chromium --version 2>/dev/null)"
