# Shared helpers for the scripts in this folder. Source it; do not run it.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root (directly when we are root, through sudo otherwise).
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found: install $* with your system's package manager"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# The build toolchain: JDK 17+, Maven, Node.js and npm (for the pinned wasm-opt).
ensure_build_tools() {
  local want=()
  command -v javac >/dev/null || want+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || want+=(maven)
  command -v node >/dev/null || want+=(nodejs)
  command -v npm >/dev/null || want+=(npm)
  if [ ${#want[@]} -gt 0 ]; then say "installing ${want[*]} (apt-get)"; apt_install "${want[@]}"; fi
}

# npm ci in folder $1 when its lock file changed since the last install or $2 (a path in the
# folder) is missing; $3 says what is being installed.
npm_ci_locked() {
  local dir="$ROOT/$1"
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.mycelium-lock" 2>/dev/null \
      || [ ! -x "$dir/$2" ]; then
    say "installing $3 (npm ci in $1/)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $1/"
    cp "$dir/package-lock.json" "$dir/node_modules/.mycelium-lock"
  fi
}

# wasm-opt from the npm package binaryen, exactly as size-budget/package-lock.json pins it.
ensure_binaryen() {
  npm_ci_locked size-budget node_modules/binaryen/bin/wasm-opt wasm-opt
}

# Debian's Chromium and chromedriver, for the real-browser tests and benchmarks; iproute2 for
# the loopback-only run of the WebRTC tests in scripts/test.sh.
ensure_chromium() {
  command -v ip >/dev/null || { say "installing iproute2 (apt-get)"; apt_install iproute2; }
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing chromium and chromium-driver (apt-get)"
    apt_install chromium chromium-driver
  fi
}
