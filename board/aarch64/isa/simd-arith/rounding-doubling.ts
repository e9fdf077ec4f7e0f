// ARMv8.1 RDM: SQRDMLAH and SQRDMLSH (accumulate the rounded doubled high
// half of a product, saturated), in their three-same-extra vector and scalar
// encodings. The by-element forms reuse the lane function.

import type { Cpu } from '../../cpu';
import { bit, bits, Encoding, Handler } from '../../decoder';
import { add64, R } from '../../int64';
import { elementwise, LaneFn } from './lane-drivers';
import { signedSat, smul32, sub64 } from './lane-math';

/** acc + ((acc << esize) +/- 2ab + round) >> esize, saturated to esize bits, for esize 16 or 32. */
export function roundingDoublingAccumulate(esize: number, subtract: boolean): LaneFn {
  const sat = signedSat(esize);
  if (esize === 16) {
    return subtract
      ? (a, b, acc) => sat(Math.floor((acc * 65536 - 2 * a * b + 0x8000) / 65536))
      : (a, b, acc) => sat(Math.floor((acc * 65536 + 2 * a * b + 0x8000) / 65536));
  }
  // (acc << 32) is a multiple of 2^32, so the result is acc + floor((+/-ab + 2^30) / 2^31).
  return (a, b, acc) => {
    smul32(a, b);
    if (subtract) sub64(0, 0, R[0], R[1]);
    add64(R[0], R[1], 0x40000000, 0, 0);
    return sat(acc + R[1] * 2 + (R[0] >>> 31));
  };
}

function handler(subtract: boolean, scalar: boolean): Handler {
  return (insn, ctx) => {
    const size = bits(insn, 23, 22);
    if (size !== 1 && size !== 2) return null;
    const esize = 8 << size;
    const count = scalar ? 1 : (64 << bit(insn, 30)) / esize;
    const cpu: Cpu = ctx.cpu;
    return elementwise(
      { cpu, esize, count, signed: true, d: bits(insn, 4, 0), n: bits(insn, 9, 5), m: bits(insn, 20, 16), bIndex: -1 },
      roundingDoublingAccumulate(esize, subtract),
    );
  };
}

export const roundingDoubling: Encoding[] = [
  { name: 'SQRDMLAH (vector)', pattern: '0q101110 ss0 mmmmm 10000 1 nnnnn ddddd', handler: handler(false, false) },
  { name: 'SQRDMLSH (vector)', pattern: '0q101110 ss0 mmmmm 10001 1 nnnnn ddddd', handler: handler(true, false) },
  { name: 'SQRDMLAH (scalar)', pattern: '01111110 ss0 mmmmm 10000 1 nnnnn ddddd', handler: handler(false, true) },
  { name: 'SQRDMLSH (scalar)', pattern: '01111110 ss0 mmmmm 10001 1 nnnnn ddddd', handler: handler(true, true) },
];
