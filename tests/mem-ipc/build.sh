#!/usr/bin/env bash
# Builds the memory, IPC, futex, pipe and socket test programs of the ltp-mem
# work (static glibc, aarch64; the host-oracle ones also for x86_64 as
# NAME.x86_64) and records each one's golden output (NAME.golden) and exit
# status (NAME.status): from qemu-aarch64 for QEMU_PROGRAMS, from the host
# kernel running the x86_64 build for HOST_PROGRAMS (where qemu-user does
# not pass the behaviour through: mlock2, /proc/self/smaps and pagemap).
# Run as root: some write /proc/sys/kernel tunables (put back as found) or
# drop privileges themselves.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-aarch64-linux-gnu-gcc}
CFLAGS="-O2 -static -Wl,--build-id=none -s"
QEMU_PROGRAMS="ipcnext buserr mapsync semundo threadstate"
HOST_PROGRAMS="memlock mqueue hugepage pipes readiness unixperm"
# Checked by assertions on Linux's rules, not a golden (recording would disturb the host).
SALTY_PROGRAMS="mapcount"
for name in $QEMU_PROGRAMS $HOST_PROGRAMS $SALTY_PROGRAMS; do
  $CC $CFLAGS -o "$name.elf" "$name.c" -lrt -lpthread -w
  echo "built $name.elf ($(stat -c %s "$name.elf") bytes)"
done
[ "$(id -u)" = 0 ] || { echo "not root: goldens not recorded"; exit 0; }
record() { # name command...
  local name=$1; shift
  set +e
  (cd /tmp && setsid -w "$@" > "$OLDPWD/$name.golden" 2>/dev/null)
  echo $? > "$name.status"
  set -e
}
if command -v qemu-aarch64 >/dev/null; then
  for name in $QEMU_PROGRAMS; do record "$name" qemu-aarch64 -0 "$name" "$PWD/$name.elf"; done
fi
if [ "$(uname -m)" = x86_64 ]; then
  for name in $HOST_PROGRAMS; do
    ${X86_CC:-gcc} -O2 -static -o "/tmp/$name.x86_64" "$name.c" -lrt -lpthread -w
    record "$name" "/tmp/$name.x86_64"
  done
fi
