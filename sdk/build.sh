#!/usr/bin/env bash
# Builds the SDK's runtime and examples (npm run sdk): freestanding static
# aarch64 ELFs carrying the SaltyOS note, committed beside their sources.
# Test programs under tests/native/ that use the SDK are built here too.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-aarch64-linux-gnu-gcc}
CFLAGS="-O2 -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie -fno-builtin -Wall -Wextra -Iinclude -Wl,--build-id=none -Wl,-z,max-page-size=4096 -s"
RUNTIME="runtime/crt0.S runtime/runtime.c"
build() {
  local src=$1 out=${1%.c}.elf
  $CC $CFLAGS -o "$out" $RUNTIME "$src"
  echo "built $out ($(stat -c %s "$out") bytes)"
}
for src in examples/*.c ../tests/native/guest/*.c; do
  [ -e "$src" ] && build "$src"
done
# Linux programs (no runtime, no note) that the native tests compare with qemu-aarch64.
for src in ../tests/native/linux/*.c; do
  [ -e "$src" ] || continue
  out=${src%.c}.elf
  $CC -O2 -static -nostdlib -ffreestanding -fno-pie -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 -s -o "$out" "$src"
  if command -v qemu-aarch64 >/dev/null; then
    set +e; qemu-aarch64 "$out" > "${src%.c}.golden"; echo "exit $?" >> "${src%.c}.golden"; set -e
  fi
  echo "built $out ($(stat -c %s "$out") bytes)"
done
