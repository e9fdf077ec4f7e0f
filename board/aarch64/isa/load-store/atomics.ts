// ARMv8.1 LSE atomic memory operations (LDADD, LDCLR, LDEOR, LDSET, LDSMAX,
// LDSMIN, LDUMAX, LDUMIN, SWP and their ST* aliases, all sizes and orderings)
// and LDAPR (v8.3 RCpc), which shares their encoding class.

import type { Cpu } from '../../cpu';
import { zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Handler, Op } from '../../decoder';
import { add64, R, toAddress } from '../../int64';
import { gprLoad } from './register-transfer';

const T = new Int32Array(2);

const enum AtomicOp {
  Add = 0,
  Clr = 1,
  Eor = 2,
  Set = 3,
  Smax = 4,
  Smin = 5,
  Umax = 6,
  Umin = 7,
  Swp = 8,
}

type Combine32 = (old: number, v: number) => number;

/** The new memory value from the old one and Rs, both extended to 32 bits (signed for SMAX/SMIN). */
const combine32: Combine32[] = [
  (o, v) => o + v,
  (o, v) => o & ~v,
  (o, v) => o ^ v,
  (o, v) => o | v,
  (o, v) => (o > v ? o : v),
  (o, v) => (o < v ? o : v),
  (o, v) => (o >>> 0 > v >>> 0 ? o : v),
  (o, v) => (o >>> 0 < v >>> 0 ? o : v),
  (_o, v) => v,
];

/** R = the new 64-bit value from old (olo, ohi) and Rs (vlo, vhi). */
function combine64(op: AtomicOp, olo: number, ohi: number, vlo: number, vhi: number): void {
  let lo: number;
  let hi: number;
  switch (op) {
    case AtomicOp.Add:
      add64(olo, ohi, vlo, vhi, 0);
      return;
    case AtomicOp.Clr:
      lo = olo & ~vlo;
      hi = ohi & ~vhi;
      break;
    case AtomicOp.Eor:
      lo = olo ^ vlo;
      hi = ohi ^ vhi;
      break;
    case AtomicOp.Set:
      lo = olo | vlo;
      hi = ohi | vhi;
      break;
    case AtomicOp.Swp:
      lo = vlo;
      hi = vhi;
      break;
    default: {
      const signed = op === AtomicOp.Smax || op === AtomicOp.Smin;
      const wantMax = op === AtomicOp.Smax || op === AtomicOp.Umax;
      const oh = signed ? ohi : ohi >>> 0;
      const vh = signed ? vhi : vhi >>> 0;
      const oldGreater = oh > vh || (oh === vh && olo >>> 0 > vlo >>> 0);
      const keepOld = wantMax === oldGreater || (oh === vh && olo === vlo);
      lo = keepOld ? olo : vlo;
      hi = keepOld ? ohi : vhi;
    }
  }
  R[0] = lo;
  R[1] = hi;
}

function atomic(cpu: Cpu, size: number, op: AtomicOp, rs: number, rn: number, rt: number): Op {
  const x = cpu.x;
  const vm = cpu.vm;
  const n = 2 * rn;
  const s = 2 * zrSrc(rs);
  const t = 2 * zrDst(rt);
  const bytes = 1 << size;
  if (size === 3) {
    return () => {
      const a = toAddress(x[n], x[n + 1]);
      vm.checkAligned(a, 8, true);
      vm.read64(a, T, 0);
      combine64(op, T[0], T[1], x[s], x[s + 1]);
      vm.write64(a, R, 0);
      x[t] = T[0];
      x[t + 1] = T[1];
    };
  }
  const f = combine32[op];
  const signed = op === AtomicOp.Smax || op === AtomicOp.Smin;
  const sh = 32 - 8 * bytes;
  const mask = size === 2 ? -1 : (1 << (8 * bytes)) - 1;
  // Operands as 32-bit values: sign-extended for the signed comparisons, else the low bits (int32).
  const ext = signed ? (v: number) => (v << sh) >> sh : (v: number) => v & mask;
  const read = size === 0 ? (a: number) => vm.read8(a) : size === 1 ? (a: number) => vm.read16(a) : (a: number) => vm.read32(a);
  const write = size === 0 ? (a: number, v: number) => vm.write8(a, v & 0xff) : size === 1 ? (a: number, v: number) => vm.write16(a, v & 0xffff) : (a: number, v: number) => vm.write32(a, v);
  return () => {
    const a = toAddress(x[n], x[n + 1]);
    vm.checkAligned(a, bytes, true);
    const old = read(a);
    write(a, f(ext(old), ext(x[s])));
    x[t] = old & mask;
    x[t + 1] = 0;
  };
}

/** size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt */
export const atomicClass: Handler = (insn, ctx) => {
  const size = bits(insn, 31, 30);
  const acquire = bit(insn, 23);
  const release = bit(insn, 22);
  const rs = bits(insn, 20, 16);
  const o3 = bit(insn, 15);
  const opc = bits(insn, 14, 12);
  const rn = bits(insn, 9, 5);
  const rt = bits(insn, 4, 0);
  if (o3 === 0) return atomic(ctx.cpu, size, opc as AtomicOp, rs, rn, rt);
  if (opc === 0) return atomic(ctx.cpu, size, AtomicOp.Swp, rs, rn, rt);
  if (opc === 4 && acquire === 1 && release === 0 && rs === 31) {
    // LDAPR: no alignment check in qemu 7.2 (unlike LDAR).
    const x = ctx.cpu.x;
    const n = 2 * rn;
    const load = gprLoad(ctx.cpu.vm, x, size, 2 * zrDst(rt), false, false);
    return () => load(toAddress(x[n], x[n + 1]));
  }
  return null;
};
