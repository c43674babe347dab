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

# The WebRTC tests again on a network that is only loopback, as a CI container may be: a normal
# interface hides loopback problems (../shared/TOOLCHAIN.md). unshare -n as root, or unshare -rn
# (a user namespace) otherwise; skipped with a notice where neither is allowed.
# MYCELIUM_NO_LOOPBACK_RUN=1 skips it.
if [ -z "${MYCELIUM_NO_LOOPBACK_RUN:-}" ]; then
  if [ "$(id -u)" = 0 ]; then NS=(unshare -n); else NS=(unshare -rn); fi
  if "${NS[@]}" true 2>/dev/null; then
    say "WebRTC provider tests on a loopback-only network (${NS[*]})"
    "${NS[@]}" bash -c 'ip link set lo up && cd "$0" && mvn -o -B -ntp -pl dev-server -am verify \
      -Dtest=ProviderBrowserTest -Dsurefire.failIfNoSpecifiedTests=false' "$ROOT"
  else
    say "skipping the loopback-only WebRTC run: unshare is not allowed here"
  fi
fi
