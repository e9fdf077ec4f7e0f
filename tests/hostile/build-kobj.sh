#!/usr/bin/env bash
# Rebuilds the hostile guests of kernel-object charging (freestanding, raw
# syscalls; tests/hostile/kobj-hostile.test.ts runs them under salty): aarch64
# as kobj-*.elf, and x86_64 (host gcc) as x86_64/kobj-*.elf, the latter for
# guests above aarch64's 3968M limit (tools/bench-hostile.ts at -m 4G).
# They are not run under qemu here: each exhausts the memory of the machine
# it runs on, and qemu-user's is the host's.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-aarch64-linux-gnu-gcc}
X86_CC=${X86_CC:-gcc}
CFLAGS="-O2 -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie -Wl,--build-id=none -s"
# One page for text and rodata, as aarch64's ld lays them out: with x86_64's
# separate rodata page, a guest that fills guest memory with kernel objects
# faults that page in only to print its result, and is OOM-killed instead.
X86_LDFLAGS="-Wl,-z,noseparate-code"
mkdir -p x86_64
for name in kobj-fork-bomb kobj-thread-bomb kobj-pipe-flood kobj-memfd-bomb kobj-oom-adj kobj-oom-storm kobj-timer-bomb kobj-epoll-bomb kobj-futex-bomb kobj-msg-bomb kobj-xattr-bomb kobj-symlink-bomb kobj-sem-bomb kobj-unix-bomb kobj-file-bomb kobj-link-bomb kobj-deep-bomb kobj-semundo-bomb kobj-mqueue-bomb kobj-blocked-send-bomb kobj-inotify-bomb kobj-mremap-bomb kobj-vma-bomb kobj-dir-bomb kobj-cork-bomb kobj-sharemap-bomb; do
  $CC $CFLAGS -o "$name.elf" ../fixtures/lib/start.S "$name.c"
  echo "built $name.elf ($(stat -c %s "$name.elf") bytes)"
  $X86_CC $CFLAGS $X86_LDFLAGS -o "x86_64/$name.elf" ../fixtures/lib/start-x86_64.S "$name.c"
  echo "built x86_64/$name.elf ($(stat -c %s "x86_64/$name.elf") bytes)"
done
