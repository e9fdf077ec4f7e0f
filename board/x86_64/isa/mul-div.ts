// MUL, IMUL (one, two and three operands), DIV, IDIV in every width.
// Multiplies set CF = OF = "the high part is significant"; SF, ZF, PF come
// from the low result and AF reads 0 (all four are undefined in the SDM).
// Division by zero and quotient overflow raise #DE before anything changes.

import type { X86Cpu } from '../cpu';
import { Lazy } from '../cpu-state';
import type { FlagUse, X86Insn, X86Op, X86Row } from '../decoder';
import { Cc } from '../flags';
import * as mflags from '../flags';
import * as mint64 from '../int64';
import * as moperands from '../operands';
import * as mx86_fault from '../x86-fault';
import * as moperand_forms from './operand-forms';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { ARITH_FLAGS } = mflags;
const { divu128, mulLow64, mulu32, mulu64, muls64, neg128 } = mint64;
const { getReg, setReg } = moperands;
const { divideError } = mx86_fault;
const { gSlot, log2Size, readE, readE64 } = moperand_forms;

function setMul(lz: Int32Array, lg: number, lo: number, hi: number, overflow: boolean): void {
  lz[Lazy.Op] = (Cc.Mul << 2) | lg;
  lz[Lazy.DstLo] = lo;
  lz[Lazy.DstHi] = hi;
  lz[Lazy.Src1Lo] = overflow ? 1 : 0;
}

/** F6/F7 /4 and /5: rDX:rAX = rAX * E. */
function mulAcc(signed: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const r = cpu.r;
    const lz = cpu.lz;
    const t = cpu.t;
    const size = i.opsize;
    if (size === 8) {
      const read = readE64(cpu, i, 4);
      return () => {
        read();
        if (signed) muls64(r[0], r[1], t[4], t[5], t, 0);
        else mulu64(r[0], r[1], t[4], t[5], t, 0);
        const ext = signed ? t[1] >> 31 : 0;
        setMul(lz, 3, t[0], t[1], t[2] !== ext || t[3] !== ext);
        r[0] = t[0]; r[1] = t[1];
        r[4] = t[2]; r[5] = t[3];
      };
    }
    const read = readE(cpu, i, size);
    if (size === 4) {
      return () => {
        const b = read();
        const a = r[0];
        mulu32(a, b, t, 0);
        let hi = t[1];
        if (signed) hi = (hi - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
        const lo = t[0];
        setMul(lz, 2, lo, 0, signed ? hi !== lo >> 31 : hi !== 0);
        r[0] = lo; r[1] = 0;
        r[4] = hi; r[5] = 0;
      };
    }
    const lg = log2Size(size);
    return () => {
      const b = read();
      const a = size === 1 ? r[0] & 0xff : r[0] & 0xffff;
      const sh = 32 - 8 * size;
      const p = signed ? ((a << sh) >> sh) * ((b << sh) >> sh) : a * b;
      if (size === 1) {
        setMul(lz, lg, p & 0xff, 0, signed ? p !== (p << 24) >> 24 : p > 0xff);
        setReg(r, 0, 0, 2, p);
      } else {
        setMul(lz, lg, p & 0xffff, 0, signed ? p !== (p << 16) >> 16 : p > 0xffff);
        setReg(r, 0, 0, 2, p);
        setReg(r, 4, 0, 2, p >> 16);
      }
    };
  };
}

/** IMUL G, E (0F AF) and IMUL G, E, imm (69, 6B): the truncated signed product. */
function imulG(immForm: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const r = cpu.r;
    const lz = cpu.lz;
    const t = cpu.t;
    const size = i.opsize;
    const g = gSlot(i, size).slot;
    const imm = i.imm;
    if (size === 8) {
      const bLo = imm | 0;
      const bHi = imm < 0 ? -1 : 0;
      if (!i.isMem) {
        const e = 2 * i.rm;
        if (i.flagsDead) return immForm ? () => mulLow64(r[e], r[e + 1], bLo, bHi, r, g) : () => mulLow64(r[e], r[e + 1], r[g], r[g + 1], r, g);
        return () => {
          const aLo = r[e];
          const aHi = r[e + 1];
          const cLo = immForm ? bLo : r[g];
          const cHi = immForm ? bHi : r[g + 1];
          mulLow64(aLo, aHi, cLo, cHi, r, g);
          lz[Lazy.Op] = (Cc.Imul64 << 2) | 3;
          lz[Lazy.DstLo] = r[g];
          lz[Lazy.DstHi] = r[g + 1];
          lz[Lazy.Src1Lo] = aLo;
          lz[Lazy.Src1Hi] = aHi;
          lz[Lazy.Src2Lo] = cLo;
          lz[Lazy.Src2Hi] = cHi;
        };
      }
      const read = readE64(cpu, i, 4);
      // Only the low half is written; CF/OF are computed from the factors if a later instruction reads them.
      return () => {
        read();
        const aLo = t[4];
        const aHi = t[5];
        const cLo = immForm ? bLo : r[g];
        const cHi = immForm ? bHi : r[g + 1];
        mulLow64(aLo, aHi, cLo, cHi, r, g);
        lz[Lazy.Op] = (Cc.Imul64 << 2) | 3;
        lz[Lazy.DstLo] = r[g];
        lz[Lazy.DstHi] = r[g + 1];
        lz[Lazy.Src1Lo] = aLo;
        lz[Lazy.Src1Hi] = aHi;
        lz[Lazy.Src2Lo] = cLo;
        lz[Lazy.Src2Hi] = cHi;
      };
    }
    if (size === 4 && i.flagsDead && !i.isMem) {
      const e = 2 * i.rm;
      return immForm ? () => { r[g] = Math.imul(r[e], imm); r[g + 1] = 0; } : () => { r[g] = Math.imul(r[e], r[g]); r[g + 1] = 0; };
    }
    const read = readE(cpu, i, size);
    if (size === 4) {
      return () => {
        const a = read();
        const b = immForm ? imm : r[g];
        const lo = Math.imul(a, b);
        // The double product may round past 2^53, never back into the int32 range.
        const p = a * b;
        setMul(lz, 2, lo, 0, p < -2147483648 || p > 2147483647);
        r[g] = lo;
        r[g + 1] = 0;
      };
    }
    return () => {
      const a = (read() << 16) >> 16;
      const b = immForm ? (imm << 16) >> 16 : (getReg(r, g, 0, 2) << 16) >> 16;
      const p = a * b;
      setMul(lz, 1, p & 0xffff, 0, p !== (p << 16) >> 16);
      setReg(r, g, 0, 2, p);
    };
  };
}

/** F6/F7 /6 and /7: rAX (and rDX) / E. */
function divAcc(signed: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const r = cpu.r;
    const t = cpu.t;
    const size = i.opsize;
    if (size === 8) {
      const read = readE64(cpu, i, 4);
      return () => {
        read();
        div64(cpu, signed, t[4], t[5]);
      };
    }
    const read = readE(cpu, i, size);
    if (size === 4) {
      return () => {
        const d = read();
        div32(r, t, signed, d);
      };
    }
    return () => {
      const d = read();
      let n: number;
      let dv: number;
      if (size === 1) {
        n = signed ? (r[0] << 16) >> 16 : r[0] & 0xffff;
        dv = signed ? (d << 24) >> 24 : d;
      } else {
        const hl = ((r[4] & 0xffff) << 16) | (r[0] & 0xffff);
        n = signed ? hl : hl >>> 0;
        dv = signed ? (d << 16) >> 16 : d;
      }
      if (dv === 0) throw divideError();
      const q = Math.trunc(n / dv);
      const rem = n - q * dv;
      const bits = 8 * size;
      if (signed ? q < -(2 ** (bits - 1)) || q >= 2 ** (bits - 1) : q >= 2 ** bits) throw divideError();
      if (size === 1) setReg(r, 0, 0, 2, (q & 0xff) | ((rem & 0xff) << 8));
      else {
        setReg(r, 0, 0, 2, q);
        setReg(r, 4, 0, 2, rem);
      }
    };
  };
}

function div32(r: Int32Array, t: Int32Array, signed: boolean, d: number): void {
  if (d === 0) throw divideError();
  let nLo = r[0];
  let nHi = r[4];
  const negN = signed && nHi < 0;
  const negD = signed && d < 0;
  if (negN) {
    nLo = (-nLo) | 0;
    nHi = (~nHi + (nLo === 0 ? 1 : 0)) | 0;
  }
  const dv = negD ? -d >>> 0 : d >>> 0;
  if (!divu128(nLo, nHi, 0, 0, dv | 0, 0, t, 0)) throw divideError();
  let q = t[0];
  let rem = t[2];
  if (t[1] !== 0) throw divideError();
  if (signed) {
    const neg = negN !== negD;
    if (neg ? q >>> 0 > 0x80000000 : q >>> 0 > 0x7fffffff) throw divideError();
    if (neg) q = -q | 0;
    if (negN) rem = -rem | 0;
  }
  r[0] = q; r[1] = 0;
  r[4] = rem; r[5] = 0;
}

/** div64's dividend and results (it calls nothing that could reenter it). */
const divScratch = new Int32Array(8);

function div64(cpu: X86Cpu, signed: boolean, dLo: number, dHi: number): void {
  const r = cpu.r;
  const w = divScratch;
  w[0] = r[0]; w[1] = r[1]; w[2] = r[4]; w[3] = r[5];
  if ((dLo | dHi) === 0) throw divideError();
  const negN = signed && w[3] < 0;
  const negD = signed && dHi < 0;
  if (negN) neg128(w, 0);
  if (negD) {
    dLo = (-dLo) | 0;
    dHi = (~dHi + (dLo === 0 ? 1 : 0)) | 0;
  }
  if (!divu128(w[0], w[1], w[2], w[3], dLo, dHi, w, 4)) throw divideError();
  let qLo = w[4];
  let qHi = w[5];
  let rLo = w[6];
  let rHi = w[7];
  if (signed) {
    const neg = negN !== negD;
    const limitHi = 0x80000000;
    if (neg ? qHi >>> 0 > limitHi || (qHi >>> 0 === limitHi && qLo !== 0) : qHi >>> 0 >= limitHi) throw divideError();
    if (neg) {
      qLo = -qLo | 0;
      qHi = (~qHi + (qLo === 0 ? 1 : 0)) | 0;
    }
    if (negN) {
      rLo = -rLo | 0;
      rHi = (~rHi + (rLo === 0 ? 1 : 0)) | 0;
    }
  }
  r[0] = qLo; r[1] = qHi;
  r[4] = rLo; r[5] = rHi;
}

const WRITES_ALL = (): FlagUse => ({ writes: ARITH_FLAGS, reads: 0 });

export const mulDivRows: X86Row[] = [
  { name: 'MUL Eb', enc: 'F6 /4', width: 'b', flagUse: WRITES_ALL, handler: mulAcc(false) },
  { name: 'IMUL Eb', enc: 'F6 /5', width: 'b', flagUse: WRITES_ALL, handler: mulAcc(true) },
  { name: 'DIV Eb', enc: 'F6 /6', width: 'b', handler: divAcc(false) },
  { name: 'IDIV Eb', enc: 'F6 /7', width: 'b', handler: divAcc(true) },
  { name: 'MUL Ev', enc: 'F7 /4', flagUse: WRITES_ALL, handler: mulAcc(false) },
  { name: 'IMUL Ev', enc: 'F7 /5', flagUse: WRITES_ALL, handler: mulAcc(true) },
  { name: 'DIV Ev', enc: 'F7 /6', handler: divAcc(false) },
  { name: 'IDIV Ev', enc: 'F7 /7', handler: divAcc(true) },
  { name: 'IMUL Gv,Ev', enc: '0F AF /r', flagUse: WRITES_ALL, handler: imulG(false) },
  { name: 'IMUL Gv,Ev,Iz', enc: '69 /r iz', flagUse: WRITES_ALL, handler: imulG(true) },
  { name: 'IMUL Gv,Ev,Ib', enc: '6B /r ib', flagUse: WRITES_ALL, handler: imulG(true) },
];
