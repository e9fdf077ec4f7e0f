#!/bin/sh
# Rebuilds the flat benchmark images: x86-64 linked at 0x400000 (the x86 test
# machine's CODE), A64 at 0x40000000 (tests/cpu/machine.ts's RAM base).
set -e
cd "$(dirname "$0")"
FLAGS="-O2 -ffreestanding -nostdlib -static -fno-pie -no-pie -fno-stack-protector -fno-asynchronous-unwind-tables"
# cpu-bench: the full workload (int.c's); cpu-bench-small: one round, a tenth of the hashing, a 512-element sort (the test's size).
for v in "cpu-bench:" "cpu-bench-small:-DROUNDS=1 -DHASH_ROUNDS=200000 -DSORT_N=512"; do
  name=${v%%:*}
  defs=${v#*:}
  gcc $FLAGS $defs -fcf-protection=none -mno-sse -Wl,-Ttext=0x400000 -Wl,--build-id=none -o $name-x86_64.elf cpu-bench.c
  aarch64-linux-gnu-gcc $FLAGS $defs -mgeneral-regs-only -Wl,-Ttext=0x40000000 -Wl,--build-id=none -o $name-aarch64.elf cpu-bench.c
  objcopy -O binary $name-x86_64.elf $name-x86_64.bin
  aarch64-linux-gnu-objcopy -O binary $name-aarch64.elf $name-aarch64.bin
  nm $name-x86_64.elf | grep ' results$' | cut -d' ' -f1 > $name-x86_64.results
  nm $name-aarch64.elf | grep ' results$' | cut -d' ' -f1 > $name-aarch64.results
  rm -f $name-x86_64.elf $name-aarch64.elf
done
