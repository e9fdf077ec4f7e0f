// ADD, OR, ADC, SBB, AND, SUB, XOR, CMP in every form (00..3D, 80/81/83),
// TEST (84/85, A8/A9, F6/F7 /0 and /1), INC/DEC (FE/FF /0 /1), NOT/NEG
// (F6/F7 /2 /3).

import type { X86Cpu } from '../cpu';
import type { FlagUse, X86Insn, X86Op, X86Row } from '../decoder';
import { Lazy } from '../cpu-state';
import { Cc } from '../flags';
import * as mflags from '../flags';
import * as moperands from '../operands';
import { Alu } from './alu-ops';
import * as malu_ops from './alu-ops';
import * as malu_hot from './alu-hot';
import * as moperand_forms from './operand-forms';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { ARITH_FLAGS, CF } = mflags;
const { baseDisp, effectiveAddress, getReg, load, setReg, store } = moperands;

const TWO32 = 4294967296;
const { ALU32, ALU64, dec32, dec64, inc32, inc64 } = malu_ops;
const { alu32Hot, alu32NoFlags, alu64Hot, alu64NoFlags } = malu_hot;
const { eSlot, gSlot, log2Size, MASKS, rmwE, rmwE64 } = moperand_forms;

const NAMES = ['ADD', 'OR', 'ADC', 'SBB', 'AND', 'SUB', 'XOR', 'CMP'];

const WRITES_ALL: FlagUse = { writes: ARITH_FLAGS, reads: 0 };
const WRITES_ALL_READS_CF: FlagUse = { writes: ARITH_FLAGS, reads: CF };
const INC_DEC: FlagUse = { writes: ARITH_FLAGS & ~CF, reads: 0 };
const NONE: FlagUse = { writes: 0, reads: 0 };
const allFlags = (): FlagUse => WRITES_ALL;

/** E op= G (direction 0) or G op= E (direction 1). */
function aluEG(kind: Alu, toG: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const size = i.opsize;
    const write = kind !== Alu.Cmp;
    if (!i.isMem && size >= 4) {
      const [d, src] = toG ? [2 * i.reg, 2 * i.rm] : [2 * i.rm, 2 * i.reg];
      if (i.flagsDead && kind !== Alu.Adc && kind !== Alu.Sbb) return size === 8 ? alu64NoFlags(kind, cpu.r, d, src, undefined) : alu32NoFlags(kind, cpu.r, d, src, undefined);
      return size === 8 ? alu64Hot(kind, cpu.lz, cpu.r, cpu.t, d, src, undefined) : alu32Hot(kind, cpu.lz, cpu.r, d, src, undefined);
    }
    const bd = baseDisp(i);
    if (bd !== undefined && size >= 4 && toG) return aluGFromBaseDisp(cpu, i, kind, write, bd.slot, bd.disp);
    if (size === 8) return toG ? alu64GE(cpu, i, kind, write) : alu64EG(cpu, i, kind, write);
    const r = cpu.r;
    const lz = cpu.lz;
    const lg = log2Size(size);
    const f = ALU32[kind];
    const g = gSlot(i, size);
    const gs = g.slot;
    const gsh = g.shift;
    if (!i.isMem) {
      const e = eSlot(i, size);
      const es = e.slot;
      const esh = e.shift;
      if (size === 4) {
        // The hot forms: 32-bit register to register.
        if (!write) return toG ? () => void f(lz, r[gs], r[es], 2) : () => void f(lz, r[es], r[gs], 2);
        if (toG) return () => { r[gs] = f(lz, r[gs], r[es], 2); r[gs + 1] = 0; };
        return () => { r[es] = f(lz, r[es], r[gs], 2); r[es + 1] = 0; };
      }
      const [ds, dsh, ss, ssh] = toG ? [gs, gsh, es, esh] : [es, esh, gs, gsh];
      if (!write) return () => void f(lz, getReg(r, ds, dsh, size), getReg(r, ss, ssh, size), lg);
      return () => setReg(r, ds, dsh, size, f(lz, getReg(r, ds, dsh, size), getReg(r, ss, ssh, size), lg));
    }
    const ea = effectiveAddress(i, cpu);
    if (toG) {
      if (!write) return () => void f(lz, getReg(r, gs, gsh, size), load(cpu, ea(), size), lg);
      return () => setReg(r, gs, gsh, size, f(lz, getReg(r, gs, gsh, size), load(cpu, ea(), size), lg));
    }
    if (!write) return () => void f(lz, load(cpu, ea(), size), getReg(r, gs, gsh, size), lg);
    return () => {
      const a = ea();
      cpu.mem.probeWrite(a, size);
      store(cpu, a, size, f(lz, load(cpu, a, size), getReg(r, gs, gsh, size), lg));
    };
  };
}

/** G op= [base + disp] at 32/64 bits with the address computed inline (the common load-and-compute form). */
function aluGFromBaseDisp(cpu: X86Cpu, i: X86Insn, kind: Alu, write: boolean, b: number, disp: number): X86Op {
  const r = cpu.r;
  const lz = cpu.lz;
  const mem = cpu.mem;
  const g = 2 * i.reg;
  if (i.opsize === 4) {
    const f = ALU32[kind];
    if (!write) return () => void f(lz, r[g], mem.read32(r[b + 1] * TWO32 + (r[b] >>> 0) + disp), 2);
    return () => {
      r[g] = f(lz, r[g], mem.read32(r[b + 1] * TWO32 + (r[b] >>> 0) + disp), 2);
      r[g + 1] = 0;
    };
  }
  const f = ALU64[kind];
  const t = cpu.t;
  const out = write ? r : t;
  const oi = write ? g : 0;
  return () => {
    mem.read64(r[b + 1] * TWO32 + (r[b] >>> 0) + disp, t, 2);
    f(lz, r[g], r[g + 1], t[2], t[3], out, oi);
  };
}

/** CMP [base + disp], imm at 32/64 bits with the address computed inline. */
function cmpBaseDispImm(cpu: X86Cpu, size: number, b: number, disp: number, imm: number): X86Op {
  const r = cpu.r;
  const lz = cpu.lz;
  const mem = cpu.mem;
  if (size === 4) {
    const f = ALU32[Alu.Cmp];
    return () => void f(lz, mem.read32(r[b + 1] * TWO32 + (r[b] >>> 0) + disp), imm | 0, 2);
  }
  const f = ALU64[Alu.Cmp];
  const t = cpu.t;
  const hi = imm < 0 ? -1 : 0;
  return () => {
    mem.read64(r[b + 1] * TWO32 + (r[b] >>> 0) + disp, t, 2);
    f(lz, t[2], t[3], imm | 0, hi, t, 0);
  };
}

function alu64GE(cpu: X86Cpu, i: X86Insn, kind: Alu, write: boolean): X86Op {
  const r = cpu.r;
  const lz = cpu.lz;
  const t = cpu.t;
  const f = ALU64[kind];
  const g = 2 * i.reg;
  const out = write ? r : t;
  const oi = write ? g : 0;
  if (!i.isMem) {
    const e = 2 * i.rm;
    return () => f(lz, r[g], r[g + 1], r[e], r[e + 1], out, oi);
  }
  const ea = effectiveAddress(i, cpu);
  return () => {
    cpu.mem.read64(ea(), t, 2);
    f(lz, r[g], r[g + 1], t[2], t[3], out, oi);
  };
}

function alu64EG(cpu: X86Cpu, i: X86Insn, kind: Alu, write: boolean): X86Op {
  const r = cpu.r;
  const lz = cpu.lz;
  const t = cpu.t;
  const f = ALU64[kind];
  const g = 2 * i.reg;
  if (!i.isMem) {
    const e = 2 * i.rm;
    const out = write ? r : t;
    const oi = write ? e : 0;
    return () => f(lz, r[e], r[e + 1], r[g], r[g + 1], out, oi);
  }
  const ea = effectiveAddress(i, cpu);
  return () => {
    const a = ea();
    if (write) cpu.mem.probeWrite(a, 8);
    cpu.mem.read64(a, t, 2);
    f(lz, t[2], t[3], r[g], r[g + 1], t, 0);
    if (write) cpu.mem.write64(a, t, 0);
  };
}

/** E op= imm (80/81/83 and the accumulator forms 04/05/..., where E is rAX). */
function aluEI(kind: Alu, accumulator: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    if (accumulator) { i.isMem = false; i.rm = 0; }
    return aluImm(cpu, i, kind, kind !== Alu.Cmp, i.imm);
  };
}

function aluImm(cpu: X86Cpu, i: X86Insn, kind: Alu, write: boolean, imm: number): X86Op {
  const size = i.opsize;
  const bd = baseDisp(i);
  if (bd !== undefined && size >= 4 && kind === Alu.Cmp) return cmpBaseDispImm(cpu, size, bd.slot, bd.disp, imm);
  if (!i.isMem && size >= 4 && i.flagsDead && kind !== Alu.Adc && kind !== Alu.Sbb) return size === 8 ? alu64NoFlags(kind, cpu.r, 2 * i.rm, 0, imm) : alu32NoFlags(kind, cpu.r, 2 * i.rm, 0, imm);
  if (!i.isMem && size >= 4) return size === 8 ? alu64Hot(kind, cpu.lz, cpu.r, cpu.t, 2 * i.rm, 0, imm) : alu32Hot(kind, cpu.lz, cpu.r, 2 * i.rm, 0, imm);
  const r = cpu.r;
  const lz = cpu.lz;
  if (size === 8) {
    const f = ALU64[kind];
    const t = cpu.t;
    const bLo = imm | 0;
    const bHi = imm < 0 ? -1 : 0;
    if (!i.isMem) {
      const e = 2 * i.rm;
      const out = write ? r : t;
      const oi = write ? e : 0;
      return () => f(lz, r[e], r[e + 1], bLo, bHi, out, oi);
    }
    const ea = effectiveAddress(i, cpu);
    return () => {
      const a = ea();
      if (write) cpu.mem.probeWrite(a, 8);
      cpu.mem.read64(a, t, 2);
      f(lz, t[2], t[3], bLo, bHi, t, 0);
      if (write) cpu.mem.write64(a, t, 0);
    };
  }
  const lg = log2Size(size);
  const b = imm & MASKS[lg];
  const f = ALU32[kind];
  if (!i.isMem) {
    const { slot, shift } = eSlot(i, size);
    if (size === 4) {
      if (!write) return () => void f(lz, r[slot], b, 2);
      return () => { r[slot] = f(lz, r[slot], b, 2); r[slot + 1] = 0; };
    }
    if (!write) return () => void f(lz, getReg(r, slot, shift, size), b, lg);
    return () => setReg(r, slot, shift, size, f(lz, getReg(r, slot, shift, size), b, lg));
  }
  const ea = effectiveAddress(i, cpu);
  if (!write) return () => void f(lz, load(cpu, ea(), size), b, lg);
  return () => {
    const a = ea();
    cpu.mem.probeWrite(a, size);
    store(cpu, a, size, f(lz, load(cpu, a, size), b, lg));
  };
}

function testForm(i: X86Insn, cpu: X86Cpu, imm: number | undefined): X86Op {
  if (i.flagsDead) return () => {};
  const size = i.opsize;
  const r = cpu.r;
  const lz = cpu.lz;
  const lg = log2Size(size);
  const set = (d: number): void => {
    lz[Lazy.Op] = (Cc.Logic << 2) | lg;
    lz[Lazy.DstLo] = d;
  };
  if (size === 8) {
    const t = cpu.t;
    const bLo = imm === undefined ? 0 : imm | 0;
    const bHi = imm === undefined ? 0 : imm < 0 ? -1 : 0;
    const g = 2 * i.reg;
    const readB = imm === undefined ? () => { t[4] = r[g]; t[5] = r[g + 1]; } : () => { t[4] = bLo; t[5] = bHi; };
    const readA = i.isMem ? ((ea) => () => cpu.mem.read64(ea(), t, 2))(effectiveAddress(i, cpu)) : ((e) => () => { t[2] = r[e]; t[3] = r[e + 1]; })(2 * i.rm);
    return () => {
      readA();
      readB();
      lz[Lazy.Op] = (Cc.Logic << 2) | 3;
      lz[Lazy.DstLo] = t[2] & t[4];
      lz[Lazy.DstHi] = t[3] & t[5];
    };
  }
  const m = MASKS[lg];
  const g = gSlot(i, size);
  const readB = imm === undefined ? () => getReg(r, g.slot, g.shift, size) : ((b) => () => b)(imm & m);
  if (!i.isMem) {
    const e = eSlot(i, size);
    if (size === 4 && imm === undefined) {
      const es = e.slot;
      const gs = g.slot;
      return () => { lz[Lazy.Op] = (Cc.Logic << 2) | 2; lz[Lazy.DstLo] = r[es] & r[gs]; };
    }
    return () => set(getReg(r, e.slot, e.shift, size) & readB());
  }
  const ea = effectiveAddress(i, cpu);
  return () => set(load(cpu, ea(), size) & readB());
}

// ---- unary group ----

function incDec(dec: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const lz = cpu.lz;
    if (i.flagsDead && !i.isMem && i.opsize >= 4) {
      const r = cpu.r;
      const e = 2 * i.rm;
      const step = dec ? -1 : 1;
      if (i.opsize === 4) return () => { r[e] = (r[e] + step) | 0; r[e + 1] = 0; };
      return () => {
        const lo = (r[e] + step) | 0;
        if (dec ? lo === -1 : lo === 0) r[e + 1] = (r[e + 1] + step) | 0;
        r[e] = lo;
      };
    }
    if (i.opsize === 8) {
      const t = cpu.t;
      return rmwE64(cpu, i, dec ? (lo, hi) => dec64(lz, lo, hi, t, 0) : (lo, hi) => inc64(lz, lo, hi, t, 0));
    }
    const lg = log2Size(i.opsize);
    return rmwE(cpu, i, i.opsize, dec ? (a) => dec32(lz, a, lg) : (a) => inc32(lz, a, lg));
  };
}

const notE = (i: X86Insn, cpu: X86Cpu): X86Op => {
  if (i.opsize === 8) {
    const t = cpu.t;
    return rmwE64(cpu, i, (lo, hi) => { t[0] = ~lo; t[1] = ~hi; });
  }
  const m = MASKS[log2Size(i.opsize)];
  return rmwE(cpu, i, i.opsize, (a) => ~a & m);
};

const negE = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const lz = cpu.lz;
  if (i.opsize === 8) {
    const t = cpu.t;
    const sub = ALU64[Alu.Sub];
    return rmwE64(cpu, i, (lo, hi) => sub(lz, 0, 0, lo, hi, t, 0));
  }
  const lg = log2Size(i.opsize);
  const sub = ALU32[Alu.Sub];
  return rmwE(cpu, i, i.opsize, (a) => sub(lz, 0, a, lg));
};

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function aluRows(): X86Row[] {
  const rows: X86Row[] = [];
  for (let k = 0; k < 8; k++) {
    const name = NAMES[k];
    const lockable = k !== Alu.Cmp;
    const flagUse = (): FlagUse => (k === Alu.Adc || k === Alu.Sbb ? WRITES_ALL_READS_CF : WRITES_ALL);
    const base = k * 8;
    rows.push({ name: `${name} Eb,Gb`, enc: `${hex(base)} /r`, flagUse, width: 'b', lockable, handler: aluEG(k, false) });
    rows.push({ name: `${name} Ev,Gv`, enc: `${hex(base + 1)} /r`, flagUse, lockable, handler: aluEG(k, false) });
    rows.push({ name: `${name} Gb,Eb`, enc: `${hex(base + 2)} /r`, flagUse, width: 'b', handler: aluEG(k, true) });
    rows.push({ name: `${name} Gv,Ev`, enc: `${hex(base + 3)} /r`, flagUse, handler: aluEG(k, true) });
    rows.push({ name: `${name} AL,Ib`, enc: `${hex(base + 4)} ib`, flagUse, width: 'b', handler: aluEI(k, true) });
    rows.push({ name: `${name} rAX,Iz`, enc: `${hex(base + 5)} iz`, flagUse, handler: aluEI(k, true) });
    rows.push({ name: `${name} Eb,Ib`, enc: `80 /${k} ib`, flagUse, width: 'b', lockable, handler: aluEI(k, false) });
    rows.push({ name: `${name} Ev,Iz`, enc: `81 /${k} iz`, flagUse, lockable, handler: aluEI(k, false) });
    rows.push({ name: `${name} Ev,Ib`, enc: `83 /${k} ib`, flagUse, lockable, handler: aluEI(k, false) });
  }
  return rows;
}

export const aluRowsList: X86Row[] = [
  ...aluRows(),
  { name: 'TEST Eb,Gb', enc: '84 /r', width: 'b', flagUse: allFlags, handler: (i, cpu) => testForm(i, cpu, undefined) },
  { name: 'TEST Ev,Gv', enc: '85 /r', flagUse: allFlags, handler: (i, cpu) => testForm(i, cpu, undefined) },
  { name: 'TEST AL,Ib', enc: 'A8 ib', width: 'b', handler: (i, cpu) => { i.isMem = false; i.rm = 0; return testForm(i, cpu, i.imm); } },
  { name: 'TEST rAX,Iz', enc: 'A9 iz', handler: (i, cpu) => { i.isMem = false; i.rm = 0; return testForm(i, cpu, i.imm); } },
  { name: 'TEST Eb,Ib', enc: 'F6 /0 ib', width: 'b', flagUse: allFlags, handler: (i, cpu) => testForm(i, cpu, i.imm) },
  { name: 'TEST Eb,Ib (alias)', enc: 'F6 /1 ib', width: 'b', flagUse: allFlags, handler: (i, cpu) => testForm(i, cpu, i.imm) },
  { name: 'TEST Ev,Iz', enc: 'F7 /0 iz', flagUse: allFlags, handler: (i, cpu) => testForm(i, cpu, i.imm) },
  { name: 'TEST Ev,Iz (alias)', enc: 'F7 /1 iz', flagUse: allFlags, handler: (i, cpu) => testForm(i, cpu, i.imm) },
  { name: 'NOT Eb', enc: 'F6 /2', width: 'b', lockable: true, flagUse: () => NONE, handler: notE },
  { name: 'NOT Ev', enc: 'F7 /2', lockable: true, flagUse: () => NONE, handler: notE },
  { name: 'NEG Eb', enc: 'F6 /3', width: 'b', lockable: true, flagUse: allFlags, handler: negE },
  { name: 'NEG Ev', enc: 'F7 /3', lockable: true, flagUse: allFlags, handler: negE },
  { name: 'INC Eb', enc: 'FE /0', width: 'b', lockable: true, flagUse: () => INC_DEC, handler: incDec(false) },
  { name: 'DEC Eb', enc: 'FE /1', width: 'b', lockable: true, flagUse: () => INC_DEC, handler: incDec(true) },
  { name: 'INC Ev', enc: 'FF /0', lockable: true, flagUse: () => INC_DEC, handler: incDec(false) },
  { name: 'DEC Ev', enc: 'FF /1', lockable: true, flagUse: () => INC_DEC, handler: incDec(true) },
];
