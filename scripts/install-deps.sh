#!/usr/bin/env bash
# Installs exactly the Debian 12 packages iom needs, non-interactively.
# Idempotent and fast when everything is present: apt-get runs only for missing packages.
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh fuzz     also clang's libFuzzer
#   scripts/install-deps.sh bench    also the benchmark tools
set -euo pipefail

pkgs=(build-essential cmake pkg-config git
      tzdata libsqlite3-dev sqlite3 libsodium-dev libjansson-dev libutf8proc-dev libcsv-dev
      libcmocka-dev libmicrohttpd-dev libgnutls28-dev liboath-dev libigraph-dev libxml2-dev zlib1g-dev python3-networkx
      nodejs chromium chromium-driver fonts-dejavu-core
      postgresql libpq-dev)
# postgresql: the server (Debian 12: 15, with the contrib modules such as unaccent) for the
# PostgreSQL back-end's tests, which run their own throw-away cluster
# (scripts/pg-test-cluster.sh: its own data directory and Unix socket, no TCP port).
# The web UI's build (npm ci, esbuild) and browser tests (playwright-core driving Debian's
# chromium): Debian's npm only when no npm came with nodejs (NodeSource's nodejs bundles it).
command -v npm >/dev/null || pkgs+=(npm)
for extra in "$@"; do
  case "$extra" in
    fuzz)  pkgs+=(clang libclang-rt-14-dev libfuzzer-14-dev) ;;
    bench) pkgs+=(hyperfine wrk nginx python3-networkx python3-scipy) ;;
    *) echo "install-deps: unknown group '$extra' (known: fuzz, bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
# On a first install of the server, the package makes a cluster "main" and starts it on
# localhost:5432 (without systemd through /etc/init.d, unless policy-rc.d forbids it; a failed
# start fails the install). iom needs no system cluster: postgresql-common goes in first and is
# told not to create "main" (pg_createcluster 15 main --start makes one later if wanted).
if printf '%s\n' "${missing[@]}" | grep -qx postgresql; then
  [ "$(dpkg-query -W -f='${db:Status-Status}' postgresql-common 2>/dev/null || true)" = "installed" ] ||
    $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends postgresql-common </dev/null
  $SUDO pg_conftool /etc/postgresql-common/createcluster.conf set create_main_cluster off
fi
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" </dev/null
