// x87 control: FLDCW/FNSTCW, FNSTSW (m16 and AX), FNCLEX, FNINIT, FWAIT,
// FLDENV/FNSTENV and FNSAVE/FRSTOR (32-bit format; 16-bit with 66). The FN
// forms and FLDENV/FRSTOR do not deliver pending exceptions. FXSAVE/FXRSTOR
// live with the SSE rows (sse-rows-moves.ts on the x86-sse branch).

import type { X86Cpu } from '../cpu';
import { Misc } from '../cpu-state';
import type { X86Insn, X86Op, X86Row } from '../decoder';
import { effectiveAddress } from '../operands';
import { x87Error } from '../x86-fault';
import { classify, Cls, ES, EXCEPTIONS } from '../../fp80';
import { FSW_B, X87, x87Of } from './x87-state';


export function fullStatus(u: X87): number {
  return (u.misc[Misc.Fsw] & ~0x3800) | ((u.misc[Misc.FpuTop] & 7) << 11);
}

/** The full tag word: 2 bits per physical register (valid 0, zero 1, special 2, empty 3). */
export function tagWord(u: X87): number {
  let tw = 0;
  for (let p = 0; p < 8; p++) {
    let t = 3;
    if (!((u.misc[Misc.FpuEmpty] >>> p) & 1)) {
      const c = classify(u.stw[8 * p + 4], u.stl[4 * p + 1], u.stl[4 * p]);
      t = c === Cls.Zero ? 1 : c === Cls.Normal ? 0 : 2;
    }
    tw |= t << (2 * p);
  }
  return tw;
}

function setStatus(u: X87, fsw: number): void {
  u.misc[Misc.FpuTop] = (fsw >>> 11) & 7;
  u.misc[Misc.Fsw] = fsw & ~0x3800 & 0xffff;
}

function setControl(u: X87, fcw: number): void {
  u.misc[Misc.Fcw] = (fcw & 0x1f3f) | 0x40;
  // ES and B summarize the unmasked flags.
  let fsw = u.misc[Misc.Fsw] & ~(ES | FSW_B);
  if (fsw & ~u.misc[Misc.Fcw] & EXCEPTIONS) fsw |= ES | FSW_B;
  u.misc[Misc.Fsw] = fsw;
}

export function initFpu(u: X87): void {
  const m = u.misc;
  m[Misc.Fcw] = 0x37f;
  m[Misc.Fsw] = 0;
  m[Misc.FpuTop] = 0;
  m[Misc.FpuEmpty] = 0xff;
  for (const k of [Misc.FipLo, Misc.FipHi, Misc.FdpLo, Misc.FdpHi, Misc.Fop]) m[k] = 0;
}

function memOp(waiting: boolean, body: (u: X87, addr: number, i: X86Insn) => void) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const u = x87Of(cpu);
    const ea = effectiveAddress(i, cpu);
    return () => {
      if (waiting && u.misc[Misc.Fsw] & ES) throw x87Error();
      body(u, ea(), i);
    };
  };
}

function regOp(waiting: boolean, body: (u: X87) => void) {
  return (_i: X86Insn, cpu: X86Cpu): X86Op => {
    const u = x87Of(cpu);
    return () => {
      if (waiting && u.misc[Misc.Fsw] & ES) throw x87Error();
      body(u);
    };
  };
}

/** The environment: 28 bytes (14 with a 66 prefix). */
function storeEnv(u: X87, addr: number, small: boolean): void {
  const mem = u.cpu.mem;
  const m = u.misc;
  const fields = [m[Misc.Fcw], fullStatus(u), tagWord(u), m[Misc.FipLo], 0, m[Misc.FdpLo], 0];
  if (small) {
    mem.probeWrite(addr, 14);
    fields.forEach((v, k) => mem.write16(addr + 2 * k, v & 0xffff));
  } else {
    mem.probeWrite(addr, 28);
    fields[4] = (m[Misc.Fop] & 0x7ff) << 16;
    fields.forEach((v, k) => mem.write32(addr + 4 * k, k === 3 || k === 4 || k === 5 ? v : (v & 0xffff) | 0xffff0000));
  }
}

function loadEnv(u: X87, addr: number, small: boolean): void {
  const mem = u.cpu.mem;
  const step = small ? 2 : 4;
  const fcw = mem.read16(addr);
  const fsw = mem.read16(addr + step);
  const ftw = mem.read16(addr + 2 * step);
  const m = u.misc;
  m[Misc.FipLo] = small ? mem.read16(addr + 3 * step) : mem.read32(addr + 3 * step);
  m[Misc.FipHi] = 0;
  m[Misc.Fop] = small ? 0 : (mem.read32(addr + 16) >>> 16) & 0x7ff;
  m[Misc.FdpLo] = small ? mem.read16(addr + 5 * step) : mem.read32(addr + 5 * step);
  m[Misc.FdpHi] = 0;
  let empty = 0;
  for (let p = 0; p < 8; p++) if (((ftw >>> (2 * p)) & 3) === 3) empty |= 1 << p;
  m[Misc.FpuEmpty] = empty;
  setStatus(u, fsw);
  setControl(u, fcw);
}

function fnstenv(u: X87, addr: number, i: X86Insn): void {
  storeEnv(u, addr, i.p66);
  u.misc[Misc.Fcw] |= EXCEPTIONS;
}

function fnsave(u: X87, addr: number, i: X86Insn): void {
  const envBytes = i.p66 ? 14 : 28;
  u.cpu.mem.probeWrite(addr, envBytes + 80);
  storeEnv(u, addr, i.p66);
  for (let k = 0; k < 8; k++) storeReg(u, k, addr + envBytes + 10 * k);
  initFpu(u);
}

function frstor(u: X87, addr: number, i: X86Insn): void {
  const envBytes = i.p66 ? 14 : 28;
  const regs = new Int32Array(24);
  for (let k = 0; k < 8; k++) readReg(u, addr + envBytes + 10 * k, regs, 3 * k);
  loadEnv(u, addr, i.p66);
  for (let k = 0; k < 8; k++) setRaw(u, k, regs, 3 * k);
}

function storeReg(u: X87, k: number, at: number): void {
  const p = u.phys(k);
  u.cpu.mem.write64v(at, u.stl[4 * p], u.stl[4 * p + 1]);
  u.cpu.mem.write16(at + 8, u.stw[8 * p + 4]);
}

function readReg(u: X87, at: number, dst: Int32Array, di: number): void {
  u.cpu.mem.read64(at, dst, di);
  dst[di + 2] = u.cpu.mem.read16(at + 8);
}

/** ST(k) = dst[di..di+2] without touching the empty bits. */
function setRaw(u: X87, k: number, src: Int32Array, si: number): void {
  const p = u.phys(k);
  u.stl[4 * p] = src[si];
  u.stl[4 * p + 1] = src[si + 1];
  u.stw[8 * p + 4] = src[si + 2];
  u.stw[8 * p + 5] = 0;
  u.stl[4 * p + 3] = 0;
}

function fnstswAx(i: X86Insn, cpu: X86Cpu): X86Op {
  const u = x87Of(cpu);
  const r = cpu.r;
  void i;
  return () => {
    r[0] = (r[0] & ~0xffff) | fullStatus(u);
  };
}

export const x87ControlRows: X86Row[] = [
  { name: 'FLDENV m14/28byte', enc: 'D9 /4 mem', handler: memOp(false, (u, a, i) => loadEnv(u, a, i.p66)) },
  { name: 'FLDCW m2byte', enc: 'D9 /5 mem', handler: memOp(true, (u, a) => setControl(u, u.cpu.mem.read16(a))) },
  { name: 'FNSTENV m14/28byte', enc: 'D9 /6 mem', handler: memOp(false, fnstenv) },
  { name: 'FNSTCW m2byte', enc: 'D9 /7 mem', handler: memOp(false, (u, a) => u.cpu.mem.write16(a, u.misc[Misc.Fcw])) },
  { name: 'FRSTOR m94/108byte', enc: 'DD /4 mem', handler: memOp(false, frstor) },
  { name: 'FNSAVE m94/108byte', enc: 'DD /6 mem', handler: memOp(false, fnsave) },
  { name: 'FNSTSW m2byte', enc: 'DD /7 mem', handler: memOp(false, (u, a) => u.cpu.mem.write16(a, fullStatus(u))) },
  { name: 'FNSTSW AX', enc: 'DF E0', handler: fnstswAx },
  { name: 'FNCLEX', enc: 'DB E2', handler: regOp(false, (u) => (u.misc[Misc.Fsw] &= ~(EXCEPTIONS | 0x40 | ES | FSW_B))) },
  { name: 'FNINIT', enc: 'DB E3', handler: regOp(false, initFpu) },
  // 8087/287 control instructions: the 387 and later execute them as FNOP.
  { name: 'FNENI (as FNOP)', enc: 'DB E0', handler: regOp(false, () => {}) },
  { name: 'FNDISI (as FNOP)', enc: 'DB E1', handler: regOp(false, () => {}) },
  { name: 'FNSETPM (as FNOP)', enc: 'DB E4', handler: regOp(false, () => {}) },
  { name: 'FWAIT', enc: '9B', handler: regOp(true, () => {}) },
];

