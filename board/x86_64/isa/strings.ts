// String instructions MOVS, STOS, LODS, SCAS, CMPS with REP/REPE/REPNE.
// A REP form runs in chunks: after CHUNK elements it leaves RIP on itself
// (so interrupts and the budget get a look in) and resumes on the next run,
// as the hardware does between iterations. A fault leaves RSI/RDI/RCX at
// the faulting element. With a 67 prefix the registers are ESI/EDI/ECX.

import type { X86Cpu } from '../cpu';
import { Misc } from '../cpu-state';
import * as mcpu_state from '../cpu-state';
import { Seg, X86Insn, X86Op, X86Row } from '../decoder';
import * as mflags from '../flags';
import * as moperands from '../operands';
import { Alu } from './alu-ops';
import * as malu_ops from './alu-ops';
import * as moperand_forms from './operand-forms';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { RCX, RDI, RSI } = mcpu_state;
const { condition, RFLAGS_DF } = mflags;
const { getReg, load, setReg, setRegAddr, store } = moperands;
const { ALU32, ALU64 } = malu_ops;
const { log2Size } = moperand_forms;

const CHUNK = 4096;
const TWO32 = 4294967296;

const enum Str {
  Movs = 0,
  Stos = 1,
  Lods = 2,
  Scas = 3,
  Cmps = 4,
}

function regValue(r: Int32Array, n: number, a32: boolean): number {
  return a32 ? r[2 * n] >>> 0 : r[2 * n + 1] * TWO32 + (r[2 * n] >>> 0);
}

function writeRegValue(r: Int32Array, n: number, v: number, a32: boolean): void {
  if (a32) {
    r[2 * n] = v | 0;
    r[2 * n + 1] = 0;
  } else setRegAddr(r, n, v);
}

function stringOp(kind: Str) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const r = cpu.r;
    const lz = cpu.lz;
    const misc = cpu.misc;
    const t = cpu.t;
    const size = i.opsize;
    const lg = log2Size(size);
    const a32 = i.addr32;
    const rep = i.rep !== 0;
    const repne = i.rep === 0xf2;
    const usesSi = kind === Str.Movs || kind === Str.Lods || kind === Str.Cmps;
    const usesDi = kind !== Str.Lods;
    const compares = kind === Str.Scas || kind === Str.Cmps;
    const seg = i.seg;
    if (rep) i.endsBlock = true;
    const bulkable = rep && !a32 && (kind === Str.Movs || kind === Str.Stos);
    const selfOff = i.pageOff;
    const segBase = (): number => {
      if (seg === Seg.None) return 0;
      const b = seg === Seg.Fs ? Misc.FsBaseLo : Misc.GsBaseLo;
      return misc[b + 1] * TWO32 + (misc[b] >>> 0);
    };
    const wrap = (v: number): number => (a32 ? v >>> 0 : v);
    /** One element at source si (with segment base) and destination di. */
    const element = (src: number, dst: number): void => {
      switch (kind) {
        case Str.Movs:
          if (size === 8) { cpu.mem.read64(src, t, 0); cpu.mem.write64(dst, t, 0); }
          else store(cpu, dst, size, load(cpu, src, size));
          return;
        case Str.Stos:
          if (size === 8) cpu.mem.write64(dst, r, 0);
          else store(cpu, dst, size, getReg(r, 0, 0, size));
          return;
        case Str.Lods:
          if (size === 8) cpu.mem.read64(src, r, 0);
          else setReg(r, 0, 0, size, load(cpu, src, size));
          return;
        case Str.Scas:
          if (size === 8) { cpu.mem.read64(dst, t, 0); ALU64[Alu.Cmp](lz, r[0], r[1], t[0], t[1], t, 2); }
          else ALU32[Alu.Cmp](lz, getReg(r, 0, 0, size), load(cpu, dst, size), lg);
          return;
        default:
          if (size === 8) {
            cpu.mem.read64(src, t, 0);
            cpu.mem.read64(dst, t, 2);
            ALU64[Alu.Cmp](lz, t[0], t[1], t[2], t[3], t, 4);
          } else {
            const a = load(cpu, src, size);
            ALU32[Alu.Cmp](lz, a, load(cpu, dst, size), lg);
          }
      }
    };
    return () => {
      const step = (misc[Misc.FlagsOther] & RFLAGS_DF) !== 0 ? -size : size;
      let si = usesSi ? regValue(r, RSI, a32) : 0;
      let di = usesDi ? regValue(r, RDI, a32) : 0;
      const base = segBase();
      if (!rep) {
        element(si + base, di);
        if (usesSi) writeRegValue(r, RSI, wrap(si + step), a32);
        if (usesDi) writeRegValue(r, RDI, wrap(di + step), a32);
        return;
      }
      let cx = regValue(r, RCX, a32);
      if (cx === 0) return;
      if (bulkable && step > 0) {
        // Whole pages at a time while source and destination stay in RAM and do not overlap forwards.
        bulk.done = 0;
        try {
          bulkForward(cpu, kind === Str.Movs, size, si + base, di, cx);
        } finally {
          // Commit the elements moved so far, also when a later page faults.
          const done = bulk.done;
          si = wrap(si + done * size);
          di = wrap(di + done * size);
          cx -= done;
          writeRegValue(r, RCX, cx, a32);
          if (usesSi) writeRegValue(r, RSI, si, a32);
          writeRegValue(r, RDI, di, a32);
        }
        if (cx === 0) return;
      }
      let n = 0;
      try {
        for (;;) {
          element(si + base, di);
          si = wrap(si + step);
          di = wrap(di + step);
          cx--;
          if (cx === 0) break;
          if (compares && condition(lz, 4) === repne) break; // REPE stops on ZF = 0, REPNE on ZF = 1
          if (++n >= CHUNK) {
            cpu.rip = cpu.pageVa + selfOff;
            break;
          }
        }
      } finally {
        if (usesSi) writeRegValue(r, RSI, si, a32);
        if (usesDi) writeRegValue(r, RDI, di, a32);
        writeRegValue(r, RCX, cx, a32);
      }
    };
  };
}

export const stringRows: X86Row[] = [
  { name: 'MOVSB', enc: 'A4', width: 'b', handler: stringOp(Str.Movs) },
  { name: 'MOVS', enc: 'A5', handler: stringOp(Str.Movs) },
  { name: 'CMPSB', enc: 'A6', width: 'b', handler: stringOp(Str.Cmps) },
  { name: 'CMPS', enc: 'A7', handler: stringOp(Str.Cmps) },
  { name: 'STOSB', enc: 'AA', width: 'b', handler: stringOp(Str.Stos) },
  { name: 'STOS', enc: 'AB', handler: stringOp(Str.Stos) },
  { name: 'LODSB', enc: 'AC', width: 'b', handler: stringOp(Str.Lods) },
  { name: 'LODS', enc: 'AD', handler: stringOp(Str.Lods) },
  { name: 'SCASB', enc: 'AE', width: 'b', handler: stringOp(Str.Scas) },
  { name: 'SCAS', enc: 'AF', handler: stringOp(Str.Scas) },
];

/**
 * REP MOVS/STOS with DF = 0 over RAM: copies or fills up to the end of the
 * current source and destination pages per step, translating each page once
 * (faults are raised before any byte of that step moves, so RSI/RDI/RCX stay
 * precise). Leaves the number of elements done in bulk.done; the element loop finishes
 * the rest (page-crossing elements, MMIO, a destination just ahead of the source).
 */
const bulk = { done: 0 };

function bulkForward(cpu: X86Cpu, movs: boolean, size: number, src: number, dst: number, count: number): void {
  const mem = cpu.mem;
  const bytes = mem.bytes;
  const ramBase = cpu.phys.ramBase;
  const ramSize = cpu.phys.ramSize;
  const r = cpu.r;
  let done = 0;
  while (done < count) {
    const dOff = dst & 4095;
    const sOff = src & 4095;
    let span = Math.min((count - done) * size, 4096 - dOff);
    if (movs) span = Math.min(span, 4096 - sOff);
    const n = Math.floor(span / size);
    if (n === 0) break;
    const len = n * size;
    const dRo = mem.translate(dst, 'write') - ramBase;
    if (dRo < 0 || dRo + len > ramSize) break;
    if (movs) {
      const sRo = mem.translate(src, 'read') - ramBase;
      if (sRo < 0 || sRo + len > ramSize) break;
      if (sRo < dRo && dRo < sRo + len) break;
      if (cpu.code.hasCode(dRo - (dRo & 4095))) cpu.code.invalidate(dRo);
      bytes.copyWithin(dRo, sRo, sRo + len);
    } else {
      if (cpu.code.hasCode(dRo - (dRo & 4095))) cpu.code.invalidate(dRo);
      if (size === 1) bytes.fill(r[0] & 0xff, dRo, dRo + len);
      else {
        const v = mem.view;
        for (let p = dRo; p < dRo + len; p += size) {
          if (size === 2) v.setUint16(p, r[0] & 0xffff, true);
          else {
            v.setInt32(p, r[0], true);
            if (size === 8) v.setInt32(p + 4, r[1], true);
          }
        }
      }
    }
    done += n;
    bulk.done = done;
    src += len;
    dst += len;
  }
}
