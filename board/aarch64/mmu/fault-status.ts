// Fault status codes (ESR_ELx.ISS DFSC/IFSC, 6 bits) for stage-1 faults, Arm ARM D17.2 (ESR_ELx).
// The CPU encodes a WalkFault into a syndrome; the kernel decodes the syndrome back.

import type { FaultKind, WalkFault } from './types';

const KIND_BASE: Record<FaultKind, number> = {
  'address-size': 0b000000,
  translation: 0b000100,
  'access-flag': 0b001000,
  permission: 0b001100,
};

/** Synchronous external abort on a translation table walk: 0b0101LL. */
const EXTERNAL_ABORT_ON_WALK = 0b010100;
/** Synchronous external abort, not on a walk (a load or store that hit no device). */
export const FSC_EXTERNAL_ABORT = 0b010000;
export const FSC_ALIGNMENT = 0b100001;

export function faultStatusCode(fault: WalkFault): number {
  const base = fault.externalAbort ? EXTERNAL_ABORT_ON_WALK : KIND_BASE[fault.kind];
  return base | (fault.level & 3);
}

/** The walk fault a status code describes, or null for codes that are not translation-related (alignment, plain external abort, ...). */
export function decodeFaultStatus(fsc: number): WalkFault | null {
  const level = fsc & 3;
  switch (fsc & 0b111100) {
    case 0b000000:
      return { ok: false, kind: 'address-size', level };
    case 0b000100:
      return { ok: false, kind: 'translation', level };
    case 0b001000:
      return { ok: false, kind: 'access-flag', level };
    case 0b001100:
      return { ok: false, kind: 'permission', level };
    case EXTERNAL_ABORT_ON_WALK:
      return { ok: false, kind: 'translation', level, externalAbort: true };
    default:
      return null;
  }
}
