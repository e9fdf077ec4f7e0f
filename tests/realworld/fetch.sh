#!/usr/bin/env bash
# Downloads the Debian arm64 packages the real-world tests run (busybox-static,
# bash-static, mksh with its musl, klibc and dietlibc builds) into
# tests/realworld/.cache/ and extracts them into .cache/root/. Idempotent: a
# package already extracted is skipped. Never fails: when a package cannot be
# had, it writes the reason to .cache/unavailable.txt and the tests skip it.
set -uo pipefail
cd "$(dirname "$0")"

PACKAGES=(busybox-static bash-static mksh)
CACHE=.cache
mkdir -p "$CACHE/debs" "$CACHE/root"
rm -f "$CACHE/unavailable.txt"

note() {
  echo "realworld fetch: $*" >&2
  echo "$*" >>"$CACHE/unavailable.txt"
}

missing=()
for p in "${PACKAGES[@]}"; do
  [ -f "$CACHE/root/.extracted-$p" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "realworld fetch: ${PACKAGES[*]} already extracted"
  exit 0
fi

if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  for p in "${missing[@]}"; do note "$p: apt-get and dpkg-deb are needed to fetch it"; done
  exit 0
fi

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  if [ "$(id -u)" -ne 0 ] || ! dpkg --add-architecture arm64; then
    for p in "${missing[@]}"; do note "$p: cannot add the arm64 architecture to dpkg (not root?)"; done
    exit 0
  fi
  need_update=1
fi

have_lists() { apt-cache show "$1:arm64" >/dev/null 2>&1; }
if [ -n "${need_update:-}" ] || ! have_lists "${missing[0]}"; then
  [ "$(id -u)" -eq 0 ] && apt-get update -qq >/dev/null 2>&1 || true
fi

for p in "${missing[@]}"; do
  if ! have_lists "$p"; then
    note "$p: apt knows no $p:arm64 (apt-get update failed or the archive lacks it)"
    continue
  fi
  rm -f "$CACHE/debs/${p}_"*.deb
  # Downloading as root into a folder _apt cannot write warns; -o keeps it quiet.
  if ! (cd "$CACHE/debs" && apt-get download -qq -o APT::Sandbox::User=root -o Acquire::Retries=2 -o Acquire::http::Timeout=30 "$p:arm64" >/dev/null 2>&1); then
    note "$p: apt-get download $p:arm64 failed (archive momentarily unavailable?)"
    continue
  fi
  deb=$(ls "$CACHE/debs/${p}_"*_arm64.deb 2>/dev/null | head -n1)
  if [ -z "$deb" ] || ! dpkg-deb -x "$deb" "$CACHE/root"; then
    note "$p: dpkg-deb -x could not extract ${deb:-the package}"
    continue
  fi
  dpkg-deb -f "$deb" Version >"$CACHE/root/.extracted-$p"
  echo "realworld fetch: $p $(cat "$CACHE/root/.extracted-$p")"
done
exit 0
