#!/usr/bin/env bash
# Downloads Debian's amd64 busybox-static, bash-static and mksh (with its
# musl, klibc and dietlibc builds) into tests/realworld/.cache/amd64/ and
# extracts them into .cache/amd64/root/, for tests/x86_64/linux-realworld.
# Idempotent; never fails: a package that cannot be had is named in
# .cache/amd64/unavailable.txt and its cases are skipped.
set -uo pipefail
cd "$(dirname "$0")/../realworld"

PACKAGES=(busybox-static bash-static mksh)
CACHE=.cache/amd64
mkdir -p "$CACHE/debs" "$CACHE/root"
rm -f "$CACHE/unavailable.txt"
note() {
  echo "amd64 fetch: $*" >&2
  echo "$*" >>"$CACHE/unavailable.txt"
}

if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  for p in "${PACKAGES[@]}"; do note "$p: apt-get and dpkg-deb are needed to fetch it"; done
  exit 0
fi
for p in "${PACKAGES[@]}"; do
  [ -f "$CACHE/root/.extracted-$p" ] && continue
  if ! apt-cache show "$p:amd64" >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] && apt-get update -qq >/dev/null 2>&1 || true
  fi
  rm -f "$CACHE/debs/${p}_"*.deb
  if ! (cd "$CACHE/debs" && apt-get download -qq -o APT::Sandbox::User=root -o Acquire::Retries=2 -o Acquire::http::Timeout=30 "$p:amd64" >/dev/null 2>&1); then
    note "$p: apt-get download $p:amd64 failed"
    continue
  fi
  deb=$(ls "$CACHE/debs/${p}_"*_amd64.deb 2>/dev/null | head -n1)
  if [ -z "$deb" ] || ! dpkg-deb -x "$deb" "$CACHE/root"; then
    note "$p: dpkg-deb -x could not extract ${deb:-the package}"
    continue
  fi
  dpkg-deb -f "$deb" Version >"$CACHE/root/.extracted-$p"
  echo "amd64 fetch: $p $(cat "$CACHE/root/.extracted-$p")"
done
exit 0
