#!/usr/bin/env bash
# Downloads Debian 12's arm64 cloud kernel package (the one linux-image-cloud-arm64
# depends on) into tests/virtio-root/.cache and extracts it there: boot/vmlinuz-*
# and lib/modules/*/ (virtio, virtio_ring, virtio_mmio, virtio_blk are modules).
# Idempotent; never fails: when the package cannot be had, .cache/unavailable.txt says why.
set -uo pipefail
cd "$(dirname "$0")"
CACHE=.cache
mkdir -p "$CACHE"
rm -f "$CACHE/unavailable.txt"
note() {
  echo "virtio-root fetch: $*" >&2
  echo "$*" >"$CACHE/unavailable.txt"
  exit 0
}
if ls "$CACHE"/kernel/boot/vmlinuz-* >/dev/null 2>&1; then
  echo "virtio-root fetch: $(basename "$CACHE"/kernel/boot/vmlinuz-*) already extracted"
  exit 0
fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || note "apt-get and dpkg-deb are needed to fetch the kernel"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  { [ "$(id -u)" -eq 0 ] && dpkg --add-architecture arm64 && apt-get update -qq >/dev/null 2>&1; } || note "cannot add the arm64 architecture to dpkg (not root?)"
fi
pkg=$(apt-cache depends linux-image-cloud-arm64:arm64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
  [ "$(id -u)" -eq 0 ] && apt-get update -qq >/dev/null 2>&1
  pkg=$(apt-cache depends linux-image-cloud-arm64:arm64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
fi
[ -n "$pkg" ] || note "apt knows no linux-image-cloud-arm64:arm64"
rm -f "$CACHE"/*.deb
(cd "$CACHE" && apt-get download -qq -o APT::Sandbox::User=root -o Acquire::Retries=2 "$pkg" >/dev/null 2>&1) || note "apt-get download $pkg failed"
deb=$(ls "$CACHE"/linux-image-*_arm64.deb 2>/dev/null | head -n1)
rm -rf "$CACHE/kernel"
dpkg-deb -x "$deb" "$CACHE/kernel" || note "dpkg-deb -x $deb failed"
rm -f "$deb"
echo "virtio-root fetch: $(basename "$CACHE"/kernel/boot/vmlinuz-*)"
