#!/usr/bin/env bash
# Builds syscall-loop.elf (static aarch64), the loop program docs/ltp.md's
# syscall-path measurements time: node dist/salty.mjs run tests/syscall-cost/syscall-loop.elf KIND N
set -euo pipefail
cd "$(dirname "$0")"
${CC:-aarch64-linux-gnu-gcc} -O2 -static -Wl,--build-id=none -s -w -o syscall-loop.elf syscall-loop.c
