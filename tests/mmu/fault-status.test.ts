import { describe, expect, it } from 'vitest';
import { decodeFaultStatus, FSC_ALIGNMENT, FSC_EXTERNAL_ABORT, faultStatusCode } from '../../board/aarch64/mmu/fault-status';
import type { FaultKind, WalkFault } from '../../board/aarch64/mmu/types';

describe('fault status codes', () => {
  // Values from the Arm ARM's DFSC table.
  const cases: Array<[FaultKind, number, boolean, number]> = [
    ['address-size', 0, false, 0x00],
    ['address-size', 3, false, 0x03],
    ['translation', 0, false, 0x04],
    ['translation', 3, false, 0x07],
    ['access-flag', 1, false, 0x09],
    ['access-flag', 3, false, 0x0b],
    ['permission', 2, false, 0x0e],
    ['permission', 3, false, 0x0f],
    ['translation', 1, true, 0x15],
    ['translation', 3, true, 0x17],
  ];
  for (const [kind, level, ea, fsc] of cases) {
    it(`${kind} level ${level}${ea ? ' (external abort on walk)' : ''} is 0x${fsc.toString(16)}`, () => {
      const f: WalkFault = ea ? { ok: false, kind, level, externalAbort: true } : { ok: false, kind, level };
      expect(faultStatusCode(f)).toBe(fsc);
      expect(decodeFaultStatus(fsc)).toEqual(f);
    });
  }

  it('decodes alignment and plain external aborts as not translation-related', () => {
    expect(decodeFaultStatus(FSC_ALIGNMENT)).toBeNull();
    expect(decodeFaultStatus(FSC_EXTERNAL_ABORT)).toBeNull();
    expect(decodeFaultStatus(0x30)).toBeNull(); // TLB conflict
  });
});
