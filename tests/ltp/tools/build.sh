#!/usr/bin/env bash
# Builds useradd.elf (static aarch64; also run as userdel) for salty's LTP sysroot.
set -euo pipefail
cd "$(dirname "$0")"
${CC:-aarch64-linux-gnu-gcc} -O2 -static -Wl,--build-id=none -s -w -o useradd.elf useradd.c
