#!/usr/bin/env bash
# Build kvm-unit-tests (arm64) from the source snapshot beside the repo
# (../shared/kvm-unit-tests/*.tar.xz, override with KUT_TARBALL) into .cache/.
# Idempotent; never fails CI hard: the tests skip when arm/*.flat is absent.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="$here/.cache"
tarball="${KUT_TARBALL:-$(ls "$repo"/../shared/kvm-unit-tests/*.tar.xz /work/shared/kvm-unit-tests/*.tar.xz 2>/dev/null | head -1)}"
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
  echo "kvm-unit-tests: no source snapshot (../shared/kvm-unit-tests/*.tar.xz); skipped" >&2
  exit 0
fi
command -v aarch64-linux-gnu-gcc >/dev/null || { echo "kvm-unit-tests: no aarch64-linux-gnu-gcc; skipped" >&2; exit 0; }
stamp="$cache/built-$(basename "$tarball")"
[ -f "$stamp" ] && exit 0
mkdir -p "$cache"
rm -rf "$cache/kvm-unit-tests"
tar -xJf "$tarball" -C "$cache" || { echo "kvm-unit-tests: unpack failed" >&2; exit 0; }
cd "$cache/kvm-unit-tests" || exit 0
./configure --arch=arm64 --cross-prefix=aarch64-linux-gnu- >configure.log 2>&1 || { echo "kvm-unit-tests: configure failed (see $PWD/configure.log)" >&2; exit 0; }
make -j"${KUT_JOBS:-2}" >make.log 2>&1 || { echo "kvm-unit-tests: make failed (see $PWD/make.log)" >&2; exit 0; }
touch "$stamp"
echo "kvm-unit-tests: built $(ls arm/*.flat | wc -l) tests in $PWD/arm" >&2
