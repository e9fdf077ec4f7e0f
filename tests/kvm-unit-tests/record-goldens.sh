#!/usr/bin/env bash
# Re-records goldens/ from qemu-system-aarch64 (needs build.sh to have built the suite).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx esbuild tests/kvm-unit-tests/record-goldens.ts --bundle --platform=node --format=cjs --outfile=dist/kut-record-goldens.cjs --log-level=warning
node dist/kut-record-goldens.cjs
