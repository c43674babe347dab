#!/usr/bin/env bash
# The WebRTC provider tests on a network that is only loopback, as a CI container may be: a
# normal interface hides loopback problems (../shared/TOOLCHAIN.md). Run after scripts/test.sh
# (it reuses the Maven cache offline). unshare -n as root, or unshare -rn (a user namespace)
# otherwise. NOT part of scripts/test.sh for now: in 2 of 3 runs on 2026-12-01 one provider
# test failed to sync a pair there (issue #5 stays open until it is reliable).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_chromium
if [ "$(id -u)" = 0 ]; then NS=(unshare -n); else NS=(unshare -rn); fi
"${NS[@]}" true 2>/dev/null || die "unshare is not allowed here"
say "WebRTC provider tests on a loopback-only network (${NS[*]})"
exec "${NS[@]}" bash -c 'ip link set lo up && cd "$0" && mvn -o -B -ntp -pl dev-server -am verify \
  -Dtest=ProviderBrowserTest -Dsurefire.failIfNoSpecifiedTests=false' "$ROOT"
