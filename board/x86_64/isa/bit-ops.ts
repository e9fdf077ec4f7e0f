// BT, BTS, BTR, BTC (register and immediate offsets; a register offset
// reaches memory beyond the operand), BSF, BSR, POPCNT. TZCNT/LZCNT are not
// reported by CPUID, so F3 0F BC/BD run as BSF/BSR, as on processors without
// BMI1/ABM.

import type { X86Cpu } from '../cpu';
import type { X86Insn, X86Op, X86Row } from '../decoder';
import * as mflags from '../flags';
import * as moperands from '../operands';
import * as moperand_forms from './operand-forms';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { CF, getArithFlags, setArithFlags, ZF } = mflags;
const { effectiveAddress, getReg, load, setReg, store } = moperands;
const { readE, readE64 } = moperand_forms;

const enum Bt {
  Test = 0,
  Set = 1,
  Reset = 2,
  Complement = 3,
}

function modify(kind: Bt, v: number, mask: number): number {
  if (kind === Bt.Set) return v | mask;
  if (kind === Bt.Reset) return v & ~mask;
  return v ^ mask;
}

function setCarry(lz: Int32Array, bit: number): void {
  setArithFlags(lz, (getArithFlags(lz) & ~CF) | bit);
}

/** 0F A3/AB/B3/BB (offset in G) and 0F BA /4../7 (offset in imm8). */
function bitTest(kind: Bt, immediate: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const r = cpu.r;
    const lz = cpu.lz;
    const size = i.opsize;
    const w = 8 * size;
    const g = 2 * i.reg;
    const imm = i.imm & (w - 1);
    if (!i.isMem) {
      const e = 2 * i.rm;
      return () => {
        const n = immediate ? imm : r[g] & (w - 1);
        const slot = size === 8 && n >= 32 ? e + 1 : e;
        const b = n & 31;
        const v = size === 8 ? r[slot] : getReg(r, e, 0, size);
        setCarry(lz, (v >>> b) & 1);
        if (kind === Bt.Test) return;
        if (size === 8) r[slot] = modify(kind, v, 1 << b);
        else setReg(r, e, 0, size, modify(kind, v, 1 << b));
      };
    }
    const ea = effectiveAddress(i, cpu);
    return () => {
      let addr = ea();
      let n: number;
      if (immediate) n = imm;
      else {
        // The signed offset selects a word relative to the operand: (offset >> log2 w) * size bytes.
        const off = size === 8 ? r[g + 1] * 4294967296 + (r[g] >>> 0) : size === 4 ? r[g] : (r[g] << 16) >> 16;
        const word = Math.floor(off / w);
        addr += word * size;
        n = off - word * w;
      }
      // Access the 32-bit (or 16-bit) word that holds the bit.
      const unit = size === 2 ? 2 : 4;
      const a = addr + Math.floor(n / 32) * 4;
      const b = n & 31;
      if (kind !== Bt.Test) cpu.mem.probeWrite(a, unit);
      const v = load(cpu, a, unit);
      setCarry(lz, (v >>> b) & 1);
      if (kind !== Bt.Test) store(cpu, a, unit, modify(kind, v, 1 << b));
    };
  };
}

/** BSF/BSR: ZF = (source == 0) and the destination keeps its value then; other flags kept (undefined in the SDM). */
function bitScan(reverse: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const r = cpu.r;
    const lz = cpu.lz;
    const t = cpu.t;
    const size = i.opsize;
    const g = 2 * i.reg;
    const setZ = (z: boolean): void => setArithFlags(lz, (getArithFlags(lz) & ~ZF) | (z ? ZF : 0));
    if (size === 8) {
      const read = readE64(cpu, i, 0);
      return () => {
        read();
        const lo = t[0];
        const hi = t[1];
        if ((lo | hi) === 0) { setZ(true); return; }
        setZ(false);
        let n: number;
        if (reverse) n = hi !== 0 ? 63 - Math.clz32(hi) : 31 - Math.clz32(lo);
        else n = lo !== 0 ? 31 - Math.clz32(lo & -lo) : 63 - Math.clz32(hi & -hi);
        r[g] = n;
        r[g + 1] = 0;
      };
    }
    const read = readE(cpu, i, size);
    return () => {
      const v = read();
      if (v === 0) { setZ(true); return; }
      setZ(false);
      setReg(r, g, 0, size, reverse ? 31 - Math.clz32(v) : 31 - Math.clz32(v & -v));
    };
  };
}

function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

const popcnt = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const lz = cpu.lz;
  const t = cpu.t;
  const size = i.opsize;
  const g = 2 * i.reg;
  if (size === 8) {
    const read = readE64(cpu, i, 0);
    return () => {
      read();
      const n = popcount32(t[0]) + popcount32(t[1]);
      setArithFlags(lz, n === 0 ? ZF : 0);
      r[g] = n;
      r[g + 1] = 0;
    };
  }
  const read = readE(cpu, i, size);
  return () => {
    const n = popcount32(read());
    setArithFlags(lz, n === 0 ? ZF : 0);
    setReg(r, g, 0, size, n);
  };
};

export const bitRows: X86Row[] = [
  { name: 'BT Ev,Gv', enc: '0F A3 /r', handler: bitTest(Bt.Test, false) },
  { name: 'BTS Ev,Gv', enc: '0F AB /r', lockable: true, handler: bitTest(Bt.Set, false) },
  { name: 'BTR Ev,Gv', enc: '0F B3 /r', lockable: true, handler: bitTest(Bt.Reset, false) },
  { name: 'BTC Ev,Gv', enc: '0F BB /r', lockable: true, handler: bitTest(Bt.Complement, false) },
  { name: 'BT Ev,Ib', enc: '0F BA /4 ib', handler: bitTest(Bt.Test, true) },
  { name: 'BTS Ev,Ib', enc: '0F BA /5 ib', lockable: true, handler: bitTest(Bt.Set, true) },
  { name: 'BTR Ev,Ib', enc: '0F BA /6 ib', lockable: true, handler: bitTest(Bt.Reset, true) },
  { name: 'BTC Ev,Ib', enc: '0F BA /7 ib', lockable: true, handler: bitTest(Bt.Complement, true) },
  { name: 'BSF Gv,Ev', enc: '0F BC /r', handler: bitScan(false) },
  { name: 'BSR Gv,Ev', enc: '0F BD /r', handler: bitScan(true) },
  { name: 'POPCNT Gv,Ev', enc: 'F3 0F B8 /r', handler: popcnt },
];
