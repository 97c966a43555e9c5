#!/usr/bin/env bash
# Checks, in a few seconds, everything `make test` needs beyond this repository. As root on a
# Debian-like system it installs what is missing with apt; otherwise it stops at once and prints
# the command that installs it.
#
#   scripts/prerequisites.sh          check, and install as root
#   scripts/prerequisites.sh --check  only check
set -euo pipefail

install=yes
[ "${1:-}" = --check ] && install=no

packages=()   # apt packages to install
problems=()   # what is wrong, for people

has_package() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

need() { # need PACKAGE WHAT
  packages+=("$1")
  problems+=("$2 (apt package $1)")
}

ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need postgresql "PostgreSQL server binaries, for the storage tests"
ls /usr/share/postgresql/*/extension/pg_trgm.control >/dev/null 2>&1 ||
  need postgresql-contrib "PostgreSQL's pg_trgm extension, for ticket search"
if ! pkg-config --exists libpq 2>/dev/null && ! has_package libpq-dev; then
  need libpq-dev "libpq headers, to build the PostgreSQL adapter"
fi
command -v pkg-config >/dev/null || need pkg-config "pkg-config, to find libpq"
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need chromium "Chromium at ${CHROMIUM_PATH:-/usr/bin/chromium}, for the browser tests"
command -v curl >/dev/null || need curl "curl, for the server scripts"
python3 -c 'import venv, ensurepip' 2>/dev/null || need python3-venv "Python 3 with venv, for the API fuzzing tools"

node_ok=yes
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  node_ok=no
elif ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  node_ok=no
fi
[ $node_ok = yes ] || problems+=("Node.js 20.19 or newer with npm (https://nodejs.org/en/download)")

rust_ok=yes
command -v cargo >/dev/null || { rust_ok=no; problems+=("Rust and cargo (https://rustup.rs)"); }
if [ $rust_ok = yes ] && command -v rustup >/dev/null; then
  for component in clippy rustfmt; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      if [ $install = yes ]; then rustup component add "$component"; else problems+=("rustup component $component (rustup component add $component)"); fi
    fi
  done
fi

if [ ${#packages[@]} -gt 0 ] && [ $install = yes ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "prerequisites: installing ${packages[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
  exec "$0" --check
fi

if [ ${#problems[@]} -gt 0 ]; then
  echo "make test needs what this machine lacks:" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  if [ ${#packages[@]} -gt 0 ]; then
    echo "Install the packages with (as root), then run make test again:" >&2
    echo "  apt-get install -y --no-install-recommends ${packages[*]}" >&2
  fi
  exit 1
fi
