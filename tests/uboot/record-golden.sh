#!/usr/bin/env bash
# Re-records goldens/session.txt from qemu-system-aarch64 (fetch.sh must have downloaded u-boot-qemu).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/uboot/fetch.sh
npx esbuild tests/uboot/record-golden.ts --bundle --platform=node --format=cjs --outfile=dist/uboot-record-golden.cjs --log-level=warning
node dist/uboot-record-golden.cjs
