// Data movement: MOV in all forms, MOVZX/MOVSX/MOVSXD, LEA, CBW..CQO, XCHG,
// CMOVcc, SETcc, BSWAP.

import type { X86Cpu } from '../cpu';
import * as mcpu_state from '../cpu-state';
import { FlagUse, Seg, X86Insn, X86Op, X86Row } from '../decoder';
import * as mflags from '../flags';
import * as mcond_hot from './cond-hot';
import * as moperands from '../operands';
import * as moperand_forms from './operand-forms';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { RDX } = mcpu_state;
const { condition } = mflags;
const { cmovReg, setccReg } = mcond_hot;
const { baseDisp, effectiveAddress, getReg, load, setReg, store } = moperands;
const { eSlot, gSlot, opRegSlot, readE, readE64, writeE, writeE64 } = moperand_forms;

const TWO32 = 4294967296;

const movEG = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const size = i.opsize;
  const bd = baseDisp(i);
  if (bd !== undefined && size >= 4) {
    const { slot: b, disp } = bd;
    const g = 2 * i.reg;
    const mem = cpu.mem;
    if (size === 8) return () => mem.write64(r[b + 1] * TWO32 + (r[b] >>> 0) + disp, r, g);
    return () => mem.write32(r[b + 1] * TWO32 + (r[b] >>> 0) + disp, r[g]);
  }
  if (size === 8) {
    const g = 2 * i.reg;
    if (!i.isMem) {
      const e = 2 * i.rm;
      return () => { r[e] = r[g]; r[e + 1] = r[g + 1]; };
    }
    const ea = effectiveAddress(i, cpu);
    return () => cpu.mem.write64(ea(), r, g);
  }
  const { slot, shift } = gSlot(i, size);
  if (!i.isMem) {
    const e = eSlot(i, size);
    if (size === 4) {
      const es = e.slot;
      return () => { r[es] = r[slot]; r[es + 1] = 0; };
    }
    return () => setReg(r, e.slot, e.shift, size, getReg(r, slot, shift, size));
  }
  const ea = effectiveAddress(i, cpu);
  if (size === 4) return () => cpu.mem.write32(ea(), r[slot]);
  return () => store(cpu, ea(), size, getReg(r, slot, shift, size));
};

const movGE = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const size = i.opsize;
  const bd = baseDisp(i);
  if (bd !== undefined && size >= 4) {
    const { slot: b, disp } = bd;
    const g = 2 * i.reg;
    const mem = cpu.mem;
    if (size === 8) return () => mem.read64(r[b + 1] * TWO32 + (r[b] >>> 0) + disp, r, g);
    return () => { r[g] = mem.read32(r[b + 1] * TWO32 + (r[b] >>> 0) + disp); r[g + 1] = 0; };
  }
  if (size === 8) {
    const g = 2 * i.reg;
    if (!i.isMem) {
      const e = 2 * i.rm;
      return () => { r[g] = r[e]; r[g + 1] = r[e + 1]; };
    }
    const ea = effectiveAddress(i, cpu);
    return () => cpu.mem.read64(ea(), r, g);
  }
  const { slot, shift } = gSlot(i, size);
  if (size === 4) {
    if (i.isMem) {
      const ea = effectiveAddress(i, cpu);
      return () => { r[slot] = cpu.mem.read32(ea()); r[slot + 1] = 0; };
    }
    const es = 2 * i.rm;
    return () => { r[slot] = r[es]; r[slot + 1] = 0; };
  }
  const read = readE(cpu, i, size);
  return () => setReg(r, slot, shift, size, read());
};

const movEI = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const size = i.opsize;
  const imm = i.imm;
  if (size === 8) {
    const w = writeE64(cpu, i);
    const hi = imm < 0 ? -1 : 0;
    return () => w(imm, hi);
  }
  const w = writeE(cpu, i, size);
  return () => w(imm);
};

const movRI = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const size = i.opsize;
  const { slot, shift } = opRegSlot(i, size);
  const lo = i.immLo | 0;
  const hi = i.immHi | 0;
  if (size === 8) return () => { r[slot] = lo; r[slot + 1] = hi; };
  const v = size === 1 ? i.imm & 0xff : i.imm;
  return () => setReg(r, slot, shift, size, v);
};

/** A0..A3: MOV between the accumulator and an absolute 64-bit address (moffs). */
function movMoffs(toAcc: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const r = cpu.r;
    const size = i.opsize;
    const seg = i.seg;
    const addr = i.immHi * TWO32 + (i.immLo >>> 0);
    const misc = cpu.state.misc;
    const ea = seg === Seg.None ? () => addr : () => {
      const b = seg === Seg.Fs ? 0 : 2;
      return addr + misc[b + 1] * TWO32 + (misc[b] >>> 0);
    };
    if (size === 8) return toAcc ? () => cpu.mem.read64(ea(), r, 0) : () => cpu.mem.write64(ea(), r, 0);
    if (toAcc) return () => setReg(r, 0, 0, size, load(cpu, ea(), size));
    return () => store(cpu, ea(), size, getReg(r, 0, 0, size));
  };
}

/** LEA: the address arithmetic of the memory operand, exact in 64 bits, without any segment base. */
const lea = (i: X86Insn, cpu: X86Cpu): X86Op | null => {
  if (!i.isMem) return null;
  const r = cpu.r;
  const g = 2 * i.reg;
  const size = i.opsize;
  i.seg = Seg.None;
  const disp = i.disp;
  const dHi = disp < 0 ? -1 : 0;
  const sh = i.scale;
  const b = 2 * i.base;
  const x = 2 * i.index;
  const hasBase = i.base >= 0 && i.base < 16;
  const hasIndex = i.index >= 0;
  const write = (lo: number, hi: number): void => {
    if (size === 8) { r[g] = lo; r[g + 1] = hi; }
    else setReg(r, g, 0, size, size === 4 ? lo : lo & 0xffff);
  };
  if (i.base === 16) {
    const off = i.nextOff + disp;
    return () => {
      const v = cpu.pageVa + off;
      write(v | 0, i.addr32 ? 0 : Math.floor(v / TWO32) | 0);
    };
  }
  if (i.addr32 || size < 8) {
    return () => write(((hasBase ? r[b] : 0) + (hasIndex ? r[x] << sh : 0) + disp) | 0, 0);
  }
  return () => {
    let lo = disp;
    let hi = dHi;
    if (hasBase) {
      const s = (lo + r[b]) | 0;
      hi = (hi + r[b + 1] + (s >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
      lo = s;
    }
    if (hasIndex) {
      const xl = r[x] << sh;
      const xh = sh === 0 ? r[x + 1] : (r[x + 1] << sh) | (r[x] >>> (32 - sh));
      const s = (lo + xl) | 0;
      hi = (hi + xh + (s >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
      lo = s;
    }
    r[g] = lo;
    r[g + 1] = hi;
  };
};

/** MOVZX/MOVSX Gv, Eb/Ew. */
function extend(srcSize: 1 | 2, signed: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const r = cpu.r;
    const size = i.opsize;
    const g = 2 * i.reg;
    if (!i.isMem && !signed && size >= 4) {
      const { slot: s, shift } = eSlot(i, srcSize);
      if (srcSize === 1) return () => { r[g] = (r[s] >> shift) & 0xff; r[g + 1] = 0; };
      return () => { r[g] = r[s] & 0xffff; r[g + 1] = 0; };
    }
    const bd = baseDisp(i);
    if (bd !== undefined && !signed && size >= 4) {
      const { slot: b, disp } = bd;
      const mem = cpu.mem;
      if (srcSize === 1) return () => { r[g] = mem.read8(r[b + 1] * TWO32 + (r[b] >>> 0) + disp); r[g + 1] = 0; };
      return () => { r[g] = mem.read16(r[b + 1] * TWO32 + (r[b] >>> 0) + disp); r[g + 1] = 0; };
    }
    const read = readE(cpu, i, srcSize);
    const sh = 32 - 8 * srcSize;
    if (size === 8) {
      if (!signed) return () => { r[g] = read(); r[g + 1] = 0; };
      return () => { const v = (read() << sh) >> sh; r[g] = v; r[g + 1] = v >> 31; };
    }
    if (!signed) return () => setReg(r, g, 0, size, read());
    return () => setReg(r, g, 0, size, size === 2 ? ((read() << sh) >> sh) & 0xffff : (read() << sh) >> sh);
  };
}

const movsxd = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const g = 2 * i.reg;
  const size = i.opsize;
  const read = readE(cpu, i, size === 2 ? 2 : 4);
  if (size === 8) return () => { const v = read(); r[g] = v; r[g + 1] = v >> 31; };
  return () => setReg(r, g, 0, size, read());
};

/** 98: CBW / CWDE / CDQE. */
const cbw = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  if (i.opsize === 8) return () => { r[1] = r[0] >> 31; };
  if (i.opsize === 4) return () => { r[0] = (r[0] << 16) >> 16; r[1] = 0; };
  return () => { r[0] = (r[0] & ~0xffff) | (((r[0] << 24) >> 24) & 0xffff); };
};

/** 99: CWD / CDQ / CQO. */
const cwd = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const d = 2 * RDX;
  if (i.opsize === 8) return () => { const s = r[1] >> 31; r[d] = s; r[d + 1] = s; };
  if (i.opsize === 4) return () => { r[d] = r[0] >> 31; r[d + 1] = 0; };
  return () => { r[d] = (r[d] & ~0xffff) | (((r[0] << 16) >> 31) & 0xffff); };
};

/** 86/87: XCHG E, G (with memory: a locked read-modify-write). */
const xchgEG = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const size = i.opsize;
  const t = cpu.t;
  if (size === 8) {
    const g = 2 * i.reg;
    if (!i.isMem) {
      const e = 2 * i.rm;
      return () => { const lo = r[e]; const hi = r[e + 1]; r[e] = r[g]; r[e + 1] = r[g + 1]; r[g] = lo; r[g + 1] = hi; };
    }
    const ea = effectiveAddress(i, cpu);
    return () => {
      const a = ea();
      cpu.mem.probeWrite(a, 8);
      cpu.mem.read64(a, t, 0);
      cpu.mem.write64(a, r, g);
      r[g] = t[0];
      r[g + 1] = t[1];
    };
  }
  const { slot, shift } = gSlot(i, size);
  if (!i.isMem) {
    const e = eSlot(i, size);
    return () => {
      const a = getReg(r, e.slot, e.shift, size);
      const b = getReg(r, slot, shift, size);
      setReg(r, e.slot, e.shift, size, b);
      setReg(r, slot, shift, size, a);
    };
  }
  const ea = effectiveAddress(i, cpu);
  return () => {
    const a = ea();
    cpu.mem.probeWrite(a, size);
    const v = load(cpu, a, size);
    store(cpu, a, size, getReg(r, slot, shift, size));
    setReg(r, slot, shift, size, v);
  };
};

/** 90+r: XCHG rAX, r (90 without REX.B is NOP; F3 90 is PAUSE). */
const xchgAcc = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const n = 2 * i.opReg;
  const size = i.opsize;
  if (n === 0) return () => {};
  if (size === 8) return () => { const lo = r[0]; const hi = r[1]; r[0] = r[n]; r[1] = r[n + 1]; r[n] = lo; r[n + 1] = hi; };
  return () => {
    const a = getReg(r, 0, 0, size);
    setReg(r, 0, 0, size, getReg(r, n, 0, size));
    setReg(r, n, 0, size, a);
  };
};

/** CMOVcc: the source is read (and may fault) whatever the condition; a 32-bit destination is zero-extended either way. */
const cmov = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const lz = cpu.lz;
  const cc = i.opcode & 15;
  const g = 2 * i.reg;
  const size = i.opsize;
  if (!i.isMem && size >= 4) return cmovReg(cc, lz, r, g, 2 * i.rm, size === 8);
  if (size === 8) {
    const t = cpu.t;
    const read = readE64(cpu, i, 0);
    return () => { read(); if (condition(lz, cc)) { r[g] = t[0]; r[g + 1] = t[1]; } };
  }
  const read = readE(cpu, i, size);
  if (size === 4) return () => { const v = read(); if (condition(lz, cc)) r[g] = v; r[g + 1] = 0; };
  return () => { const v = read(); if (condition(lz, cc)) setReg(r, g, 0, 2, v); };
};

const setcc = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const lz = cpu.lz;
  const cc = i.opcode & 15;
  if (!i.isMem) {
    const { slot, shift } = eSlot(i, 1);
    return setccReg(cc, lz, cpu.r, slot, shift);
  }
  const w = writeE(cpu, i, 1);
  return () => w(condition(lz, cc) ? 1 : 0);
};

function bswap32(v: number): number {
  return ((v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24)) | 0;
}

const bswap = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const n = 2 * i.opReg;
  if (i.opsize === 8) return () => { const lo = r[n]; r[n] = bswap32(r[n + 1]); r[n + 1] = bswap32(lo); };
  // BSWAP of a 16-bit register is undefined; processors clear it.
  if (i.opsize === 2) return () => { r[n] &= ~0xffff; };
  return () => { r[n] = bswap32(r[n]); r[n + 1] = 0; };
};

/** XLAT: AL = [rBX + zero-extended AL] (with a segment override's base). */
const xlat = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const misc = cpu.state.misc;
  const seg = i.seg;
  const a32 = i.addr32;
  return () => {
    const rbx = a32 ? r[6] >>> 0 : r[7] * TWO32 + (r[6] >>> 0);
    let addr = rbx + (r[0] & 0xff);
    if (a32) addr = addr >>> 0;
    if (seg !== Seg.None) {
      const b = seg === Seg.Fs ? 0 : 2;
      addr += misc[b + 1] * TWO32 + (misc[b] >>> 0);
    }
    setReg(r, 0, 0, 1, cpu.mem.read8(addr));
  };
};

const NONE = (): FlagUse => ({ writes: 0, reads: 0 });

const moveRowsBare: X86Row[] = [
  { name: 'MOV Eb,Gb', enc: '88 /r', width: 'b', handler: movEG },
  { name: 'MOV Ev,Gv', enc: '89 /r', handler: movEG },
  { name: 'MOV Gb,Eb', enc: '8A /r', width: 'b', handler: movGE },
  { name: 'MOV Gv,Ev', enc: '8B /r', handler: movGE },
  { name: 'MOV Eb,Ib', enc: 'C6 /0 ib', width: 'b', handler: movEI },
  { name: 'MOV Ev,Iz', enc: 'C7 /0 iz', handler: movEI },
  { name: 'MOV r8,Ib', enc: 'B0+r ib', width: 'b', handler: movRI },
  { name: 'MOV r,Iv', enc: 'B8+r iv', handler: movRI },
  { name: 'MOV AL,Ob', enc: 'A0 moffs', width: 'b', handler: movMoffs(true) },
  { name: 'MOV rAX,Ov', enc: 'A1 moffs', handler: movMoffs(true) },
  { name: 'MOV Ob,AL', enc: 'A2 moffs', width: 'b', handler: movMoffs(false) },
  { name: 'MOV Ov,rAX', enc: 'A3 moffs', handler: movMoffs(false) },
  { name: 'LEA Gv,M', enc: '8D /r', handler: lea },
  { name: 'MOVZX Gv,Eb', enc: '0F B6 /r', handler: extend(1, false) },
  { name: 'MOVZX Gv,Ew', enc: '0F B7 /r', handler: extend(2, false) },
  { name: 'MOVSX Gv,Eb', enc: '0F BE /r', handler: extend(1, true) },
  { name: 'MOVSX Gv,Ew', enc: '0F BF /r', handler: extend(2, true) },
  { name: 'MOVSXD Gv,Ed', enc: '63 /r', handler: movsxd },
  { name: 'CBW/CWDE/CDQE', enc: '98', handler: cbw },
  { name: 'CWD/CDQ/CQO', enc: '99', handler: cwd },
  { name: 'XCHG Eb,Gb', enc: '86 /r', width: 'b', lockable: true, handler: xchgEG },
  { name: 'XCHG Ev,Gv', enc: '87 /r', lockable: true, handler: xchgEG },
  { name: 'XCHG rAX,r', enc: '90+r', handler: xchgAcc },
  { name: 'CMOVcc Gv,Ev', enc: '0F 40+r /r', handler: cmov },
  { name: 'CMOVcc Gv,Ev', enc: '0F 48+r /r', handler: cmov },
  { name: 'SETcc Eb', enc: '0F 90+r /r', width: 'b', handler: setcc },
  { name: 'SETcc Eb', enc: '0F 98+r /r', width: 'b', handler: setcc },
  { name: 'BSWAP r', enc: '0F C8+r', handler: bswap },
  { name: 'XLAT', enc: 'D7', width: 'b', handler: xlat },
];

/** Moves write no flags and read none, except CMOVcc and SETcc. */
export const moveRows: X86Row[] = moveRowsBare.map((row) => (row.name.startsWith('CMOV') || row.name.startsWith('SET') ? row : { ...row, flagUse: NONE }));
