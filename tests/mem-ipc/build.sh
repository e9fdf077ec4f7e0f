#!/usr/bin/env bash
# Builds the memory, IPC, futex, pipe and socket test programs of the ltp-mem
# work (static glibc, aarch64) and records what qemu-aarch64 prints for each
# as NAME.golden and its exit status as NAME.status. Run as root: some write
# /proc/sys/kernel tunables (qemu-user passes them to the host, which the
# programs put back as they found them).
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-aarch64-linux-gnu-gcc}
CFLAGS="-O2 -static -Wl,--build-id=none -s"
PROGRAMS="ipcnext"
for name in $PROGRAMS; do
  $CC $CFLAGS -o "$name.elf" "$name.c" -lrt -lpthread
  echo "built $name.elf ($(stat -c %s "$name.elf") bytes)"
done
command -v qemu-aarch64 >/dev/null || exit 0
[ "$(id -u)" = 0 ] || { echo "not root: goldens not recorded"; exit 0; }
for name in $PROGRAMS; do
  set +e
  (cd /tmp && setsid -w qemu-aarch64 -0 "$name" "$OLDPWD/$name.elf" > "$OLDPWD/$name.golden" 2>/dev/null)
  echo $? > "$name.status"
  set -e
done
