// ROL, ROR, RCL, RCR, SHL/SAL, SHR, SAR (C0/C1 ib, D0/D1 by 1, D2/D3 by CL)
// and SHLD/SHRD (0F A4/A5/AC/AD).

import type { X86Cpu } from '../cpu';
import type { FlagUse, X86Insn, X86Op, X86Row } from '../decoder';
import * as mflags from '../flags';
import * as mint64 from '../int64';
import * as moperands from '../operands';
import * as moperand_forms from './operand-forms';
import { Sh } from './shift-ops';
import * as mshift_ops from './shift-ops';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { ARITH_FLAGS, CF, OF } = mflags;
const { sar64, shl64, shr64 } = mint64;
const { getReg } = moperands;
const { gSlot, rmwE, rmwE64 } = moperand_forms;
const { doubleShift32, doubleShift64, shift32, shift64 } = mshift_ops;

const NAMES = ['ROL', 'ROR', 'RCL', 'RCR', 'SHL', 'SHR', 'SAL', 'SAR'];

/** source: 'one', 'cl' or 'imm'. */
function shiftForm(kind: Sh, source: 'one' | 'cl' | 'imm') {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const r = cpu.r;
    const lz = cpu.lz;
    const t = cpu.t;
    const size = i.opsize;
    const imm = source === 'one' ? 1 : i.imm & 0xff;
    const count = source === 'cl' ? () => r[2] & 0xff : () => imm;
    if (!i.isMem && source !== 'cl' && size >= 4) {
      // The common register-by-constant forms, without the generic operand closures.
      const e = 2 * i.rm;
      if (i.flagsDead && kind !== Sh.Rcl && kind !== Sh.Rcr) return shiftNoFlags(kind, r, e, imm, size);
      if (size === 8) return () => shift64(kind, lz, r[e], r[e + 1], imm, r, e);
      return () => {
        r[e] = shift32(kind, lz, r[e], imm, 4);
        r[e + 1] = 0;
      };
    }
    if (size === 8) return rmwE64(cpu, i, (lo, hi) => shift64(kind, lz, lo, hi, count(), t, 0));
    return rmwE(cpu, i, size, (a) => shift32(kind, lz, a, count(), size));
  };
}

const SHIFT_ALL: FlagUse = { writes: ARITH_FLAGS, reads: 0 };
const ROTATE: FlagUse = { writes: CF | OF, reads: 0 };
const ROTATE_CARRY: FlagUse = { writes: CF | OF, reads: CF };
const NONE: FlagUse = { writes: 0, reads: 0 };

/** Flags written by a shift of a known count (a masked count of 0 writes none). */
function shiftFlagUse(kind: Sh, source: 'one' | 'imm') {
  return (i: X86Insn): FlagUse => {
    const c = (source === 'one' ? 1 : i.imm) & (i.opsize === 8 ? 0x3f : 0x1f);
    if (c === 0) return NONE;
    if (kind === Sh.Rol || kind === Sh.Ror) return ROTATE;
    if (kind === Sh.Rcl || kind === Sh.Rcr) return ROTATE_CARRY;
    return SHIFT_ALL;
  };
}

/** A register shifted by a constant when no later instruction can see its flags. */
function shiftNoFlags(kind: Sh, r: Int32Array, e: number, count: number, size: number): X86Op {
  const c = count & (size === 8 ? 0x3f : 0x1f);
  if (size === 4) {
    switch (kind) {
      case Sh.Shl: case Sh.Sal: return () => { r[e] <<= c; r[e + 1] = 0; };
      case Sh.Shr: return () => { r[e] = r[e] >>> c; r[e + 1] = 0; };
      case Sh.Sar: return () => { r[e] >>= c; r[e + 1] = 0; };
      case Sh.Rol: return () => { r[e] = c === 0 ? r[e] : (r[e] << c) | (r[e] >>> (32 - c)); r[e + 1] = 0; };
      default: return () => { r[e] = c === 0 ? r[e] : (r[e] >>> c) | (r[e] << (32 - c)); r[e + 1] = 0; };
    }
  }
  switch (kind) {
    case Sh.Shl: case Sh.Sal: return () => shl64(r[e], r[e + 1], c, r, e);
    case Sh.Shr: return () => shr64(r[e], r[e + 1], c, r, e);
    case Sh.Sar: return () => sar64(r[e], r[e + 1], c, r, e);
    default: {
      const l = c === 0 ? 0 : kind === Sh.Rol ? c : 64 - c;
      if (l === 0) return () => {};
      if (l === 32) return () => { const lo = r[e]; r[e] = r[e + 1]; r[e + 1] = lo; };
      if (l < 32) return () => { const lo = r[e]; const hi = r[e + 1]; r[e] = (lo << l) | (hi >>> (32 - l)); r[e + 1] = (hi << l) | (lo >>> (32 - l)); };
      const k = l - 32;
      return () => { const lo = r[e]; const hi = r[e + 1]; r[e] = (hi << k) | (lo >>> (32 - k)); r[e + 1] = (lo << k) | (hi >>> (32 - k)); };
    }
  }
}

function doubleShift(left: boolean, byCl: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const r = cpu.r;
    const lz = cpu.lz;
    const t = cpu.t;
    const size = i.opsize;
    const imm = i.imm & 0xff;
    const count = byCl ? () => r[2] & 0xff : () => imm;
    const g = gSlot(i, size);
    if (size === 8) {
      const s = g.slot;
      return rmwE64(cpu, i, (lo, hi) => doubleShift64(left, lz, lo, hi, r[s], r[s + 1], count(), t, 0));
    }
    return rmwE(cpu, i, size, (a) => doubleShift32(left, lz, a, getReg(r, g.slot, 0, size), count(), size));
  };
}

function rows(): X86Row[] {
  const out: X86Row[] = [];
  for (let k = 0; k < 8; k++) {
    const n = NAMES[k];
    out.push({ name: `${n} Eb,Ib`, enc: `C0 /${k} ib`, width: 'b', flagUse: shiftFlagUse(k, 'imm'), handler: shiftForm(k, 'imm') });
    out.push({ name: `${n} Ev,Ib`, enc: `C1 /${k} ib`, flagUse: shiftFlagUse(k, 'imm'), handler: shiftForm(k, 'imm') });
    out.push({ name: `${n} Eb,1`, enc: `D0 /${k}`, width: 'b', flagUse: shiftFlagUse(k, 'one'), handler: shiftForm(k, 'one') });
    out.push({ name: `${n} Ev,1`, enc: `D1 /${k}`, flagUse: shiftFlagUse(k, 'one'), handler: shiftForm(k, 'one') });
    out.push({ name: `${n} Eb,CL`, enc: `D2 /${k}`, width: 'b', handler: shiftForm(k, 'cl') });
    out.push({ name: `${n} Ev,CL`, enc: `D3 /${k}`, handler: shiftForm(k, 'cl') });
  }
  return out;
}

export const shiftRows: X86Row[] = [
  ...rows(),
  { name: 'SHLD Ev,Gv,Ib', enc: '0F A4 /r ib', handler: doubleShift(true, false) },
  { name: 'SHLD Ev,Gv,CL', enc: '0F A5 /r', handler: doubleShift(true, true) },
  { name: 'SHRD Ev,Gv,Ib', enc: '0F AC /r ib', handler: doubleShift(false, false) },
  { name: 'SHRD Ev,Gv,CL', enc: '0F AD /r', handler: doubleShift(false, true) },
];
