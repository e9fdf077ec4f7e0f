#!/usr/bin/env bash
# Builds LTP's syscall tests static for aarch64 from the snapshot in
# ../shared/ltp (the repository is cloned beside `shared` in CI) into
# tests/ltp/.cache/ltp. Idempotent: skips when the stamp of this tarball is
# there. Never fails hard: it says what it skipped and exits 0, so the LTP
# tests skip with that reason.
#   LTP_TARBALL=path   another snapshot
#   LTP_DIRS="a b"     only these directories of testcases/kernel/syscalls
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="$here/.cache"
dest="$cache/ltp"

skip() { echo "ltp build: skipped: $*"; exit 0; }

tarball="${LTP_TARBALL:-}"
if [ -z "$tarball" ]; then
  tarball="$(ls "$repo"/../shared/ltp/ltp-*.tar.xz 2>/dev/null | head -n 1)"
fi
[ -n "$tarball" ] && [ -f "$tarball" ] || skip "no LTP snapshot (../shared/ltp/ltp-*.tar.xz)"
stamp="$dest/.salty-built-$(basename "$tarball")"
if [ -f "$stamp" ]; then echo "ltp build: already built ($stamp)"; exit 0; fi

for tool in make autoconf automake m4 pkg-config aarch64-linux-gnu-gcc xz; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (apt: autoconf automake m4 make pkg-config gcc-aarch64-linux-gnu xz-utils)"
done

start=$(date +%s)
jobs="${LTP_JOBS:-$(nproc)}"
log="$cache/build.log"
mkdir -p "$cache"
rm -rf "$dest"
echo "ltp build: unpacking $(basename "$tarball") into $dest"
tar -C "$cache" -xJf "$tarball" || skip "could not unpack $tarball"
[ -d "$dest" ] || skip "the tarball did not unpack into ltp/"
cd "$dest"

echo "ltp build: make autotools, configure (log: $log)"
{ make autotools &&
  ./configure --host=aarch64-linux-gnu CC=aarch64-linux-gnu-gcc LDFLAGS=-static \
    --without-numa --without-tirpc --without-libaio --without-libacl \
    --without-libcap --without-keyutils --without-selinux; } >"$log" 2>&1 ||
  skip "autotools/configure failed (see $log)"

echo "ltp build: lib and libs"
make -j"$jobs" -C lib >>"$log" 2>&1 || skip "make -C lib failed (see $log)"
make -j"$jobs" -k -C libs >>"$log" 2>&1 || echo "ltp build: some of libs/ failed (see $log)"

dirs="${LTP_DIRS:-}"
if [ -z "$dirs" ]; then
  echo "ltp build: testcases/kernel/syscalls (all directories)"
  make -j"$jobs" -k -C testcases/kernel/syscalls >>"$log" 2>&1 ||
    echo "ltp build: some syscall tests did not build (see $log)"
else
  for d in $dirs; do
    make -j"$jobs" -k -C "testcases/kernel/syscalls/$d" >>"$log" 2>&1 ||
      echo "ltp build: testcases/kernel/syscalls/$d did not fully build"
  done
fi
built=$(find testcases/kernel/syscalls -type f -perm -u+x ! -name '*.sh' ! -name '*.o' | wc -l)
# Only a build of every directory counts as done (the suite looks for this stamp).
[ -z "$dirs" ] && touch "$stamp"
echo "ltp build: $built executables in $(( $(date +%s) - start ))s"
