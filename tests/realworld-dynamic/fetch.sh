#!/usr/bin/env bash
# Downloads dynamically linked Debian arm64 programs (coreutils, grep, sed,
# gawk, python3.11, lua5.4, sqlite3, perl-base) with every library they need,
# and musl (for our musl-linked test programs), and extracts them into one
# sysroot, tests/realworld-dynamic/.cache/sysroot/, that salty and
# qemu-aarch64 are given with -L. The dependency closure is computed from
# the Packages index of the arm64 archive apt knows (resolve-packages.mjs).
# Idempotent: a complete sysroot for the same package list is kept. Never
# fails: when something cannot be had it writes why to .cache/unavailable.txt
# and the tests skip with that reason.
set -uo pipefail
cd "$(dirname "$0")"

ROOTS=(coreutils grep sed gawk python3.11 lua5.4 sqlite3 perl-base musl)
CACHE=.cache
SYSROOT=$CACHE/sysroot
mkdir -p "$CACHE/debs"
rm -f "$CACHE/unavailable.txt"
stamp="$SYSROOT/.complete-$(echo "${ROOTS[*]}" | md5sum | cut -c1-12)"

note() {
  echo "realworld-dynamic fetch: $*" >&2
  echo "$*" >>"$CACHE/unavailable.txt"
}

if [ -f "$stamp" ]; then
  echo "realworld-dynamic fetch: sysroot already complete ($(wc -l <"$stamp") packages)"
  exit 0
fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  note "sysroot: apt-get and dpkg-deb are needed to fetch the packages"
  exit 0
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  if [ "$(id -u)" -ne 0 ] || ! dpkg --add-architecture arm64; then
    note "sysroot: cannot add the arm64 architecture to dpkg (not root?)"
    exit 0
  fi
fi
indexes() { apt-get indextargets --format '$(FILENAME)' 'Architecture: arm64' 'Identifier: Packages' 2>/dev/null; }
if [ -z "$(indexes)" ] || ! apt-cache show coreutils:arm64 >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] && apt-get update -qq >/dev/null 2>&1 || true
fi
if [ -z "$(indexes)" ]; then
  note "sysroot: apt has no Packages index for arm64 (apt-get update failed?)"
  exit 0
fi

packages=$(for f in $(indexes); do /usr/lib/apt/apt-helper cat-file "$f"; echo; done | node resolve-packages.mjs "${ROOTS[@]}")
if [ -z "$packages" ]; then
  note "sysroot: resolving the dependencies of ${ROOTS[*]} gave nothing"
  exit 0
fi
want=()
for spec in $packages; do
  ls "$CACHE/debs/${spec%:arm64}_"*.deb >/dev/null 2>&1 || want+=("$spec")
done
if [ ${#want[@]} -gt 0 ]; then
  # Downloading as root into a folder _apt cannot write warns; -o keeps it quiet.
  if ! (cd "$CACHE/debs" && apt-get download -qq -o APT::Sandbox::User=root -o Acquire::Retries=2 -o Acquire::http::Timeout=30 "${want[@]}" >/dev/null 2>&1); then
    note "sysroot: apt-get download of ${#want[@]} arm64 packages failed (archive momentarily unavailable?)"
    exit 0
  fi
fi
rm -rf "$SYSROOT"
mkdir -p "$SYSROOT"
for spec in $packages; do
  p=${spec%:arm64}
  deb=$(ls "$CACHE/debs/${p}_"*.deb 2>/dev/null | head -n1)
  if [ -z "$deb" ] || ! dpkg-deb -x "$deb" "$SYSROOT"; then
    note "sysroot: dpkg-deb -x could not extract ${deb:-$p}"
    exit 0
  fi
  echo "$p $(dpkg-deb -f "$deb" Version)" >>"$stamp.tmp"
done
# What Debian's postinst (py3compile) does on a real install: byte-compile the
# standard library once, so each python3 run does not compile what it imports.
py=$SYSROOT/usr/bin/python3.11
lib=$SYSROOT/usr/lib/python3.11
if command -v qemu-aarch64 >/dev/null; then
  qemu-aarch64 -L "$SYSROOT" "$py" -m compileall -q "$lib" >/dev/null 2>&1 || note "sysroot: byte-compiling python3.11's library under qemu-aarch64 failed"
elif command -v python3 >/dev/null && python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  python3 -m compileall -q "$lib" >/dev/null 2>&1 || note "sysroot: byte-compiling python3.11's library failed"
fi
mv "$stamp.tmp" "$stamp"
echo "realworld-dynamic fetch: sysroot of $(wc -l <"$stamp") packages in $SYSROOT"
exit 0
