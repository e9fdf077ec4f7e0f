#!/usr/bin/env bash
# Builds the credential, permission and /proc test programs (static glibc,
# aarch64, and x86_64 with the host's gcc as NAME.x86_64.elf) and records what qemu-aarch64 prints for each as NAME.golden and
# its exit status as NAME.status. Run as root: the programs start as root
# and drop privileges themselves (qemu-user passes the id calls to the host).
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-aarch64-linux-gnu-gcc}
CFLAGS="-O2 -static -Wl,--build-id=none -s"
for name in perms creds procfacts procdump pidwrap; do
  $CC $CFLAGS -o "$name.elf" "$name.c"
  echo "built $name.elf ($(stat -c %s "$name.elf") bytes)"
  ${X86_CC:-gcc} $CFLAGS -o "$name.x86_64.elf" "$name.c"
done
command -v qemu-aarch64 >/dev/null || exit 0
[ "$(id -u)" = 0 ] || { echo "not root: goldens not recorded"; exit 0; }
for name in perms creds procfacts; do
  set +e
  setsid -w qemu-aarch64 -0 "$name" "$name.elf" a b > "$name.golden" 2>/dev/null
  echo $? > "$name.status"
  set -e
done
# The x86_64 builds print the same on the host kernel (checked here, not recorded).
if [ "$(uname -m)" = x86_64 ]; then
  for name in perms creds procfacts; do
    (setsid -w "./$name.x86_64.elf" a b 2>/dev/null | diff -q - "$name.golden" >/dev/null) || echo "warning: $name.x86_64.elf differs from $name.golden on this host"
  done
fi
