#!/usr/bin/env bash
# Builds the hostile guests and the limits program (static glibc, aarch64)
# and records the host kernel's answers for limits.c: its x86_64 build run
# natively is the oracle (limits.golden). The bombs are not run on the host:
# they would fill its /tmp and its memory; their tests check salty's answers
# against what statfs and the limits promise.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-aarch64-linux-gnu-gcc}
CFLAGS="-O2 -static -Wl,--build-id=none -s"
for name in limits kernel-limits filebomb fdbomb mmapbomb sigflood; do
  $CC $CFLAGS -o "$name.elf" "$name.c"
  echo "built $name.elf ($(stat -c %s "$name.elf") bytes)"
done
# limits.c for the PC machine too (salty's x86_64 personality must give the same answers).
X86_CC=${X86_CC:-gcc}
$X86_CC $CFLAGS -o limits.x86_64.elf limits.c
echo "built limits.x86_64.elf ($(stat -c %s limits.x86_64.elf) bytes)"
if [ "$(uname -m)" = x86_64 ] && [ "$(id -u)" = 0 ]; then
  host=$(mktemp)
  gcc $CFLAGS -o "$host" limits.c
  "$host" fsize nofile as data stack nproc sigpending memlock > limits.golden
  gcc $CFLAGS -o "$host" fdbomb.c
  "$host" > fdbomb.golden
  gcc $CFLAGS -o "$host" sigflood.c
  "$host" > sigflood.golden
  gcc $CFLAGS -o "$host" kernel-limits.c
  "$host" e2big rtkill timers inotify > kernel-limits.golden
  rm -f "$host"
  echo "recorded limits.golden, kernel-limits.golden, fdbomb.golden and sigflood.golden from the host kernel ($(uname -r))"
fi
