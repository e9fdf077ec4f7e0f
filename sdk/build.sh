#!/usr/bin/env bash
# Builds the SDK's runtime and examples (npm run sdk): freestanding static
# ELFs carrying the SaltyOS note, for aarch64 and x86_64, committed beside
# their sources in <dir>/<arch>/. Test programs under tests/native/ that use
# the SDK are built here too. SALTY_SDK_ARCHES picks the arches (default both).
set -euo pipefail
cd "$(dirname "$0")"
ARCHES=${SALTY_SDK_ARCHES:-aarch64 x86_64}
COMMON="-O2 -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie -fno-builtin -Wl,--build-id=none -Wl,-z,max-page-size=4096 -s"
RUNTIME="runtime/crt0.S runtime/runtime.c"

cc_for() {
  case $1 in
    aarch64) echo "${CC_AARCH64:-aarch64-linux-gnu-gcc}" ;;
    x86_64) echo "${CC_X86_64:-x86_64-linux-gnu-gcc}" ;;
  esac
}

# Per-arch flags: x86_64 keeps code and headers in one segment (as aarch64's ld
# does) and leaves out CET's endbr64 markers.
arch_flags() {
  case $1 in
    aarch64) echo "" ;;
    x86_64) echo "-Wl,-z,noseparate-code -fcf-protection=none" ;;
  esac
}

built() { echo "built $1 ($(stat -c %s "$1") bytes)"; }

for arch in $ARCHES; do
  CC=$(cc_for "$arch")
  FLAGS="$COMMON $(arch_flags "$arch")"
  for src in examples/*.c ../tests/native/guest/*.c; do
    [ -e "$src" ] || continue
    out=$(dirname "$src")/$arch/$(basename "${src%.c}").elf
    mkdir -p "$(dirname "$out")"
    $CC $FLAGS -Wall -Wextra -Iinclude -o "$out" $RUNTIME "$src"
    built "$out"
  done
  # Linux programs (no runtime, no note) whose goldens come from the arch's oracle.
  for src in ../tests/native/linux/$arch/*.c; do
    [ -e "$src" ] || continue
    out=${src%.c}.elf
    $CC $FLAGS -o "$out" "$src"
    oracle=""
    if [ "$arch" = aarch64 ] && command -v qemu-aarch64 >/dev/null; then oracle=qemu-aarch64; fi
    if [ "$arch" = x86_64 ] && [ "$(uname -m)" = x86_64 ]; then oracle=env; fi
    if [ -n "$oracle" ]; then
      set +e; $oracle "$out" > "${src%.c}.golden"; echo "exit $?" >> "${src%.c}.golden"; set -e
    fi
    built "$out"
  done
done
