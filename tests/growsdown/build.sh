#!/usr/bin/env bash
# Builds growsdown.c (static: .elf for aarch64, .x86_64.elf with the host's
# gcc) and records what the host kernel prints for it (the x86_64 build run
# natively) as growsdown.golden. Run on an x86_64 Linux host; elsewhere only
# the programs are rebuilt.
set -euo pipefail
cd "$(dirname "$0")"
CFLAGS="-O2 -static -Wl,--build-id=none -s -w"
${CC:-aarch64-linux-gnu-gcc} $CFLAGS -o growsdown.elf growsdown.c
${X86_CC:-gcc} $CFLAGS -o growsdown.x86_64.elf growsdown.c
[ "$(uname -m)" = x86_64 ] || { echo "not an x86_64 host: golden not recorded"; exit 0; }
./growsdown.x86_64.elf > growsdown.golden
