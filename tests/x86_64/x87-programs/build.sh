#!/usr/bin/env bash
# Builds the long double and x87 trap programs (glibc and musl static) and records
# what the host CPU prints for it: NAME.golden and NAME.status.
set -euo pipefail
cd "$(dirname "$0")"
FLAGS="-O2 -static -Wl,--build-id=none -s"
gcc $FLAGS -o longdouble.glibc.elf longdouble.c -lm
musl-gcc $FLAGS -o longdouble.musl.elf longdouble.c -lm
gcc $FLAGS -o x87trap.glibc.elf x87trap.c
musl-gcc $FLAGS -o x87trap.musl.elf x87trap.c
[ "$(uname -m)" = x86_64 ] || { echo "not an x86_64 host: goldens left as they are"; exit 0; }
for f in longdouble.glibc longdouble.musl x87trap.glibc x87trap.musl; do
  set +e
  "./$f.elf" > "$f.golden"
  echo $? > "$f.status"
  set -e
  echo "$f.elf: $(stat -c %s "$f.elf") bytes, status $(cat "$f.status")"
done
