// Scalar floating point and Advanced SIMD groups (Arm ARM C4.1.95 tables),
// Armv8.0 encodings plus the AES/SHA-1/SHA-256 crypto extension. Encodings
// that later extensions give meaning to (FP16, FHM, RDM, dot product, FCMA,
// FRINT32/64, BF16) are redrawn: QEMU's max CPU runs them, Armv8.0 does not.

import { bits, FixContext, pattern, withBits } from './encoding-pattern';
import { RisuGroup } from './risu-group';

const SIMD_CASES = 5000;

/** Single or double, and now and then the unallocated type 10. */
function fpType(insn: number, { rng }: FixContext): number {
  return withBits(insn, 23, 22, rng.chance(0.05) ? 2 : rng.below(2));
}

export const scalarFp: RisuGroup = {
  name: 'fp-scalar',
  blockLength: 8,
  cases: SIMD_CASES,
  fp: true,
  patterns: [
    pattern('FP data-processing (1 source)', '00011110 tt 1 00oooo 10000 nnnnn ddddd', (insn, ctx) => {
      const op = bits(insn, 20, 15);
      if (op === 0b000100 || op === 0b000101) return ctx.rng.chance(0.3) ? withBits(insn, 23, 22, 3) : fpType(insn, ctx);
      return fpType(insn, ctx);
    }, 3),
    pattern('FP data-processing (2 source)', '00011110 tt 1 mmmmm oooo 10 nnnnn ddddd', (insn, ctx) => (bits(insn, 15, 12) > 8 && ctx.rng.chance(0.8) ? null : fpType(insn, ctx)), 3),
    pattern('FP data-processing (3 source)', '00011111 tt o mmmmm o aaaaa nnnnn ddddd', fpType, 2),
    pattern('FCMP/FCMPE', '00011110 tt 1 mmmmm 001000 nnnnn oo 000', fpType),
    pattern('FCCMP/FCCMPE', '00011110 tt 1 mmmmm cccc 01 nnnnn o ffff', fpType),
    pattern('FCSEL', '00011110 tt 1 mmmmm cccc 11 nnnnn ddddd', fpType),
    pattern('FMOV (scalar, immediate)', '00011110 tt 1 iiiiiiii 100 00000 ddddd', fpType),
    pattern('FP <-> integer conversions', 's 0 0 11110 tt 1 rr ooo 000000 nnnnn ddddd', (insn) => {
      if (bits(insn, 23, 22) === 3) return null;
      if (bits(insn, 31, 31) === 0 && bits(insn, 23, 22) === 1 && bits(insn, 20, 16) === 0b11110) return null; // FJCVTZS
      return insn;
    }, 3),
    pattern('FP <-> fixed-point conversions', 's 0 0 11110 tt 0 rr ooo ssssss nnnnn ddddd', (insn) => (bits(insn, 23, 22) === 3 ? null : insn)),
  ],
};

function threeSameFix(insn: number): number | null {
  const u = bits(insn, 29, 29);
  const op = bits(insn, 15, 11);
  return (u === 0 && op === 0b11101) || (u === 1 && op === 0b11001) ? null : insn;
}

export const simdThreeSame: RisuGroup = {
  name: 'simd-three-same',
  blockLength: 8,
  cases: SIMD_CASES,
  fp: true,
  patterns: [
    pattern('AdvSIMD three same', '0 Q U 01110 ss 1 mmmmm ooooo 1 nnnnn ddddd', threeSameFix, 3),
    pattern('AdvSIMD scalar three same', '01 U 11110 ss 1 mmmmm ooooo 1 nnnnn ddddd', threeSameFix),
  ],
};

export const simdThreeDifferent: RisuGroup = {
  name: 'simd-three-different',
  blockLength: 8,
  cases: SIMD_CASES,
  fp: true,
  patterns: [
    pattern('AdvSIMD three different', '0 Q U 01110 ss 1 mmmmm oooo 00 nnnnn ddddd', undefined, 3),
    pattern('AdvSIMD scalar three different', '01 U 11110 ss 1 mmmmm oooo 00 nnnnn ddddd'),
  ],
};

function twoMiscFix(insn: number): number | null {
  const u = bits(insn, 29, 29);
  const size = bits(insn, 23, 22);
  const op = bits(insn, 16, 12);
  if (op >= 0b11110 && size < 2) return null; // FRINT32/64
  if (u === 0 && size === 2 && op === 0b10110) return null; // BFCVTN
  return insn;
}

export const simdTwoRegMisc: RisuGroup = {
  name: 'simd-two-reg-misc',
  blockLength: 8,
  cases: SIMD_CASES,
  fp: true,
  patterns: [
    pattern('AdvSIMD two-register miscellaneous', '0 Q U 01110 ss 10000 ooooo 10 nnnnn ddddd', twoMiscFix, 3),
    pattern('AdvSIMD scalar two-register miscellaneous', '01 U 11110 ss 10000 ooooo 10 nnnnn ddddd', twoMiscFix),
  ],
};

export const simdAcrossLanes: RisuGroup = {
  name: 'simd-across-lanes',
  blockLength: 8,
  cases: SIMD_CASES,
  fp: true,
  patterns: [
    pattern('AdvSIMD across lanes', '0 Q U 01110 ss 11000 ooooo 10 nnnnn ddddd', (insn) => {
      const op = bits(insn, 16, 12);
      return bits(insn, 29, 29) === 0 && (op === 0b01100 || op === 0b01111) ? null : insn;
    }),
  ],
};

export const simdCopy: RisuGroup = {
  name: 'simd-copy',
  blockLength: 8,
  cases: SIMD_CASES,
  fp: false,
  patterns: [
    pattern('AdvSIMD copy', '0 Q o 01110000 iiiii 0 iiii 1 nnnnn ddddd', undefined, 4),
    pattern('AdvSIMD scalar copy (DUP element)', '01 0 11110000 iiiii 0 0000 1 nnnnn ddddd'),
  ],
};

export const simdModifiedImmediate: RisuGroup = {
  name: 'simd-modified-immediate',
  blockLength: 8,
  cases: SIMD_CASES,
  fp: false,
  patterns: [pattern('AdvSIMD modified immediate', '0 Q o 0111100000 abc cccc 0 1 defgh ddddd')],
};

function shiftFix(insn: number): number | null {
  const immh = bits(insn, 22, 19);
  const op = bits(insn, 15, 11);
  if (immh === 0) return null; // modified immediate space
  if ((immh >> 1) === 1 && (op === 0b11100 || op === 0b11111)) return null; // half-precision fixed-point converts
  return insn;
}

export const simdShiftImmediate: RisuGroup = {
  name: 'simd-shift-immediate',
  blockLength: 8,
  cases: SIMD_CASES,
  fp: true,
  patterns: [
    pattern('AdvSIMD shift by immediate', '0 Q U 011110 hhhh bbb ooooo 1 nnnnn ddddd', shiftFix, 3),
    pattern('AdvSIMD scalar shift by immediate', '01 U 111110 hhhh bbb ooooo 1 nnnnn ddddd', shiftFix),
  ],
};

function byElementFix(insn: number): number | null {
  const u = bits(insn, 29, 29);
  const size = bits(insn, 23, 22);
  const op = bits(insn, 15, 12);
  if (op >= 0b1110) return null; // dot products, BF16
  if (u === 1 && (op === 0b1101 || (op < 8 && (op & 1) === 1) || op === 0b1000 || op === 0b1100)) return null; // RDM, FCMLA, FHM
  if (u === 0 && (op === 0b0000 || op === 0b0100)) return null; // FHM
  if (size === 0 && (op === 0b0001 || op === 0b0101 || op === 0b1001)) return null; // FP16
  return insn;
}

export const simdByElement: RisuGroup = {
  name: 'simd-by-element',
  blockLength: 8,
  cases: SIMD_CASES,
  fp: true,
  patterns: [
    pattern('AdvSIMD vector x indexed element', '0 Q U 01111 ss L M mmmm oooo H 0 nnnnn ddddd', byElementFix, 3),
    pattern('AdvSIMD scalar x indexed element', '01 U 11111 ss L M mmmm oooo H 0 nnnnn ddddd', byElementFix),
  ],
};

export const simdPermute: RisuGroup = {
  name: 'simd-permute',
  blockLength: 8,
  cases: SIMD_CASES,
  fp: false,
  patterns: [
    pattern('AdvSIMD permute (UZP/TRN/ZIP)', '0 Q 0 01110 ss 0 mmmmm 0 ooo 10 nnnnn ddddd', undefined, 2),
    pattern('AdvSIMD EXT', '0 Q 101110 00 0 mmmmm 0 iiii 0 nnnnn ddddd'),
    pattern('AdvSIMD TBL/TBX', '0 Q 001110 00 0 mmmmm 0 ll o 00 nnnnn ddddd', undefined, 2),
  ],
};

export const crypto: RisuGroup = {
  name: 'crypto',
  blockLength: 8,
  cases: SIMD_CASES,
  fp: false,
  patterns: [
    pattern('AES', '01001110 00 10100 001oo 10 nnnnn ddddd', undefined, 2),
    pattern('SHA three-register', '01011110 00 0 mmmmm 0 ooo 00 nnnnn ddddd', undefined, 3),
    pattern('SHA two-register', '01011110 00 10100 000oo 10 nnnnn ddddd'),
  ],
};
