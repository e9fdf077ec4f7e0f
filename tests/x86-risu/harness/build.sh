#!/bin/sh
# Rebuilds x86-risu-harness.elf, the native side of the x86-64 random-instruction
# differential test (see docs/x86-risu.md). Freestanding and static, text at
# 0x0800_0000, away from the block window at 0x4000_0000.
set -eu
cd "$(dirname "$0")"
out=${1:-x86-risu-harness.elf}
gcc -O2 -nostdlib -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
  -mgeneral-regs-only -static -fno-pie -no-pie -Wl,--build-id=none -Wl,-Ttext-segment=0x08000000 \
  -s -o "$out" x86-risu-entry.S x86-risu-harness.c
ls -l "$out"
