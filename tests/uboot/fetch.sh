#!/usr/bin/env bash
# Downloads Debian's u-boot-qemu (an architecture-independent package) into
# tests/uboot/.cache/ and extracts it; the tests boot its qemu_arm64 u-boot.bin.
# Idempotent. Never fails: when the package cannot be had, it writes the reason
# to .cache/unavailable.txt and the tests skip.
set -uo pipefail
cd "$(dirname "$0")"
CACHE=.cache
BIN="$CACHE/root/usr/lib/u-boot/qemu_arm64/u-boot.bin"
mkdir -p "$CACHE/debs"
rm -f "$CACHE/unavailable.txt"
[ -f "$BIN" ] && { echo "uboot fetch: u-boot-qemu already extracted"; exit 0; }
note() {
  echo "uboot fetch: $*" >&2
  echo "$*" >>"$CACHE/unavailable.txt"
}
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  note "u-boot-qemu: apt-get and dpkg-deb are needed to fetch it"
  exit 0
fi
if ! apt-cache show u-boot-qemu >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] && apt-get update -qq >/dev/null 2>&1 || true
fi
rm -f "$CACHE/debs/u-boot-qemu_"*.deb
if ! (cd "$CACHE/debs" && apt-get download -qq -o APT::Sandbox::User=root -o Acquire::Retries=2 -o Acquire::http::Timeout=30 u-boot-qemu >/dev/null 2>&1); then
  note "u-boot-qemu: apt-get download failed (no network or the archive lacks it)"
  exit 0
fi
deb=$(ls "$CACHE/debs/u-boot-qemu_"*.deb 2>/dev/null | head -n1)
if [ -z "$deb" ] || ! dpkg-deb -x "$deb" "$CACHE/root"; then
  note "u-boot-qemu: dpkg-deb -x could not extract ${deb:-the package}"
  exit 0
fi
echo "uboot fetch: $(basename "$deb") extracted"
