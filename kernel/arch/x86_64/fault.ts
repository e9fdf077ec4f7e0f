// Decoding of a #PF error code and CR2 into an arch-neutral page fault.

import type { PageFault, RawFault } from '../arch';

/** #PF error code bits (SDM Vol. 3A, 4.7), our own copy of the facts. */
export const PF_P = 0x1;
export const PF_W = 0x2;
export const PF_U = 0x4;
export const PF_RSVD = 0x8;
export const PF_I = 0x10;

/** CR2 as a number: the signed value of the canonical 64-bit address. */
export function faultAddress(raw: RawFault): number {
  return (raw.addressHi | 0) * 2 ** 32 + (raw.addressLo >>> 0);
}

/**
 * isOldPage tells whether the not-present entry at an address is a page the
 * kernel keeps "old" (access tracking), which makes the fault an access-flag one.
 * A reserved-bit fault means corrupt tables: not a fault the kernel resolves.
 */
export function decodeX86PageFault(raw: RawFault, isOldPage: (va: number) => boolean): PageFault | null {
  const code = raw.syndrome;
  if ((code & PF_RSVD) !== 0) return null;
  const address = faultAddress(raw);
  const access = (code & PF_I) !== 0 ? 'fetch' : (code & PF_W) !== 0 ? 'write' : 'read';
  let kind: PageFault['kind'] = (code & PF_P) !== 0 ? 'permission' : 'not-present';
  if (kind === 'not-present' && isOldPage(address)) kind = 'access-flag';
  return { address, access, kind, user: (code & PF_U) !== 0 };
}
