#!/usr/bin/env bash
# Builds tun.c (static: .elf for aarch64, .x86_64.elf with the host's gcc)
# and records what the host kernel prints for it (the x86_64 build run
# natively, as root, with /dev/net/tun present) as tun.golden.
set -euo pipefail
cd "$(dirname "$0")"
CFLAGS="-O2 -static -Wl,--build-id=none -s -w"
${CC:-aarch64-linux-gnu-gcc} $CFLAGS -o tun.elf tun.c
${X86_CC:-gcc} $CFLAGS -o tun.x86_64.elf tun.c
[ "$(uname -m)" = x86_64 ] && [ -c /dev/net/tun ] || { echo "no x86_64 host with /dev/net/tun: golden not recorded"; exit 0; }
./tun.x86_64.elf > tun.golden
