#!/usr/bin/env bash
# The one command that passes all tests on a fresh Debian machine: installs what is missing,
# then builds every module and runs every test (unit, size gate, HtmlUnit, real Chromium).
# Extra arguments go to Maven, e.g. scripts/test.sh -Pextensive
set -euo pipefail
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/install-deps.sh"
cd "$ROOT"
say "mvn verify (all modules, all tests)"
mvn -B -ntp verify "$@"

