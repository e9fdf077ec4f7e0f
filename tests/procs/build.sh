#!/usr/bin/env bash
# Builds procs.c (static glibc, aarch64, and x86_64 with the host's gcc as
# procs.x86_64.elf) and records what qemu-aarch64 prints as procs.golden
# with its exit status as procs.status. Run as root (qemu-user passes the
# calls to the host kernel; the program drops to nobody where it needs to),
# in new UTS and IPC namespaces when unshare(1) can make them.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-aarch64-linux-gnu-gcc}
CFLAGS="-O2 -static -Wl,--build-id=none -s"
$CC $CFLAGS -o procs.elf procs.c
echo "built procs.elf ($(stat -c %s procs.elf) bytes)"
${X86_CC:-gcc} $CFLAGS -o procs.x86_64.elf procs.c
$CC $CFLAGS -o nicefair.elf nicefair.c -lpthread
${X86_CC:-gcc} $CFLAGS -o nicefair.x86_64.elf nicefair.c -lpthread
# clockset changes the clock it runs under: built here, run only under salty (clockset.expected is Linux's documented outcome).
$CC $CFLAGS -o clockset.elf clockset.c
${X86_CC:-gcc} $CFLAGS -o clockset.x86_64.elf clockset.c
command -v qemu-aarch64 >/dev/null || exit 0
[ "$(id -u)" = 0 ] || { echo "not root: golden not recorded"; exit 0; }
wrap=()
unshare --uts --ipc true 2>/dev/null && wrap=(unshare --uts --ipc)
set +e
"${wrap[@]}" setsid -w qemu-aarch64 -0 procs procs.elf > procs.golden 2>/dev/null
echo $? > procs.status
qemu-aarch64 nicefair.elf > nicefair.golden
