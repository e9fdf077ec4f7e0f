// Decoding of ESR_EL1 (instruction and data aborts) and FAR_EL1 into the kernel's PageFault.

import { decodeFaultStatus } from '../../../board/aarch64/mmu/fault-status';
import type { FaultKind as WalkFaultKind } from '../../../board/aarch64/mmu/types';
import type { FaultAccess, FaultKind, PageFault, RawFault } from '../arch';

export const EC_INSTRUCTION_ABORT_LOWER = 0x20;
export const EC_INSTRUCTION_ABORT_SAME = 0x21;
export const EC_DATA_ABORT_LOWER = 0x24;
export const EC_DATA_ABORT_SAME = 0x25;

const ISS_WNR = 1 << 6;
const ISS_CM = 1 << 8;

/** Everything an abort syndrome says, for diagnostics (the kill message) as well as for decodeFault. */
export interface AbortSyndrome {
  readonly fetch: boolean;
  readonly fromEl0: boolean;
  readonly write: boolean;
  /** DFSC/IFSC */
  readonly statusCode: number;
  /** null when the status code is not a translation-table fault (alignment, external abort on the access, ...). */
  readonly walkFault: { readonly kind: WalkFaultKind; readonly level: number; readonly externalAbort: boolean } | null;
}

export function decodeAbortSyndrome(esr: number): AbortSyndrome | null {
  const ec = esr >>> 26;
  const fetch = ec === EC_INSTRUCTION_ABORT_LOWER || ec === EC_INSTRUCTION_ABORT_SAME;
  const data = ec === EC_DATA_ABORT_LOWER || ec === EC_DATA_ABORT_SAME;
  if (!fetch && !data) return null;
  const statusCode = esr & 63;
  const f = decodeFaultStatus(statusCode);
  return {
    fetch,
    fromEl0: ec === EC_INSTRUCTION_ABORT_LOWER || ec === EC_DATA_ABORT_LOWER,
    // Cache maintenance reports WnR = 1 but is not a write to the page.
    write: data && (esr & ISS_WNR) !== 0 && (esr & ISS_CM) === 0,
    statusCode,
    walkFault: f ? { kind: f.kind, level: f.level, externalAbort: f.externalAbort === true } : null,
  };
}

const KINDS: Partial<Record<WalkFaultKind, FaultKind>> = {
  translation: 'not-present',
  'access-flag': 'access-flag',
  permission: 'permission',
};

/** FAR_EL1 as the kernel's signed virtual address (upper-half addresses negative). */
export function farToAddress(lo: number, hi: number): number {
  return (hi | 0) * 2 ** 32 + (lo >>> 0);
}

export function decodeAarch64Fault(raw: RawFault): PageFault | null {
  const s = decodeAbortSyndrome(raw.syndrome);
  if (!s || !s.walkFault || s.walkFault.externalAbort) return null;
  const kind = KINDS[s.walkFault.kind];
  if (!kind) return null; // address-size faults: a broken table, not something to resolve
  const access: FaultAccess = s.fetch ? 'fetch' : s.write ? 'write' : 'read';
  return { address: farToAddress(raw.addressLo, raw.addressHi), access, kind, user: s.fromEl0 };
}
