// Logical (shifted register), Arm ARM C4.1.95: AND, BIC, ORR, ORN, EOR, EON,
// ANDS, BICS, with LSL/LSR/ASR/ROR of the second operand. MOV and MVN are
// ORR/ORN from the zero register.

import { ZR_READ, zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Encoding, Handler, Op } from '../../decoder';
import { logicFlags32, logicFlags64, R } from '../../int64';
import { SHIFT32, SHIFT64 } from './operands';

const AND = 0;
const ORR = 1;
const EOR = 2;

const logicalShifted: Handler = (insn, ctx) => {
  const sf = bit(insn, 31);
  const amount = bits(insn, 15, 10);
  if (sf === 0 && amount >= 32) return null;
  const x = ctx.cpu.x;
  const f = ctx.cpu.f;
  const opc = bits(insn, 30, 29);
  const type = bits(insn, 23, 22);
  const invert = bit(insn, 21) === 1;
  const m = 2 * zrSrc(bits(insn, 20, 16));
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const d = 2 * zrDst(bits(insn, 4, 0));
  if (amount === 0 && !invert) {
    if (opc === ORR && n === 2 * ZR_READ) return sf ? () => { x[d] = x[m]; x[d + 1] = x[m + 1]; } : () => { x[d] = x[m]; x[d + 1] = 0; }; // MOV
    return sf ? plain64(x, f, opc, d, n, m) : plain32(x, f, opc, d, n, m);
  }
  const inv = invert ? -1 : 0;
  if (sf === 0) {
    const sh = SHIFT32[type];
    switch (opc) {
      case AND: return () => { x[d] = x[n] & (sh(x[m], amount) ^ inv); x[d + 1] = 0; };
      case ORR: return () => { x[d] = x[n] | (sh(x[m], amount) ^ inv); x[d + 1] = 0; };
      case EOR: return () => { x[d] = x[n] ^ sh(x[m], amount) ^ inv; x[d + 1] = 0; };
      default:
        return () => {
          const r = x[n] & (sh(x[m], amount) ^ inv);
          logicFlags32(f, r);
          x[d] = r;
          x[d + 1] = 0;
        };
    }
  }
  const sh = SHIFT64[type];
  switch (opc) {
    case AND: return () => { sh(x[m], x[m + 1], amount); x[d] = x[n] & (R[0] ^ inv); x[d + 1] = x[n + 1] & (R[1] ^ inv); };
    case ORR: return () => { sh(x[m], x[m + 1], amount); x[d] = x[n] | (R[0] ^ inv); x[d + 1] = x[n + 1] | (R[1] ^ inv); };
    case EOR: return () => { sh(x[m], x[m + 1], amount); x[d] = x[n] ^ R[0] ^ inv; x[d + 1] = x[n + 1] ^ R[1] ^ inv; };
    default:
      return () => {
        sh(x[m], x[m + 1], amount);
        const lo = x[n] & (R[0] ^ inv);
        const hi = x[n + 1] & (R[1] ^ inv);
        logicFlags64(f, lo, hi);
        x[d] = lo;
        x[d + 1] = hi;
      };
  }
};

/** Unshifted, uninverted second operand: the common case. */
function plain32(x: Int32Array, f: Int32Array, opc: number, d: number, n: number, m: number): Op {
  switch (opc) {
    case AND: return () => { x[d] = x[n] & x[m]; x[d + 1] = 0; };
    case ORR: return () => { x[d] = x[n] | x[m]; x[d + 1] = 0; };
    case EOR: return () => { x[d] = x[n] ^ x[m]; x[d + 1] = 0; };
    default:
      return () => {
        const r = x[n] & x[m];
        logicFlags32(f, r);
        x[d] = r;
        x[d + 1] = 0;
      };
  }
}

function plain64(x: Int32Array, f: Int32Array, opc: number, d: number, n: number, m: number): Op {
  switch (opc) {
    case AND: return () => { x[d] = x[n] & x[m]; x[d + 1] = x[n + 1] & x[m + 1]; };
    case ORR: return () => { x[d] = x[n] | x[m]; x[d + 1] = x[n + 1] | x[m + 1]; };
    case EOR: return () => { x[d] = x[n] ^ x[m]; x[d + 1] = x[n + 1] ^ x[m + 1]; };
    default:
      return () => {
        const lo = x[n] & x[m];
        const hi = x[n + 1] & x[m + 1];
        logicFlags64(f, lo, hi);
        x[d] = lo;
        x[d + 1] = hi;
      };
  }
}

export const logical: Encoding[] = [
  { name: 'AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register)', pattern: 'x xx 01010 xx x xxxxx xxxxxx xxxxx xxxxx', handler: logicalShifted },
];
