// Random bytes from the host: AT_RANDOM at every exec, getrandom, /dev/urandom.
// Read from the host's /dev/urandom where there is one: loading node:crypto
// took 3-8 ms of every `salty run`'s start (docs/performance.md, session 13);
// elsewhere node:crypto, loaded at the first call.

import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

let urandom: number | null | undefined;

/** n bytes (a fresh array) of the host's randomness. */
export function hostRandomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (urandom === undefined) urandom = openUrandom();
  if (urandom !== null && fillFrom(urandom, out)) return out;
  const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.randomFillSync(out);
}

/** A random (version 4) UUID in its text form, as /proc/sys/kernel/random/uuid gives it. */
export function hostRandomUuid(): string {
  const b = hostRandomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function openUrandom(): number | null {
  try {
    return openSync('/dev/urandom', 'r');
  } catch {
    return null;
  }
}

function fillFrom(fd: number, out: Uint8Array): boolean {
  try {
    for (let at = 0; at < out.length; ) {
      const got = readSync(fd, out, at, out.length - at, null);
      if (got <= 0) throw new Error('short read');
      at += got;
    }
    return true;
  } catch {
    urandom = null;
    try {
      closeSync(fd);
    } catch {
      // Already unusable.
    }
    return false;
  }
}
