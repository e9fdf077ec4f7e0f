#!/usr/bin/env bash
# Rebuilds the hostile guests of kernel-object charging (freestanding aarch64,
# raw syscalls; tests/hostile/kobj-hostile.test.ts runs them under salty).
# They are not run under qemu-aarch64 here: each exhausts the memory of the
# machine it runs on, and qemu-user's is the host's.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-aarch64-linux-gnu-gcc}
CFLAGS="-O2 -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie -Wl,--build-id=none -s"
for name in kobj-fork-bomb kobj-thread-bomb kobj-pipe-flood kobj-memfd-bomb kobj-oom-adj kobj-oom-storm kobj-timer-bomb kobj-epoll-bomb kobj-futex-bomb; do
  $CC $CFLAGS -o "$name.elf" ../fixtures/lib/start.S "$name.c"
  echo "built $name.elf ($(stat -c %s "$name.elf") bytes)"
done
