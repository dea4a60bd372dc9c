#!/bin/sh
# The one list of system packages the tests need, each checked by what the tests actually use (a command or
# a file), not by "package installed". Missing ones are installed with apt-get (after apt-get update) when
# running as root on a Debian-like system; otherwise the exact install line is printed and the script fails.
# MOICA_TEST_NO_INSTALL=1: check and print only. Idempotent; well under a second when all is there.
#
# Called by `npm test` (first) and by .ci/run: the package list lives here and nowhere else.
set -eu
cd "$(dirname "$0")/.."

# package  kind  what the tests use
LIST='
pcscd            cmd   pcscd
libpcsclite-dev  file  /usr/include/PCSC/winscard.h
vsmartcard-vpcd  file  /usr/lib/pcsc/drivers/serial/libifdvpcd.so
openssl          cmd   openssl
softhsm2         file  /usr/lib/softhsm/libsofthsm2.so
softhsm2         cmd   softhsm2-util
opensc           cmd   pkcs11-tool
opensc           cmd   opensc-tool
tmux             cmd   tmux
util-linux       cmd   unshare
python3          cmd   python3
make             cmd   make
g++              cmd   g++
gcc              cmd   cc
pkg-config       cmd   pkg-config
'

missing_now() {
  echo "$LIST" | while read -r pkg kind what; do
    [ -n "$pkg" ] || continue
    case "$kind" in
      cmd) command -v "$what" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$what" >/dev/null 2>&1 || echo "$pkg" ;;
      file) [ -e "$what" ] || echo "$pkg" ;;
    esac
  done | sort -u | tr '\n' ' ' | sed 's/ $//'
}

missing=$(missing_now)
if [ -n "$missing" ]; then
  echo "test-deps: missing for the tests: $missing"
  if [ "${MOICA_TEST_NO_INSTALL:-}" = 1 ] || [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test-deps: install them with:"
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing"
    exit 1
  fi
  echo "test-deps: + apt-get update"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  echo "test-deps: + apt-get install -y --no-install-recommends $missing"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
  still=$(missing_now)
  if [ -n "$still" ]; then
    echo "test-deps: still missing after the install: $still"
    exit 1
  fi
fi

# pcscd's socket directory: the rig binds a private directory over it inside its own mount namespace.
if [ ! -d /run/pcscd ]; then
  if [ "$(id -u)" = 0 ] && [ "${MOICA_TEST_NO_INSTALL:-}" != 1 ]; then
    echo "test-deps: + mkdir -p /run/pcscd"
    mkdir -p /run/pcscd
  else
    echo "test-deps: /run/pcscd is missing; create it with:"
    echo "  sudo mkdir -p /run/pcscd"
    exit 1
  fi
fi

# The native bindings are optional dependencies: `npm ci` on a machine without libpcsclite-dev skips
# pcsclite silently. Once the headers are there, build it (the tests need the real binding).
if [ -d node_modules ] && [ ! -e node_modules/pcsclite/build/Release/pcsclite.node ]; then
  version=$(node -p "require('./package-lock.json').packages['node_modules/pcsclite'].version")
  if [ "${MOICA_TEST_NO_INSTALL:-}" = 1 ]; then
    echo "test-deps: the pcsclite binding is not built; build it with: npm rebuild pcsclite (or npm ci)"
    exit 1
  fi
  if [ -d node_modules/pcsclite ]; then
    echo "test-deps: + npm rebuild pcsclite"
    npm rebuild pcsclite
  else
    echo "test-deps: + npm install --no-save pcsclite@$version"
    npm install --no-save --no-audit --no-fund "pcsclite@$version"
  fi
fi

# The binding's close is mended at install (scripts/pcsclite-fix.mjs, the package.json postinstall); a
# binding built another way (npm rebuild, the npm install above, --ignore-scripts) is mended here.
if [ -d node_modules/pcsclite ]; then
  if [ "${MOICA_TEST_NO_INSTALL:-}" = 1 ]; then
    node scripts/pcsclite-fix.mjs --check
  else
    node scripts/pcsclite-fix.mjs
  fi
fi
exit 0
