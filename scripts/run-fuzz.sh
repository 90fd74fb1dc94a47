#!/usr/bin/env bash
# Builds every libFuzzer harness in tests/fuzz/ with clang (ASan + UBSan) and runs each for
# FUZZ_SECONDS (default 60) from its seed corpus tests/fuzz/corpus/<name>/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-60}
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DIOM_FUZZ=ON >/dev/null
# only the harnesses: libiom is built with coverage hooks that only a fuzzer links against
targets=()
for src in tests/fuzz/fuzz_*.c; do
  [ -e "$src" ] && targets+=(--target "$(basename "$src" .c)")
done
cmake --build build-fuzz -j "$(nproc)" "${targets[@]}"
status=0
for src in tests/fuzz/fuzz_*.c; do
  [ -e "$src" ] || continue
  name=$(basename "$src" .c)
  seeds=tests/fuzz/corpus/$name
  work=build-fuzz/corpus/$name
  mkdir -p "$work"
  echo "== $name for ${secs}s"
  args=("$work")
  [ -d "$seeds" ] && args+=("$seeds")
  if ! build-fuzz/"$name" -max_total_time="$secs" -print_final_stats=1 "${args[@]}" 2>build-fuzz/$name.log; then
    tail -40 build-fuzz/$name.log; status=1
  else
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' build-fuzz/$name.log || true
  fi
done
exit $status
