// Later AdvSIMD extensions qemu's max CPU runs (Arm ARM C4.1.95 tables):
// dot product (FEAT_DotProd), int8 matrix multiply (FEAT_I8MM) and BFloat16
// (FEAT_BF16), SM3 and SM4. Most draws are steered onto an allocated encoding; the rest
// keep their random size, U and Q, so the unallocated neighbours are drawn too.

import { bits, FixContext, pattern, withBits } from './encoding-pattern';
import { RisuGroup } from './risu-group';

/** Three-register extension opcode -> [size, U (-1: either), Q (-1: either)] of its allocated form. */
const THREE_EXT: Record<number, [number, number, number]> = {
  0b0010: [2, -1, -1], // SDOT, UDOT
  0b0011: [2, 0, -1], // USDOT
  0b0100: [2, -1, 1], // SMMLA, UMMLA
  0b0101: [2, 0, 1], // USMMLA
  0b1101: [1, 1, 1], // BFMMLA
  0b1111: [1, 1, -1], // BFDOT (size 01), BFMLALB/T (size 11)
};

function steer(insn: number, [size, u, q]: [number, number, number]): number {
  let r = withBits(insn, 23, 22, size);
  if (u >= 0) r = withBits(r, 29, 29, u);
  if (q >= 0) r = withBits(r, 30, 30, q);
  return r;
}

function threeExtFix(insn: number, { rng }: FixContext): number | null {
  const form = THREE_EXT[bits(insn, 14, 11)];
  if (!form) return null;
  if (rng.chance(0.15)) return insn;
  const r = steer(insn, form);
  return bits(r, 14, 11) === 0b1111 && rng.chance(0.5) ? withBits(r, 23, 22, 3) : r;
}

/** Opcode 1110: SDOT/UDOT (size 10). Opcode 1111 with U = 0: SUDOT, BFDOT, USDOT, BFMLALB/T by size. */
function byElementFix(insn: number, { rng }: FixContext): number | null {
  const opcode = bits(insn, 15, 12);
  if (opcode === 0b1111 && bits(insn, 29, 29) === 1) return null; // SQRDMLSH (FEAT_RDM), covered elsewhere
  if (rng.chance(0.15) || opcode === 0b1111) return insn;
  return withBits(insn, 23, 22, 2);
}

export const simdExt: RisuGroup = {
  name: 'simd-ext',
  blockLength: 8,
  cases: 3000,
  fp: true,
  patterns: [
    pattern('AdvSIMD three-register extension', '0 Q U 01110 ss 0 mmmmm 1 oooo 1 nnnnn ddddd', threeExtFix, 4),
    pattern('AdvSIMD vector x indexed element (dot, BF16)', '0 Q U 01111 ss L M mmmm 111o H 0 nnnnn ddddd', byElementFix, 3),
    pattern('Crypto four-register SM3SS1', '11001110 010 mmmmm 0 aaaaa nnnnn ddddd'),
    pattern('Crypto three-register imm2 SM3TT1A/B, SM3TT2A/B', '11001110 010 mmmmm 10 ii oo nnnnn ddddd', undefined, 2),
    pattern('Crypto three-register SM3PARTW1/2, SM4EKEY', '11001110 011 mmmmm 1 1 00 oo nnnnn ddddd'),
    // opcode 00 is SHA512SU0 (FEAT_SHA512, the crypto group's)
    pattern('Crypto two-register SM4E', '11001110 110 00000 1000 oo nnnnn ddddd', (insn, { rng }) => (bits(insn, 11, 10) === 0 ? null : rng.chance(0.2) ? insn : withBits(insn, 11, 10, 1))),
    pattern('AdvSIMD two-register misc BFCVTN', '0 Q 0 01110 ss 10000 10110 10 nnnnn ddddd', (insn, { rng }) => (rng.chance(0.15) ? insn : withBits(insn, 23, 22, 2))),
  ],
};
