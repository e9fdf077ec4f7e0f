#!/usr/bin/env bash
# Builds oracle-gaps.c (static: .elf for aarch64, .x86_64.elf with the host's
# gcc) and records the host kernel's answers (the x86_64 build run natively)
# as oracle-gaps.golden, and qemu-aarch64's as oracle-gaps.qemu.golden.
set -euo pipefail
cd "$(dirname "$0")"
CFLAGS="-O2 -static -Wl,--build-id=none -s -w"
${CC:-aarch64-linux-gnu-gcc} $CFLAGS -o oracle-gaps.elf oracle-gaps.c
${X86_CC:-gcc} $CFLAGS -o oracle-gaps.x86_64.elf oracle-gaps.c
[ "$(uname -m)" = x86_64 ] || { echo "not an x86_64 host: goldens not recorded"; exit 0; }
./oracle-gaps.x86_64.elf > oracle-gaps.golden
if command -v qemu-aarch64 > /dev/null; then qemu-aarch64 ./oracle-gaps.elf > oracle-gaps.qemu.golden; fi
echo "recorded: $(qemu-aarch64 --version | head -1), host $(uname -r)"
