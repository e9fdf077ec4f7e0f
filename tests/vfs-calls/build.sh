#!/usr/bin/env bash
# Builds the VFS call programs (static glibc: NAME.elf for aarch64,
# NAME.x86_64.elf with the host's gcc) and records what the host kernel
# prints for each as NAME.golden and its exit status as NAME.status (the
# x86_64 build run natively: qemu-aarch64 7.2 lacks some of these calls,
# preadv2 among them, so the host kernel is the oracle). Run as root on an
# x86_64 Linux host; elsewhere only the programs are rebuilt.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-aarch64-linux-gnu-gcc}
CFLAGS="-O2 -static -Wl,--build-id=none -s -w"
NAMES=${NAMES:-"vectored fsfiles fsevents dnotify"}
for name in $NAMES; do
  $CC $CFLAGS -o "$name.elf" "$name.c"
  ${X86_CC:-gcc} $CFLAGS -o "$name.x86_64.elf" "$name.c"
  echo "built $name.elf and $name.x86_64.elf"
done
[ "$(uname -m)" = x86_64 ] || { echo "not an x86_64 host: goldens not recorded"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "not root: goldens not recorded"; exit 0; }
for name in $NAMES; do
  set +e
  (cd /tmp && setsid -w "$OLDPWD/$name.x86_64.elf" < /dev/null > "$OLDPWD/$name.golden" 2>/dev/null)
  echo $? > "$name.status"
  set -e
done
