// Flag manipulation (FEAT_FlagM, FEAT_FlagM2): RMIF, SETF8, SETF16 from the
// data-processing (register) group, and CFINV, XAFLAG, AXFLAG, which sit in
// the MSR (immediate) space as more specific lines.

import { zrSrc } from '../../cpu-state';
import { bits, Encoding, Handler } from '../../decoder';
import { R, ror64 } from '../../int64';

/** RMIF: rotate Xn right, then copy bits 3..0 into the NZCV flags the mask selects. */
const rmif: Handler = (insn, ctx) => {
  const x = ctx.cpu.x;
  const f = ctx.cpu.f;
  const amount = bits(insn, 20, 15);
  const mask = bits(insn, 3, 0);
  const n = 2 * zrSrc(bits(insn, 9, 5));
  return () => {
    ror64(x[n], x[n + 1], amount);
    const v = R[0];
    if (mask & 8) f[0] = (v >>> 3) & 1;
    if (mask & 4) f[1] = (v >>> 2) & 1;
    if (mask & 2) f[2] = (v >>> 1) & 1;
    if (mask & 1) f[3] = v & 1;
  };
};

/** SETF8/SETF16: N, Z, V as if Wn's low 8 or 16 bits were the signed result of an operation; C unchanged. */
const setf: Handler = (insn, ctx) => {
  const x = ctx.cpu.x;
  const f = ctx.cpu.f;
  const top = insn & (1 << 14) ? 15 : 7;
  const low = top === 15 ? 0xffff : 0xff;
  const n = 2 * zrSrc(bits(insn, 9, 5));
  return () => {
    const v = x[n];
    f[0] = (v >>> top) & 1;
    f[1] = (v & low) === 0 ? 1 : 0;
    f[3] = ((v >>> (top + 1)) ^ (v >>> top)) & 1;
  };
};

const cfinv: Handler = (_insn, ctx) => {
  const f = ctx.cpu.f;
  return () => {
    f[2] ^= 1;
  };
};

/** XAFLAG: from the external floating-point comparison format to Arm's. */
const xaflag: Handler = (_insn, ctx) => {
  const f = ctx.cpu.f;
  return () => {
    const z = f[1];
    const c = f[2];
    f[0] = (c | z) ^ 1;
    f[1] = z & c;
    f[2] = c | z;
    f[3] = z & (c ^ 1);
  };
};

/** AXFLAG: from Arm's floating-point comparison flags to the external format. */
const axflag: Handler = (_insn, ctx) => {
  const f = ctx.cpu.f;
  return () => {
    const v = f[3];
    f[1] |= v;
    f[2] &= v ^ 1;
    f[0] = 0;
    f[3] = 0;
  };
};

export const flagManipulation: Encoding[] = [
  { name: 'RMIF', pattern: '1 0 1 11010000 xxxxxx 00001 xxxxx 0 xxxx', handler: rmif },
  { name: 'SETF8/SETF16', pattern: '0 0 1 11010000 000000 x 0010 xxxxx 0 1101', handler: setf },
  { name: 'CFINV', pattern: '1101010100 0 00 000 0100 0000 000 11111', handler: cfinv },
  { name: 'XAFLAG', pattern: '1101010100 0 00 000 0100 0000 001 11111', handler: xaflag },
  { name: 'AXFLAG', pattern: '1101010100 0 00 000 0100 0000 010 11111', handler: axflag },
];
