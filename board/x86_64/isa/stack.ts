// The stack: PUSH/POP in their forms, PUSHF/POPF, ENTER/LEAVE. RSP moves
// only after the memory access succeeded, so a fault leaves it unchanged.

import type { X86Cpu } from '../cpu';
import * as mcpu_state from '../cpu-state';
import type { X86Insn, X86Op, X86Row } from '../decoder';
import * as moperands from '../operands';
import * as moperand_forms from './operand-forms';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { RBP, RSP } = mcpu_state;
const { effectiveAddress, regAddr, setReg, setRegAddr } = moperands;
const { readE, readE64 } = moperand_forms;

const SP = 2 * RSP;

/** Pushes a 64-bit value. */
export function push64(cpu: X86Cpu, lo: number, hi: number): void {
  const r = cpu.r;
  const sp = regAddr(r, RSP) - 8;
  cpu.mem.write64v(sp, lo, hi);
  const nlo = (r[SP] - 8) | 0;
  r[SP + 1] = (r[SP + 1] - (r[SP] >>> 0 < 8 ? 1 : 0)) | 0;
  r[SP] = nlo;
}

/** Pops a 64-bit value into cpu.t[0], t[1]. */
export function pop64(cpu: X86Cpu): void {
  const r = cpu.r;
  cpu.mem.read64(regAddr(r, RSP), cpu.t, 0);
  addSp(r, 8);
}

/** RSP += n for a small n of either sign. */
export function addSp(r: Int32Array, n: number): void {
  const old = r[SP] >>> 0;
  const lo = (old + n) >>> 0;
  if (n >= 0 ? lo < old : lo > old) r[SP + 1] = (r[SP + 1] + (n >= 0 ? 1 : -1)) | 0;
  r[SP] = lo | 0;
}

function push16(cpu: X86Cpu, v: number): void {
  const r = cpu.r;
  cpu.mem.write16(regAddr(r, RSP) - 2, v);
  addSp(r, -2);
}

function pop16(cpu: X86Cpu): number {
  const r = cpu.r;
  const v = cpu.mem.read16(regAddr(r, RSP));
  addSp(r, 2);
  return v;
}

const pushR = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.stack = true;
  const r = cpu.r;
  const n = 2 * i.opReg;
  if (i.opsize === 2) return () => push16(cpu, r[n] & 0xffff);
  return () => push64(cpu, r[n], r[n + 1]);
};

const popR = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.stack = true;
  const r = cpu.r;
  const t = cpu.t;
  const n = 2 * i.opReg;
  if (i.opsize === 2) return () => { const v = pop16(cpu); setReg(r, n, 0, 2, v); };
  return () => { pop64(cpu); r[n] = t[0]; r[n + 1] = t[1]; };
};

const pushI = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.stack = true;
  const v = i.imm;
  if (i.opsize === 2) return () => push16(cpu, v & 0xffff);
  const hi = v < 0 ? -1 : 0;
  return () => push64(cpu, v, hi);
};

const pushE = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.stack = true;
  const t = cpu.t;
  if (i.opsize === 2) {
    const read = readE(cpu, i, 2);
    return () => push16(cpu, read());
  }
  const read = readE64(cpu, i, 2);
  return () => { read(); push64(cpu, t[2], t[3]); };
};

/** 8F /0: the destination's address is computed after RSP moved (an RSP base sees the new value). */
const popE = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.stack = true;
  const r = cpu.r;
  const t = cpu.t;
  const size = i.opsize;
  if (!i.isMem) {
    const n = 2 * i.rm;
    if (size === 2) return () => { const v = pop16(cpu); setReg(r, n, 0, 2, v); };
    return () => { pop64(cpu); r[n] = t[0]; r[n + 1] = t[1]; };
  }
  const ea = effectiveAddress(i, cpu);
  return () => {
    const lo = r[SP];
    const hi = r[SP + 1];
    try {
      if (size === 2) {
        const v = pop16(cpu);
        cpu.mem.write16(ea(), v);
      } else {
        pop64(cpu);
        cpu.mem.write64(ea(), t, 0);
      }
    } catch (e) {
      r[SP] = lo;
      r[SP + 1] = hi;
      throw e;
    }
  };
};

/** PUSHF: RFLAGS with VM and RF clear. */
const pushf = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.stack = true;
  if (i.opsize === 2) return () => push16(cpu, cpu.getRflags() & 0xffff);
  return () => push64(cpu, cpu.getRflags() & ~0x30000, 0);
};

/** POPF: at CPL3 IF and IOPL keep their values; VM, RF, VIF, VIP stay clear. */
const popf = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.stack = true;
  i.endsBlock = true;
  const t = cpu.t;
  return () => {
    let v: number;
    if (i.opsize === 2) v = (cpu.getRflags() & ~0xffff) | pop16(cpu);
    else {
      pop64(cpu);
      v = t[0];
    }
    const old = cpu.getRflags();
    const keep = cpu.cpl === 3 ? 0x3200 | 0x1b0000 : 0x1b0000;
    cpu.setRflags((v & ~keep) | (old & keep));
  };
};

/** ENTER imm16, imm8 with 64-bit operand size. */
const enter = (i: X86Insn, cpu: X86Cpu): X86Op | null => {
  i.stack = true;
  if (i.opsize === 2) return null;
  const r = cpu.r;
  const size = i.imm & 0xffff;
  const level = i.imm2 & 31;
  const bp = 2 * RBP;
  return () => {
    const sp0 = regAddr(r, RSP);
    const bp0 = regAddr(r, RBP);
    const frame = sp0 - 8;
    // Every store lands before RSP/RBP change: a fault leaves both as they were.
    cpu.mem.write64v(frame, r[bp], r[bp + 1]);
    let sp = frame;
    for (let k = 1; k < level; k++) {
      cpu.mem.read64(bp0 - 8 * k, cpu.t, 0);
      sp -= 8;
      cpu.mem.write64(sp, cpu.t, 0);
    }
    if (level > 0) {
      sp -= 8;
      cpu.mem.write64v(sp, frame | 0, Math.floor(frame / 4294967296) | 0);
    }
    setRegAddr(r, RBP, frame);
    setRegAddr(r, RSP, sp - size);
  };
};

/** LEAVE: RSP = RBP, then POP RBP. */
const leave = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.stack = true;
  const r = cpu.r;
  const t = cpu.t;
  const bp = 2 * RBP;
  if (i.opsize === 2) {
    return () => {
      const v = cpu.mem.read16(regAddr(r, RBP));
      r[SP] = r[bp];
      r[SP + 1] = r[bp + 1];
      addSp(r, 2);
      setReg(r, bp, 0, 2, v);
    };
  }
  return () => {
    cpu.mem.read64(regAddr(r, RBP), t, 0);
    r[SP] = r[bp];
    r[SP + 1] = r[bp + 1];
    addSp(r, 8);
    r[bp] = t[0];
    r[bp + 1] = t[1];
  };
};

export const stackRows: X86Row[] = [
  { name: 'PUSH r', enc: '50+r', width: 'd64', handler: pushR },
  { name: 'POP r', enc: '58+r', width: 'd64', handler: popR },
  { name: 'PUSH Iz', enc: '68 iz', width: 'd64', handler: pushI },
  { name: 'PUSH Ib', enc: '6A ib', width: 'd64', handler: pushI },
  { name: 'PUSH Ev', enc: 'FF /6', width: 'd64', handler: pushE },
  { name: 'POP Ev', enc: '8F /0', width: 'd64', handler: popE },
  { name: 'PUSHF', enc: '9C', width: 'd64', handler: pushf },
  { name: 'POPF', enc: '9D', width: 'd64', handler: popf },
  { name: 'ENTER Iw,Ib', enc: 'C8 i16i8', width: 'd64', handler: enter },
  { name: 'LEAVE', enc: 'C9', width: 'd64', handler: leave },
];
