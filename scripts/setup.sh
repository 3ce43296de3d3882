#!/usr/bin/env bash
# One-time set-up of a fresh Debian machine for development and tests. Idempotent: run it again at any
# time. Installs only the system packages that are missing (no apt at all when everything is present),
# then the npm dependencies, then pre-fetches the Elasticsearch test distribution.
set -euo pipefail
cd "$(dirname "$0")/.."

# package -> commands/files whose presence means "already there" (checked before asking apt)
declare -A provides=(
  [chromium]="chromium"
  [gnome-keyring]="gnome-keyring-daemon"
  [dbus]="dbus-daemon dbus-run-session"
  [dbus-x11]="dbus-launch"
  [libsecret-1-dev]="/usr/include/libsecret-1/libsecret/secret.h"
  [openssl]="openssl"
  [maven]="mvn"
  [default-jdk-headless]="java javac" # Elasticsearch; javac builds the secured test cluster's plugin
  [unzip]="unzip"                # unpacks the Elasticsearch zip
  [build-essential]="make g++"   # keytar is a native module built from source (no Node 20 prebuild)
  [python3]="python3"            # node-gyp
)
order=(chromium gnome-keyring dbus dbus-x11 libsecret-1-dev openssl maven default-jdk-headless unzip build-essential python3)

present() {
  local thing
  for thing in $1; do
    if [[ "$thing" == /* ]]; then [ -e "$thing" ] || return 1; else command -v "$thing" >/dev/null 2>&1 || return 1; fi
  done
}

java_ok() {
  command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 || return 1
  local major
  major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  [ -n "$major" ] && [ "$major" -ge 17 ] || return 1
  major="$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p' | head -n1)"
  [ -n "$major" ] && [ "$major" -ge 17 ]
}

missing=()
for pkg in "${order[@]}"; do
  if [ "$pkg" = default-jdk-headless ]; then
    java_ok || missing+=("$pkg")
  elif ! present "${provides[$pkg]}"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: system packages present"
elif [ "$(id -u)" -eq 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
else
  echo "setup: these system packages are missing and installing them needs root:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  echo "  then run: bash scripts/setup.sh" >&2
  exit 1
fi

if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is required (found: $(node -v 2>/dev/null || echo none))" >&2
  exit 1
fi

# No Electron binary download: vitest runs under Node, and a missing binary fails loudly if needed.
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci </dev/null

# npm 11 skips dependency install scripts that package.json's allowScripts does not approve, which
# leaves keytar without its native binding: build it explicitly when it is missing.
if [ ! -f node_modules/keytar/build/Release/keytar.node ]; then
  echo "setup: building keytar's native module"
  npm --prefix node_modules/keytar run build </dev/null
fi
node -e "require('keytar')" || {
  echo "setup: keytar does not load (libsecret missing?)" >&2
  exit 1
}

npx --no-install tsx tests/support/fetch-es.ts </dev/null

# The compiled app: Electron main, preload, renderer and the tenantctl CLI (bin/tenantctl.mjs runs
# out/main/cli.js; see docs/build.md). A couple of seconds; needs no Electron binary.
npm run --silent build </dev/null

echo "setup: done"
