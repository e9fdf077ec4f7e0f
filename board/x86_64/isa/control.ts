// Control transfer: Jcc, JMP, CALL, RET, LOOP/LOOPcc/JRCXZ. A branch is the
// last instruction of its block; the run loop has already set cpu.rip to the
// next instruction, so a taken branch only overwrites it.

import type { X86Cpu } from '../cpu';
import * as mcpu_state from '../cpu-state';
import type { X86Insn, X86Op, X86Row } from '../decoder';
import * as mflags from '../flags';
import * as mx86_fault from '../x86-fault';
import * as moperand_forms from './operand-forms';
import * as mstack from './stack';

// Module-local bindings of imported functions and constants: test runners that
// turn imports into property reads (vitest) still call them directly.
const { RCX } = mcpu_state;
const { condB, condBE, condE, condL, condLE, condition } = mflags;
const { generalProtection } = mx86_fault;
const { readE, readE64 } = moperand_forms;
const { addSp, pop64, push64 } = mstack;

const TWO32 = 4294967296;
const TWO47 = 2 ** 47;

function target(i: X86Insn): number {
  i.endsBlock = true;
  const t = i.nextOff + i.imm;
  i.branchTarget = t;
  return t;
}

/** Jcc with one closure literal per condition, each calling a small test the JIT can inline. */
const jcc = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const t = target(i);
  const lz = cpu.lz;
  const cc = i.opcode & 15;
  switch (cc) {
    case 2: return () => { if (condB(lz)) cpu.rip = cpu.pageVa + t; };
    case 3: return () => { if (!condB(lz)) cpu.rip = cpu.pageVa + t; };
    case 4: return () => { if (condE(lz)) cpu.rip = cpu.pageVa + t; };
    case 5: return () => { if (!condE(lz)) cpu.rip = cpu.pageVa + t; };
    case 6: return () => { if (condBE(lz)) cpu.rip = cpu.pageVa + t; };
    case 7: return () => { if (!condBE(lz)) cpu.rip = cpu.pageVa + t; };
    case 12: return () => { if (condL(lz)) cpu.rip = cpu.pageVa + t; };
    case 13: return () => { if (!condL(lz)) cpu.rip = cpu.pageVa + t; };
    case 14: return () => { if (condLE(lz)) cpu.rip = cpu.pageVa + t; };
    case 15: return () => { if (!condLE(lz)) cpu.rip = cpu.pageVa + t; };
    default: return () => { if (condition(lz, cc)) cpu.rip = cpu.pageVa + t; };
  }
};

const jmpRel = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const t = target(i);
  return () => {
    cpu.rip = cpu.pageVa + t;
  };
};

const callRel = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.stack = true;
  const t = target(i);
  i.branchTarget = undefined;
  const next = i.nextOff;
  return () => {
    const ret = cpu.pageVa + next;
    push64(cpu, ret | 0, Math.floor(ret / TWO32) | 0);
    cpu.rip = cpu.pageVa + t;
  };
};

/** The 64-bit target of an indirect branch as a number; #GP(0) at the branch for a non-canonical one. */
function indirectTarget(cpu: X86Cpu, i: X86Insn): () => number {
  const t = cpu.t;
  if (i.opsize === 2) {
    const read = readE(cpu, i, 2);
    return () => read();
  }
  const read = readE64(cpu, i, 4);
  return () => {
    read();
    const v = t[5] * TWO32 + (t[4] >>> 0);
    if (!(v >= -TWO47 && v < TWO47)) throw generalProtection(0);
    return v;
  };
}

const jmpE = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.endsBlock = true;
  const get = indirectTarget(cpu, i);
  return () => {
    cpu.rip = get();
  };
};

const callE = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.endsBlock = true;
  i.stack = true;
  const get = indirectTarget(cpu, i);
  const next = i.nextOff;
  return () => {
    const to = get();
    const ret = cpu.pageVa + next;
    push64(cpu, ret | 0, Math.floor(ret / TWO32) | 0);
    cpu.rip = to;
  };
};

const ret = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.endsBlock = true;
  i.stack = true;
  const r = cpu.r;
  const t = cpu.t;
  const extra = i.opcode === 0xc2 ? i.imm & 0xffff : 0;
  return () => {
    const sp0 = r[8];
    const sp1 = r[9];
    pop64(cpu);
    const v = t[1] * TWO32 + (t[0] >>> 0);
    if (!(v >= -TWO47 && v < TWO47)) {
      r[8] = sp0;
      r[9] = sp1;
      throw generalProtection(0);
    }
    if (extra !== 0) addSp(r, extra);
    cpu.rip = v;
  };
};

/** E0..E3: LOOPNE, LOOPE, LOOP, JRCXZ (the counter is ECX with a 67 prefix). */
const loop = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const t = target(i);
  const r = cpu.r;
  const lz = cpu.lz;
  const c = 2 * RCX;
  const a32 = i.addr32;
  const kind = i.opcode & 3;
  return () => {
    let nz: boolean;
    if (kind === 3) {
      nz = a32 ? r[c] !== 0 : (r[c] | r[c + 1]) !== 0;
      if (!nz) cpu.rip = cpu.pageVa + t;
      return;
    }
    if (a32) {
      r[c] = (r[c] - 1) | 0;
      r[c + 1] = 0;
      nz = r[c] !== 0;
    } else {
      if (r[c] === 0) r[c + 1] = (r[c + 1] - 1) | 0;
      r[c] = (r[c] - 1) | 0;
      nz = (r[c] | r[c + 1]) !== 0;
    }
    if (kind === 0 && condition(lz, 4)) nz = false; // LOOPNE: stop when ZF = 1
    if (kind === 1 && !condition(lz, 4)) nz = false; // LOOPE: stop when ZF = 0
    if (nz) cpu.rip = cpu.pageVa + t;
  };
};

export const controlRows: X86Row[] = [
  { name: 'Jcc Jb', enc: '70+r cb', width: 'q', handler: jcc },
  { name: 'Jcc Jb', enc: '78+r cb', width: 'q', handler: jcc },
  { name: 'Jcc Jz', enc: '0F 80+r cz', width: 'q', handler: jcc },
  { name: 'Jcc Jz', enc: '0F 88+r cz', width: 'q', handler: jcc },
  { name: 'JMP Jb', enc: 'EB cb', width: 'q', handler: jmpRel },
  { name: 'JMP Jz', enc: 'E9 cz', width: 'q', handler: jmpRel },
  { name: 'CALL Jz', enc: 'E8 cz', width: 'q', handler: callRel },
  { name: 'JMP Ev', enc: 'FF /4', width: 'q', handler: jmpE },
  { name: 'CALL Ev', enc: 'FF /2', width: 'q', handler: callE },
  { name: 'RET', enc: 'C3', width: 'q', handler: ret },
  { name: 'RET Iw', enc: 'C2 iw', width: 'q', handler: ret },
  { name: 'LOOPNE Jb', enc: 'E0 cb', width: 'q', handler: loop },
  { name: 'LOOPE Jb', enc: 'E1 cb', width: 'q', handler: loop },
  { name: 'LOOP Jb', enc: 'E2 cb', width: 'q', handler: loop },
  { name: 'JRCXZ Jb', enc: 'E3 cb', width: 'q', handler: loop },
];
