// The third-party arm64 programs the real-world cases run: where fetch.sh
// extracts them (paths relative to the repository root, the cases' working
// directory) and which Debian package ships each.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CACHE = 'tests/realworld/.cache';
export const ROOT = `${CACHE}/root`;

export const BINARIES = {
  busybox: { path: `${ROOT}/bin/busybox`, pkg: 'busybox-static' },
  bash: { path: `${ROOT}/bin/bash-static`, pkg: 'bash-static' },
  'mksh-musl': { path: `${ROOT}/usr/lib/aarch64-linux-musl/bin/mksh`, pkg: 'mksh' },
  'mksh-klibc': { path: `${ROOT}/usr/lib/klibc/bin/mksh`, pkg: 'mksh' },
  'mksh-dietlibc': { path: `${ROOT}/usr/lib/diet/bin/mksh`, pkg: 'mksh' },
} as const;

export type BinaryName = keyof typeof BINARIES;

/** The Debian version fetch.sh extracted, or undefined when the package is missing. */
export function packageVersion(pkg: string): string | undefined {
  const marker = join(ROOT, `.extracted-${pkg}`);
  return existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined;
}

/** Why a binary cannot run here (fetch.sh's note), or undefined when it is present. */
export function unavailable(name: BinaryName): string | undefined {
  const b = BINARIES[name];
  if (existsSync(b.path) && packageVersion(b.pkg) !== undefined) return undefined;
  const notes = join(CACHE, 'unavailable.txt');
  const why = existsSync(notes)
    ? readFileSync(notes, 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`${b.pkg}:`))
    : undefined;
  return why ?? `${b.pkg}: not fetched (run bash tests/realworld/fetch.sh)`;
}
