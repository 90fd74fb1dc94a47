#!/bin/sh
# bench/foreign_shapes/run-all2.sh [IOM] [PEOPLE] [SEED]: every shape of gen2.py (the second
# review's held-out shapes, README.md), run as run-all.sh runs gen.py's: generated into a
# temporary directory, conflated by `iom conflate` at its defaults, scored pairwise against the
# truth (score.py). One line per shape. Not a test. Needs python3 (standard library only).
here=$(cd "$(dirname "$0")" && pwd)
GEN=gen2.py SHAPES="celtic surfirst alias partialdob homesplit twins fatherson ocr phones tiny" \
    exec sh "$here/run-all.sh" "$@"
