#!/usr/bin/env bash
# Installs exactly the Debian 12 packages iom needs, non-interactively.
# Idempotent and fast when everything is present: apt-get runs only for missing packages.
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh fuzz     also clang's libFuzzer
#   scripts/install-deps.sh bench    also the benchmark tools
set -euo pipefail

pkgs=(build-essential cmake pkg-config git
      tzdata libsqlite3-dev sqlite3 libsodium-dev libjansson-dev libutf8proc-dev libcsv-dev
      libcmocka-dev libmicrohttpd-dev liboath-dev libigraph-dev libxml2-dev python3-networkx
      nodejs chromium chromium-driver fonts-dejavu-core)
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
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" </dev/null
