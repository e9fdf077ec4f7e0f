// CMOVcc and SETcc register forms with one closure literal per condition,
// calling the small inlinable tests of flags.ts (condE, condB, ...) for the
// conditions compilers use most; the rest go through condition().

import type { X86Op } from '../decoder';
import * as mflags from '../flags';

// Module-local bindings (see docs/x86-cpu.md, Speed).
const { condB, condBE, condE, condL, condLE, condition } = mflags;

/** CMOVcc r64/r32, r64/r32: a 32-bit destination is zero-extended whether or not it moves. */
export function cmovReg(cc: number, lz: Int32Array, r: Int32Array, g: number, e: number, wide: boolean): X86Op {
  if (wide) {
    switch (cc) {
      case 2: return () => { if (condB(lz)) { r[g] = r[e]; r[g + 1] = r[e + 1]; } };
      case 3: return () => { if (!condB(lz)) { r[g] = r[e]; r[g + 1] = r[e + 1]; } };
      case 4: return () => { if (condE(lz)) { r[g] = r[e]; r[g + 1] = r[e + 1]; } };
      case 5: return () => { if (!condE(lz)) { r[g] = r[e]; r[g + 1] = r[e + 1]; } };
      case 6: return () => { if (condBE(lz)) { r[g] = r[e]; r[g + 1] = r[e + 1]; } };
      case 7: return () => { if (!condBE(lz)) { r[g] = r[e]; r[g + 1] = r[e + 1]; } };
      case 12: return () => { if (condL(lz)) { r[g] = r[e]; r[g + 1] = r[e + 1]; } };
      case 13: return () => { if (!condL(lz)) { r[g] = r[e]; r[g + 1] = r[e + 1]; } };
      case 14: return () => { if (condLE(lz)) { r[g] = r[e]; r[g + 1] = r[e + 1]; } };
      case 15: return () => { if (!condLE(lz)) { r[g] = r[e]; r[g + 1] = r[e + 1]; } };
      default: return () => { if (condition(lz, cc)) { r[g] = r[e]; r[g + 1] = r[e + 1]; } };
    }
  }
  switch (cc) {
    case 2: return () => { if (condB(lz)) r[g] = r[e]; r[g + 1] = 0; };
    case 3: return () => { if (!condB(lz)) r[g] = r[e]; r[g + 1] = 0; };
    case 4: return () => { if (condE(lz)) r[g] = r[e]; r[g + 1] = 0; };
    case 5: return () => { if (!condE(lz)) r[g] = r[e]; r[g + 1] = 0; };
    case 6: return () => { if (condBE(lz)) r[g] = r[e]; r[g + 1] = 0; };
    case 7: return () => { if (!condBE(lz)) r[g] = r[e]; r[g + 1] = 0; };
    case 12: return () => { if (condL(lz)) r[g] = r[e]; r[g + 1] = 0; };
    case 13: return () => { if (!condL(lz)) r[g] = r[e]; r[g + 1] = 0; };
    case 14: return () => { if (condLE(lz)) r[g] = r[e]; r[g + 1] = 0; };
    case 15: return () => { if (!condLE(lz)) r[g] = r[e]; r[g + 1] = 0; };
    default: return () => { if (condition(lz, cc)) r[g] = r[e]; r[g + 1] = 0; };
  }
}

/** SETcc r8: the byte at `shift` (0, or 8 for AH..BH) of slot s becomes 0 or 1. */
export function setccReg(cc: number, lz: Int32Array, r: Int32Array, s: number, shift: number): X86Op {
  const keep = ~(0xff << shift);
  switch (cc) {
    case 2: return () => { r[s] = (r[s] & keep) | ((condB(lz) ? 1 : 0) << shift); };
    case 3: return () => { r[s] = (r[s] & keep) | ((condB(lz) ? 0 : 1) << shift); };
    case 4: return () => { r[s] = (r[s] & keep) | ((condE(lz) ? 1 : 0) << shift); };
    case 5: return () => { r[s] = (r[s] & keep) | ((condE(lz) ? 0 : 1) << shift); };
    case 6: return () => { r[s] = (r[s] & keep) | ((condBE(lz) ? 1 : 0) << shift); };
    case 7: return () => { r[s] = (r[s] & keep) | ((condBE(lz) ? 0 : 1) << shift); };
    case 12: return () => { r[s] = (r[s] & keep) | ((condL(lz) ? 1 : 0) << shift); };
    case 13: return () => { r[s] = (r[s] & keep) | ((condL(lz) ? 0 : 1) << shift); };
    case 14: return () => { r[s] = (r[s] & keep) | ((condLE(lz) ? 1 : 0) << shift); };
    case 15: return () => { r[s] = (r[s] & keep) | ((condLE(lz) ? 0 : 1) << shift); };
    default: return () => { r[s] = (r[s] & keep) | ((condition(lz, cc) ? 1 : 0) << shift); };
  }
}
