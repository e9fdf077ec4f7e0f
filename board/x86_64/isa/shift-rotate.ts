// ROL, ROR, RCL, RCR, SHL/SAL, SHR, SAR (C0/C1 ib, D0/D1 by 1, D2/D3 by CL)
// and SHLD/SHRD (0F A4/A5/AC/AD).

import type { X86Cpu } from '../cpu';
import type { X86Insn, X86Op, X86Row } from '../decoder';
import { getReg } from '../operands';
import { gSlot, rmwE, rmwE64 } from './operand-forms';
import { doubleShift32, doubleShift64, Sh, shift32, shift64 } from './shift-ops';

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
    if (size === 8) return rmwE64(cpu, i, (lo, hi) => shift64(kind, lz, lo, hi, count(), t, 0));
    return rmwE(cpu, i, size, (a) => shift32(kind, lz, a, count(), size));
  };
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
    out.push({ name: `${n} Eb,Ib`, enc: `C0 /${k} ib`, width: 'b', handler: shiftForm(k, 'imm') });
    out.push({ name: `${n} Ev,Ib`, enc: `C1 /${k} ib`, handler: shiftForm(k, 'imm') });
    out.push({ name: `${n} Eb,1`, enc: `D0 /${k}`, width: 'b', handler: shiftForm(k, 'one') });
    out.push({ name: `${n} Ev,1`, enc: `D1 /${k}`, handler: shiftForm(k, 'one') });
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
