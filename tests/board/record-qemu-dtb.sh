#!/usr/bin/env bash
# Re-records goldens/qemu-virt-bios.dtb.gz: the device tree QEMU 7.2's virt
# board writes when it boots firmware (-bios), as firmware-tree.test.ts compares it.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '\0\0\0\0' >"$tmp/fw.bin"
qemu-system-aarch64 -M "virt,dumpdtb=$tmp/virt.dtb" -cpu cortex-a57 -nographic -nic none -bios "$tmp/fw.bin" 2>/dev/null
gzip -9n <"$tmp/virt.dtb" >goldens/qemu-virt-bios.dtb.gz
ls -l goldens/qemu-virt-bios.dtb.gz
