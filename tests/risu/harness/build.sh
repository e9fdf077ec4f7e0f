#!/bin/sh
# Rebuilds risu-harness.elf, the qemu-aarch64 side of the random-instruction
# differential test (see docs/risu.md). Freestanding and static; its text sits
# at 0x4200_0000, within a branch of the block window at 0x4000_0000.
set -eu
cd "$(dirname "$0")"
aarch64-linux-gnu-gcc -O2 -nostdlib -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables \
  -mgeneral-regs-only -static -fno-pie -no-pie -Wl,--build-id=none -Wl,-Ttext-segment=0x42000000 \
  -Wl,--defsym=risu_code=0x40000000 -s -o risu-harness.elf risu-entry.S risu-harness.c -lgcc
ls -l risu-harness.elf
