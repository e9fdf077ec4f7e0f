#!/usr/bin/env bash
# Downloads Debian 12's arm64 cloud kernel (the package linux-image-cloud-arm64
# depends on) and busybox-static:arm64 into tests/linux-boot/.cache/, and
# extracts the kernel's vmlinuz and busybox. Idempotent; never fails: when
# something cannot be had, the reason goes to .cache/unavailable.txt and the
# Linux-boot test skips with it. Nothing here is ever committed.
set -uo pipefail
cd "$(dirname "$0")"
CACHE=.cache
mkdir -p "$CACHE/debs"
rm -f "$CACHE/unavailable.txt"
note() {
  echo "linux-boot fetch: $*" >&2
  echo "$*" >>"$CACHE/unavailable.txt"
}
if [ -f "$CACHE/vmlinuz" ] && [ -f "$CACHE/busybox" ]; then
  echo "linux-boot fetch: $(cat "$CACHE/kernel-package") and busybox already here"
  exit 0
fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  note "apt-get and dpkg-deb are needed to fetch Debian's kernel"
  exit 0
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  if [ "$(id -u)" -ne 0 ] || ! dpkg --add-architecture arm64; then
    note "cannot add the arm64 architecture to dpkg (not root?)"
    exit 0
  fi
  need_update=1
fi
if [ -n "${need_update:-}" ] || ! apt-cache show linux-image-cloud-arm64:arm64 >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] && apt-get update -qq >/dev/null 2>&1 || true
fi
kernel=$(apt-cache depends linux-image-cloud-arm64:arm64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -n1)
if [ -z "$kernel" ]; then
  note "apt knows no linux-image-cloud-arm64:arm64 (apt-get update failed or the archive lacks it)"
  exit 0
fi
rm -f "$CACHE/debs/"*.deb
if ! (cd "$CACHE/debs" && apt-get download -qq -o APT::Sandbox::User=root -o Acquire::Retries=2 -o Acquire::http::Timeout=30 "$kernel:arm64" busybox-static:arm64 >/dev/null 2>&1); then
  note "apt-get download $kernel:arm64 busybox-static:arm64 failed (archive momentarily unavailable?)"
  exit 0
fi
rm -rf "$CACHE/x" && mkdir -p "$CACHE/x"
for deb in "$CACHE/debs/"*.deb; do dpkg-deb -x "$deb" "$CACHE/x" || note "dpkg-deb -x could not extract $deb"; done
if ! cp "$CACHE/x/boot/vmlinuz-"* "$CACHE/vmlinuz" 2>/dev/null || ! cp "$CACHE/x/bin/busybox" "$CACHE/busybox"; then
  note "the packages hold no boot/vmlinuz-* or bin/busybox"
  rm -f "$CACHE/vmlinuz" "$CACHE/busybox"
  exit 0
fi
echo "$kernel" >"$CACHE/kernel-package"
rm -rf "$CACHE/x" "$CACHE/debs"
echo "linux-boot fetch: $kernel and busybox-static"
exit 0
