// Data-processing (1 source), Arm ARM C4.1.95: RBIT, REV16, REV32, REV, CLZ, CLS.

import { zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Encoding, Handler, Op } from '../../decoder';

/** The 32 bits of v in reverse order. */
export function reverseBits32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  return reverseBytes32(v);
}

export function reverseBytes32(v: number): number {
  return (v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

/** Swaps the bytes inside each 16-bit halfword. */
export function reverseBytes16x2(v: number): number {
  return ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
}

/** Leading bits equal to the sign bit, not counting the sign bit itself. */
function cls32(v: number): number {
  return Math.clz32(v ^ (v >> 31)) - 1;
}

const oneSource: Handler = (insn, ctx) => {
  if (bit(insn, 29) === 1 || bits(insn, 20, 16) !== 0) return null;
  const sf = bit(insn, 31);
  const opcode = bits(insn, 15, 10);
  if (opcode > 5 || (sf === 0 && opcode === 3)) return null;
  const x = ctx.cpu.x;
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const d = 2 * zrDst(bits(insn, 4, 0));
  return sf === 0 ? oneSource32(x, opcode, d, n) : oneSource64(x, opcode, d, n);
};

function oneSource32(x: Int32Array, opcode: number, d: number, n: number): Op {
  const fn = [reverseBits32, reverseBytes16x2, reverseBytes32, reverseBytes32, Math.clz32, cls32][opcode];
  return () => {
    x[d] = fn(x[n]);
    x[d + 1] = 0;
  };
}

function oneSource64(x: Int32Array, opcode: number, d: number, n: number): Op {
  switch (opcode) {
    case 0:
      return () => {
        const lo = x[n];
        x[d] = reverseBits32(x[n + 1]);
        x[d + 1] = reverseBits32(lo);
      };
    case 1:
      return () => {
        x[d] = reverseBytes16x2(x[n]);
        x[d + 1] = reverseBytes16x2(x[n + 1]);
      };
    case 2: // REV32
      return () => {
        x[d] = reverseBytes32(x[n]);
        x[d + 1] = reverseBytes32(x[n + 1]);
      };
    case 3:
      return () => {
        const lo = x[n];
        x[d] = reverseBytes32(x[n + 1]);
        x[d + 1] = reverseBytes32(lo);
      };
    case 4:
      return () => {
        const hi = x[n + 1];
        x[d] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(x[n]);
        x[d + 1] = 0;
      };
    default:
      return () => {
        const s = x[n + 1] >> 31;
        const hi = x[n + 1] ^ s;
        x[d] = (hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(x[n] ^ s)) - 1;
        x[d + 1] = 0;
      };
  }
}

export const oneSourceEncodings: Encoding[] = [
  { name: 'RBIT/REV16/REV32/REV/CLZ/CLS', pattern: 'x 1 x 11010110 xxxxx xxxxxx xxxxx xxxxx', handler: oneSource },
];
