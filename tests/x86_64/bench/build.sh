#!/bin/sh
# Rebuilds the flat benchmark images: x86-64 linked at 0x400000 (the x86 test
# machine's CODE), A64 at 0x40000000 (tests/cpu/machine.ts's RAM base).
set -e
cd "$(dirname "$0")"
FLAGS="-O2 -ffreestanding -nostdlib -static -fno-pie -no-pie -fno-stack-protector -fno-asynchronous-unwind-tables"
gcc $FLAGS -fcf-protection=none -mno-sse -Wl,-Ttext=0x400000 -Wl,--build-id=none -o cpu-bench-x86_64.elf cpu-bench.c
aarch64-linux-gnu-gcc $FLAGS -mgeneral-regs-only -Wl,-Ttext=0x40000000 -Wl,--build-id=none -o cpu-bench-aarch64.elf cpu-bench.c
objcopy -O binary cpu-bench-x86_64.elf cpu-bench-x86_64.bin
aarch64-linux-gnu-objcopy -O binary cpu-bench-aarch64.elf cpu-bench-aarch64.bin
nm cpu-bench-x86_64.elf | grep ' results$' | cut -d' ' -f1 > cpu-bench-x86_64.results
nm cpu-bench-aarch64.elf | grep ' results$' | cut -d' ' -f1 > cpu-bench-aarch64.results
rm -f cpu-bench-x86_64.elf cpu-bench-aarch64.elf
