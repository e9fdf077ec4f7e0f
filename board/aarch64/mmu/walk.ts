// VMSAv8-64 stage-1 translation table walk for the EL1&0 regime (Arm ARM D5.2-D5.5).
// Runs on a TLB miss: no BigInt; 64-bit values are handled as unsigned 32-bit halves,
// physical addresses (< 2^48) as plain numbers.

import type { PhysicalMemory } from '../../memory/physical-memory';
import { clampTxsz, firstBlockLevel, outputAddressBits, startLevel, tg0GrainShift, tg1GrainShift } from './tcr';
import { stage1Perms } from './permissions';
import type { FaultKind, Stage1Regs, WalkFault, WalkResult } from './types';

export { currentAsid } from './asid';

/** PARange of the modelled CPU (ID_AA64MMFR0_EL1.PARange = 0b0101, 48 bits). */
export const IMPLEMENTED_PA_BITS = 48;

const TWO_32 = 0x1_0000_0000;
const AF = 1 << 10;
const NG = 1 << 11;

// Upper-attribute and table bits, as positions in the descriptor's high word.
const HI_PXN = 1 << (53 - 32);
const HI_UXN = 1 << (54 - 32);
const HI_PXN_TABLE = 1 << (59 - 32);
const HI_UXN_TABLE = 1 << (60 - 32);
const HI_AP_TABLE_NO_EL0 = 1 << (61 - 32);
const HI_AP_TABLE_READ_ONLY = 1 << (62 - 32);

function fault(kind: FaultKind, level: number): WalkFault {
  return { ok: false, kind, level };
}

function externalAbort(level: number): WalkFault {
  return { ok: false, kind: 'translation', level, externalAbort: true };
}

/** A mask of bits [hiBit:loBit] of one 32-bit word (0 <= loBit, hiBit <= 31); 0 when loBit > hiBit. */
function bitRange(hiBit: number, loBit: number): number {
  if (loBit > hiBit) return 0;
  const width = hiBit - loBit + 1;
  return (width === 32 ? 0xffffffff : ((1 << width) - 1) << loBit) >>> 0;
}

/** VA[top:inputBits] must all equal the half's selector (0 for TTBR0, 1 for TTBR1); top is 55 with TBI, else 63. */
function inRange(vaLo: number, vaHi: number, inputBits: number, top: number, upper: number): boolean {
  const maskHi = bitRange(top - 32, Math.max(inputBits - 32, 0));
  const maskLo = inputBits < 32 ? bitRange(31, inputBits) : 0;
  const hi = (vaHi & maskHi) >>> 0;
  const lo = (vaLo & maskLo) >>> 0;
  return upper ? hi === maskHi && lo === maskLo : hi === 0 && lo === 0;
}

/** VA bits [shift + bits - 1 : shift] (bits <= 13). */
function vaField(vaLo: number, vaHi: number, shift: number, bits: number): number {
  const mask = (1 << bits) - 1;
  if (shift >= 32) return (vaHi >>> (shift - 32)) & mask;
  return ((vaLo >>> shift) | (vaHi << (32 - shift))) & mask;
}

/**
 * True when a descriptor's output address has bits at or above the output size.
 * Without FEAT_LPA, bits [15:12] of a 64 KiB-granule descriptor are RES0 and ignored
 * (as QEMU 7.2 does), not OA[51:48].
 */
function outputTooLarge(hi: number, oaBits: number): boolean {
  return ((hi & 0xffff) >>> (oaBits - 32)) !== 0;
}

function mairAttr(regs: Stage1Regs, attrIndx: number): number {
  return (attrIndx < 4 ? regs.mairLo >>> (attrIndx * 8) : regs.mairHi >>> ((attrIndx - 4) * 8)) & 0xff;
}

export function walk(mem: PhysicalMemory, regs: Stage1Regs, vaLo: number, vaHi: number, paRangeBits = IMPLEMENTED_PA_BITS): WalkResult {
  const tcrLo = regs.tcrLo;
  const tcrHi = regs.tcrHi;
  const upper = (vaHi >>> 23) & 1; // VA[55]
  let txsz: number, grain: number, disabled: number, tbi: number, ttbrLo: number, ttbrHi: number;
  if (upper === 0) {
    txsz = tcrLo & 63;
    grain = tg0GrainShift(tcrLo >>> 14);
    disabled = (tcrLo >>> 7) & 1;
    tbi = (tcrHi >>> 5) & 1;
    ttbrLo = regs.ttbr0Lo;
    ttbrHi = regs.ttbr0Hi;
  } else {
    txsz = (tcrLo >>> 16) & 63;
    grain = tg1GrainShift(tcrLo >>> 30);
    disabled = (tcrLo >>> 23) & 1;
    tbi = (tcrHi >>> 6) & 1;
    ttbrLo = regs.ttbr1Lo;
    ttbrHi = regs.ttbr1Hi;
  }
  const inputBits = 64 - clampTxsz(txsz);
  if (disabled || !inRange(vaLo, vaHi, inputBits, tbi ? 55 : 63, upper)) return fault('translation', 0);

  const oaBits = outputAddressBits(tcrHi, paRangeBits);
  if (((ttbrHi & 0xffff) >>> (oaBits - 32)) !== 0) return fault('address-size', 0);

  const stride = grain - 3;
  let level = startLevel(inputBits, grain);
  let shift = grain + (3 - level) * stride;
  let bits = inputBits - shift;
  // The starting table is aligned to its own size (at least 2 entries).
  let baseLo = (ttbrLo & ~((1 << (bits + 3)) - 1)) >>> 0;
  let baseHi = ttbrHi & 0xffff;
  let tableHi = 0; // accumulated APTable/UXNTable/PXNTable bits, in high-word positions
  const minBlockLevel = firstBlockLevel(grain);
  const view = mem.view;

  for (;;) {
    const descPa = baseHi * TWO_32 + baseLo + vaField(vaLo, vaHi, shift, bits) * 8;
    const off = mem.ramOffset(descPa);
    if (off < 0) return externalAbort(level);
    const lo = view.getUint32(off, true);
    const hi = view.getUint32(off + 4, true);
    if ((lo & 1) === 0) return fault('translation', level);
    const isTable = (lo & 2) !== 0 && level < 3;
    if (!isTable) {
      // Blocks below the granule's first block level are invalid (QEMU 7.2 accepts them; the Arm ARM does not).
      if ((lo & 2) === 0 && (level === 3 || level < minBlockLevel)) return fault('translation', level);
      return leaf(regs, vaLo, lo, hi, level, shift, tableHi, oaBits);
    }
    if (outputTooLarge(hi, oaBits)) return fault('address-size', level);
    tableHi |= hi;
    baseLo = (lo & ~((1 << grain) - 1)) >>> 0;
    baseHi = hi & 0xffff;
    level++;
    shift -= stride;
    bits = stride;
  }
}

function leaf(
  regs: Stage1Regs,
  vaLo: number,
  lo: number,
  hi: number,
  level: number,
  shift: number,
  tableHi: number,
  oaBits: number,
): WalkResult {
  if (outputTooLarge(hi, oaBits)) return fault('address-size', level);
  if ((lo & AF) === 0) return fault('access-flag', level);

  let ap = (lo >>> 6) & 3;
  if (tableHi & HI_AP_TABLE_READ_ONLY) ap |= 2;
  if (tableHi & HI_AP_TABLE_NO_EL0) ap &= 2;
  const uxn = hi & HI_UXN || tableHi & HI_UXN_TABLE ? 1 : 0;
  const pxn = hi & HI_PXN || tableHi & HI_PXN_TABLE ? 1 : 0;
  const wxn = (regs.sctlrLo >>> 19) & 1;

  // Blocks are at most 1 GiB (shift <= 30), so the offset inside one fits the low word.
  const offsetMask = (1 << shift) - 1;
  const pageLo = ((lo & ~offsetMask) | (vaLo & offsetMask & ~0xfff)) >>> 0;
  return {
    ok: true,
    pagePa: (hi & 0xffff) * TWO_32 + pageLo,
    perms: stage1Perms(ap, uxn, pxn, wxn),
    global: (lo & NG) === 0,
    device: (mairAttr(regs, (lo >>> 2) & 7) & 0xf0) === 0,
    attr: mairAttr(regs, (lo >>> 2) & 7),
    shareability: (lo >>> 8) & 3,
    level,
    blockSize: 2 ** shift,
  };
}
