#!/usr/bin/env bash
# The WebRTC provider tests on a network that is only loopback, as a CI container may be: a
# normal interface hides loopback problems (../shared/TOOLCHAIN.md). scripts/test.sh runs it
# after the main `mvn verify` (it reuses the build and the Maven cache offline); run it alone
# after a build. unshare -n as root, or unshare -rn (a user namespace) otherwise.
# --if-allowed: where neither is allowed, say so and exit 0 instead of failing.
# Issue #5: on a loaded machine Chromium lost an answerer's first data-channel sends and the
# pair never synced (once in 240 provider tests run back to back); the answerer now waits for
# the offerer's first frame, and a stalled session asks again (PROTOCOL.md, Finding peers).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if [ "$(id -u)" = 0 ]; then NS=(unshare -n); else NS=(unshare -rn); fi
if ! "${NS[@]}" true 2>/dev/null; then
  if [ "${1:-}" = --if-allowed ]; then
    say "skipping the loopback-only WebRTC run: ${NS[*]} is not allowed here (no permission to make a network namespace)"
    exit 0
  fi
  die "unshare is not allowed here"
fi
ensure_chromium
say "WebRTC provider tests on a loopback-only network (${NS[*]})"
exec "${NS[@]}" bash -c 'ip link set lo up && cd "$0" && mvn -o -B -ntp -pl dev-server -am verify \
  -Dtest=ProviderBrowserTest -Dsurefire.failIfNoSpecifiedTests=false' "$ROOT"
