// XADD, CMPXCHG, CMPXCHG8B/16B (LOCK is accepted with memory operands; one
// CPU executes every read-modify-write atomically anyway).

import type { X86Cpu } from '../cpu';
import type { X86Insn, X86Op, X86Row } from '../decoder';
import * as mflags from '../flags';
import * as moperands from '../operands';
import { Alu } from './alu-ops';
import * as malu_ops from './alu-ops';
import * as moperand_forms from './operand-forms';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { getArithFlags, setArithFlags, ZF } = mflags;
const { effectiveAddress, getReg, load, setReg, store } = moperands;
const { ALU32, ALU64 } = malu_ops;
const { eSlot, gSlot, log2Size } = moperand_forms;

/** XADD E, G: G = old E, E = E + G (the destination written last). */
const xadd = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const lz = cpu.lz;
  const t = cpu.t;
  const size = i.opsize;
  if (size === 8) {
    const g = 2 * i.reg;
    if (!i.isMem) {
      const e = 2 * i.rm;
      return () => {
        const lo = r[e];
        const hi = r[e + 1];
        ALU64[Alu.Add](lz, lo, hi, r[g], r[g + 1], t, 0);
        r[g] = lo;
        r[g + 1] = hi;
        r[e] = t[0];
        r[e + 1] = t[1];
      };
    }
    const ea = effectiveAddress(i, cpu);
    return () => {
      const a = ea();
      cpu.mem.probeWrite(a, 8);
      cpu.mem.read64(a, t, 2);
      ALU64[Alu.Add](lz, t[2], t[3], r[g], r[g + 1], t, 0);
      cpu.mem.write64(a, t, 0);
      r[g] = t[2];
      r[g + 1] = t[3];
    };
  }
  const lg = log2Size(size);
  const g = gSlot(i, size);
  if (!i.isMem) {
    const e = eSlot(i, size);
    return () => {
      const old = getReg(r, e.slot, e.shift, size);
      const sum = ALU32[Alu.Add](lz, old, getReg(r, g.slot, g.shift, size), lg);
      setReg(r, g.slot, g.shift, size, old);
      setReg(r, e.slot, e.shift, size, sum);
    };
  }
  const ea = effectiveAddress(i, cpu);
  return () => {
    const a = ea();
    cpu.mem.probeWrite(a, size);
    const old = load(cpu, a, size);
    store(cpu, a, size, ALU32[Alu.Add](lz, old, getReg(r, g.slot, g.shift, size), lg));
    setReg(r, g.slot, g.shift, size, old);
  };
};

/**
 * CMPXCHG E, G: flags as CMP rAX, E. Equal: E = G. Otherwise rAX = E. The
 * destination is written in both cases (with its own value when unequal).
 */
const cmpxchg = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const lz = cpu.lz;
  const t = cpu.t;
  const size = i.opsize;
  if (size === 8) {
    const g = 2 * i.reg;
    const e = 2 * i.rm;
    const ea = i.isMem ? effectiveAddress(i, cpu) : undefined;
    return () => {
      let a = 0;
      if (ea !== undefined) {
        a = ea();
        cpu.mem.probeWrite(a, 8);
        cpu.mem.read64(a, t, 2);
      } else {
        t[2] = r[e];
        t[3] = r[e + 1];
      }
      ALU64[Alu.Cmp](lz, r[0], r[1], t[2], t[3], t, 0);
      const equal = r[0] === t[2] && r[1] === t[3];
      const nLo = equal ? r[g] : t[2];
      const nHi = equal ? r[g + 1] : t[3];
      if (!equal) {
        r[0] = t[2];
        r[1] = t[3];
      }
      if (ea !== undefined) cpu.mem.write64v(a, nLo, nHi);
      else {
        r[e] = nLo;
        r[e + 1] = nHi;
      }
    };
  }
  const lg = log2Size(size);
  const g = gSlot(i, size);
  const e = eSlot(i, size);
  const ea = i.isMem ? effectiveAddress(i, cpu) : undefined;
  return () => {
    let a = 0;
    let old: number;
    if (ea !== undefined) {
      a = ea();
      cpu.mem.probeWrite(a, size);
      old = load(cpu, a, size);
    } else old = getReg(r, e.slot, e.shift, size);
    const acc = getReg(r, 0, 0, size);
    ALU32[Alu.Cmp](lz, acc, old, lg);
    const equal = acc === old;
    const nv = equal ? getReg(r, g.slot, g.shift, size) : old;
    if (!equal) setReg(r, 0, 0, size, old);
    if (ea !== undefined) store(cpu, a, size, nv);
    else setReg(r, e.slot, e.shift, size, nv);
  };
};

/** CMPXCHG8B m64 / CMPXCHG16B m128 (16-byte aligned, else #GP(0)); only ZF changes. */
const cmpxchgWide = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const lz = cpu.lz;
  const t = cpu.t;
  const ea = effectiveAddress(i, cpu);
  const setZ = (z: boolean): void => setArithFlags(lz, (getArithFlags(lz) & ~ZF) | (z ? ZF : 0));
  if (i.rexW) {
    return () => {
      const a = ea();
      cpu.mem.checkAligned16(a);
      cpu.mem.probeWrite(a, 16);
      cpu.mem.read128(a, t, 0);
      const equal = t[0] === r[0] && t[1] === r[1] && t[2] === r[4] && t[3] === r[5];
      if (equal) {
        t[4] = r[6]; t[5] = r[7]; t[6] = r[2]; t[7] = r[3];
        cpu.mem.write128(a, t, 4);
      } else {
        cpu.mem.write128(a, t, 0);
        r[0] = t[0]; r[1] = t[1]; r[4] = t[2]; r[5] = t[3];
      }
      setZ(equal);
    };
  }
  return () => {
    const a = ea();
    cpu.mem.probeWrite(a, 8);
    cpu.mem.read64(a, t, 0);
    const equal = t[0] === r[0] && t[1] === r[4];
    if (equal) cpu.mem.write64v(a, r[6], r[2]);
    else {
      cpu.mem.write64(a, t, 0);
      r[0] = t[0]; r[1] = 0; r[4] = t[1]; r[5] = 0;
    }
    setZ(equal);
  };
};

export const atomicRows: X86Row[] = [
  { name: 'XADD Eb,Gb', enc: '0F C0 /r', width: 'b', lockable: true, handler: xadd },
  { name: 'XADD Ev,Gv', enc: '0F C1 /r', lockable: true, handler: xadd },
  { name: 'CMPXCHG Eb,Gb', enc: '0F B0 /r', width: 'b', lockable: true, handler: cmpxchg },
  { name: 'CMPXCHG Ev,Gv', enc: '0F B1 /r', lockable: true, handler: cmpxchg },
  { name: 'CMPXCHG8B/16B M', enc: '0F C7 /1 mem', lockable: true, handler: cmpxchgWide },
];
