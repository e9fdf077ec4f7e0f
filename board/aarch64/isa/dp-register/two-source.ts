// Data-processing (2 source), Arm ARM C4.1.95: UDIV, SDIV, LSLV, LSRV, ASRV,
// RORV, CRC32{B,H,W,X}, CRC32C{B,H,W,X}.

import { zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Encoding, Handler, Op } from '../../decoder';
import { R } from '../../int64';
import { CRC32_TABLE, CRC32C_TABLE, crc32Update } from './crc32';
import { sdiv64, udiv64 } from './divide';
import { SHIFT32, SHIFT64 } from './operands';

const twoSource: Handler = (insn, ctx) => {
  if (bit(insn, 29) === 1) return null;
  const sf = bit(insn, 31);
  const opcode = bits(insn, 15, 10);
  const x = ctx.cpu.x;
  const m = 2 * zrSrc(bits(insn, 20, 16));
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const d = 2 * zrDst(bits(insn, 4, 0));
  if (opcode === 2 || opcode === 3) return divide(x, sf, opcode === 3, d, n, m);
  if (opcode >= 8 && opcode <= 11) return variableShift(x, sf, opcode - 8, d, n, m);
  if (opcode >= 16 && opcode <= 23) {
    const size = opcode & 3;
    if ((size === 3) !== (sf === 1)) return null;
    return crc(x, (opcode & 4) !== 0 ? CRC32C_TABLE : CRC32_TABLE, size, d, n, m);
  }
  return null;
};

function divide(x: Int32Array, sf: number, signed: boolean, d: number, n: number, m: number): Op {
  if (sf === 0) {
    return signed
      ? () => {
          const b = x[m];
          x[d] = b === 0 ? 0 : Math.trunc(x[n] / b);
          x[d + 1] = 0;
        }
      : () => {
          const b = x[m] >>> 0;
          x[d] = b === 0 ? 0 : Math.floor((x[n] >>> 0) / b);
          x[d + 1] = 0;
        };
  }
  const div = signed ? sdiv64 : udiv64;
  return () => {
    const blo = x[m];
    const bhi = x[m + 1];
    if ((blo | bhi) === 0) {
      x[d] = 0;
      x[d + 1] = 0;
      return;
    }
    div(x[n], x[n + 1], blo, bhi);
    x[d] = R[0];
    x[d + 1] = R[1];
  };
}

/** LSLV/LSRV/ASRV/RORV: the amount is Rm modulo the register width. */
function variableShift(x: Int32Array, sf: number, type: number, d: number, n: number, m: number): Op {
  if (sf === 0) {
    const sh = SHIFT32[type];
    return () => {
      x[d] = sh(x[n], x[m] & 31);
      x[d + 1] = 0;
    };
  }
  const sh = SHIFT64[type];
  return () => {
    sh(x[n], x[n + 1], x[m] & 63);
    x[d] = R[0];
    x[d + 1] = R[1];
  };
}

function crc(x: Int32Array, table: Int32Array, size: number, d: number, n: number, m: number): Op {
  if (size === 3) {
    return () => {
      const lo = x[m];
      const hi = x[m + 1];
      x[d] = crc32Update(table, crc32Update(table, x[n], lo, 4), hi, 4);
      x[d + 1] = 0;
    };
  }
  const bytes = 1 << size;
  return () => {
    x[d] = crc32Update(table, x[n], x[m], bytes);
    x[d + 1] = 0;
  };
}

export const twoSourceEncodings: Encoding[] = [
  { name: 'UDIV/SDIV/LSLV/LSRV/ASRV/RORV/CRC32', pattern: 'x 0 x 11010110 xxxxx xxxxxx xxxxx xxxxx', handler: twoSource },
];
