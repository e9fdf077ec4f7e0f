#!/usr/bin/env bash
# Rebuilds the programs tests/gdb debugs: static aarch64, -g -O0, our own C.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-aarch64-linux-gnu-gcc}
$CC -g -O0 -static -fno-pie -no-pie -Wl,--build-id=none -o debugee.elf debugee.c
$CC -g -O0 -static -fno-pie -no-pie -pthread -Wl,--build-id=none -o threads.elf threads.c
$CC -g -O0 -static -fno-pie -no-pie -Wl,--build-id=none -o spin.elf spin.c
$CC -g -O0 -static -fno-pie -no-pie -Wl,--build-id=none -o fork.elf fork.c
aarch64-linux-gnu-gcc -g -O0 -nostdlib -ffreestanding -fno-stack-protector -mgeneral-regs-only -static -Wl,--build-id=none -Wl,-Ttext=0x40100000 -Wl,-z,max-page-size=4096 -Wl,-e,_start -o bare.elf bare.c
# The same program dynamically linked and position-independent (gdb relocates it from the auxv; run with -L /usr/aarch64-linux-gnu).
$CC -g -O0 -fpie -pie -Wl,--build-id=none -o debugee-pie.elf debugee.c
ls -l debugee-pie.elf bare.elf debugee.elf threads.elf spin.elf fork.elf
