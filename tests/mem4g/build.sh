#!/usr/bin/env bash
# Builds top-of-ram.elf (static glibc, aarch64) and records qemu-aarch64's
# output as its golden (it touches 4 MiB: safe to run under qemu-user).
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-aarch64-linux-gnu-gcc}
$CC -O2 -march=armv8-a -static -Wl,--build-id=none -s -o top-of-ram.elf top-of-ram.c
echo "built top-of-ram.elf ($(stat -c %s top-of-ram.elf) bytes)"
if command -v qemu-aarch64 >/dev/null; then
  qemu-aarch64 ./top-of-ram.elf > top-of-ram.golden
  echo "recorded top-of-ram.golden from qemu-aarch64"
fi
