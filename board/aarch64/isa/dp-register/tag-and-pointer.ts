// The deterministic MTE and pointer-authentication instructions of this group
// that qemu's max CPU runs in user mode: SUBP, SUBPS, IRG, GMI, XPACI, XPACD.
// IRG gives tag 0, as under Linux's default GCR_EL1 (every random tag
// excluded). XPAC strips as qemu-aarch64 does: 48-bit VAs, top-byte-ignore on
// the lower half only. PAC*/AUT*/PACGA need keys and stay UNDEFINED.

import { zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Encoding, Handler } from '../../decoder';
import { addFlags64, R } from '../../int64';

/** Sign-extends a 56-bit address held as (lo, hi) from bit 55, high half only. */
function sext56(hi: number): number {
  return (hi << 8) >> 8;
}

const subp: Handler = (insn, ctx) => {
  if (bit(insn, 31) === 0) return null;
  const x = ctx.cpu.x;
  const f = ctx.cpu.f;
  const setFlags = bit(insn, 29) === 1;
  const m = 2 * bits(insn, 20, 16); // Xm|SP
  const n = 2 * bits(insn, 9, 5); // Xn|SP
  const d = 2 * zrDst(bits(insn, 4, 0));
  const flags = setFlags ? f : new Int32Array(4);
  return () => {
    addFlags64(flags, x[n], sext56(x[n + 1]), ~x[m], ~sext56(x[m + 1]), 1);
    x[d] = R[0];
    x[d + 1] = R[1];
  };
};

const irg: Handler = (insn, ctx) => {
  const x = ctx.cpu.x;
  const n = 2 * bits(insn, 9, 5); // Xn|SP
  const d = 2 * bits(insn, 4, 0); // Xd|SP
  return () => {
    x[d] = x[n];
    x[d + 1] = x[n + 1] & ~0x0f000000;
  };
};

const gmi: Handler = (insn, ctx) => {
  const x = ctx.cpu.x;
  const m = 2 * zrSrc(bits(insn, 20, 16));
  const n = 2 * bits(insn, 9, 5); // Xn|SP
  const d = 2 * zrDst(bits(insn, 4, 0));
  return () => {
    const tagBit = 1 << ((x[n + 1] >>> 24) & 15);
    x[d] = x[m] | tagBit;
    x[d + 1] = x[m + 1];
  };
};

const xpac: Handler = (insn, ctx) => {
  const x = ctx.cpu.x;
  const d = 2 * zrDst(bits(insn, 4, 0));
  return () => {
    const hi = x[d + 1];
    x[d + 1] = hi & 0x00800000 ? hi | 0xffff0000 : hi & 0xff00ffff;
  };
};

export const tagAndPointer: Encoding[] = [
  { name: 'SUBP/SUBPS', pattern: 'x 0 x 11010110 xxxxx 000000 xxxxx xxxxx', handler: subp },
  { name: 'IRG', pattern: '1 0 0 11010110 xxxxx 000100 xxxxx xxxxx', handler: irg },
  { name: 'GMI', pattern: '1 0 0 11010110 xxxxx 000101 xxxxx xxxxx', handler: gmi },
  { name: 'XPACI/XPACD', pattern: '1 1 0 11010110 00001 01000x 11111 xxxxx', handler: xpac },
];
