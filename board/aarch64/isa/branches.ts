// Branches (Arm ARM C4.1.87): conditional and unconditional immediate,
// compare and branch, test and branch, branch to register, ERET.

import { zrSrc } from '../cpu-state';
import type { Cpu } from '../cpu';
import { bit, bits, Encoding, Handler, Op, sbits } from '../decoder';
import { undefinedInstruction } from '../exception-syndrome';
import { toAddress } from '../int64';

const TWO32 = 4294967296;

const bCond: Handler = (insn, ctx) => {
  ctx.endsBlock = true;
  const cpu = ctx.cpu;
  const target = ctx.pageOff + sbits(insn, 23, 5) * 4;
  ctx.branchTarget = target;
  return conditionalBranch(cpu, bits(insn, 3, 0), target);
};

/** B.cond with its condition written into the closure: no predicate call on the hottest branch. */
function conditionalBranch(cpu: Cpu, cond: number, target: number): Op {
  const f = cpu.f;
  switch (cond) {
    case 0: return () => { if (f[1] === 1) cpu.pc = cpu.pageVa + target; }; // EQ
    case 1: return () => { if (f[1] === 0) cpu.pc = cpu.pageVa + target; }; // NE
    case 2: return () => { if (f[2] === 1) cpu.pc = cpu.pageVa + target; }; // CS
    case 3: return () => { if (f[2] === 0) cpu.pc = cpu.pageVa + target; }; // CC
    case 4: return () => { if (f[0] === 1) cpu.pc = cpu.pageVa + target; }; // MI
    case 5: return () => { if (f[0] === 0) cpu.pc = cpu.pageVa + target; }; // PL
    case 6: return () => { if (f[3] === 1) cpu.pc = cpu.pageVa + target; }; // VS
    case 7: return () => { if (f[3] === 0) cpu.pc = cpu.pageVa + target; }; // VC
    case 8: return () => { if (f[2] === 1 && f[1] === 0) cpu.pc = cpu.pageVa + target; }; // HI
    case 9: return () => { if (f[2] === 0 || f[1] === 1) cpu.pc = cpu.pageVa + target; }; // LS
    case 10: return () => { if (f[0] === f[3]) cpu.pc = cpu.pageVa + target; }; // GE
    case 11: return () => { if (f[0] !== f[3]) cpu.pc = cpu.pageVa + target; }; // LT
    case 12: return () => { if (f[1] === 0 && f[0] === f[3]) cpu.pc = cpu.pageVa + target; }; // GT
    case 13: return () => { if (f[1] === 1 || f[0] !== f[3]) cpu.pc = cpu.pageVa + target; }; // LE
    default: return () => { cpu.pc = cpu.pageVa + target; }; // AL, NV
  }
}

const bImm: Handler = (insn, ctx) => {
  ctx.endsBlock = true;
  const cpu = ctx.cpu;
  const x = cpu.x;
  const target = ctx.pageOff + sbits(insn, 25, 0) * 4;
  ctx.branchTarget = target;
  if (bit(insn, 31) === 0) {
    return () => {
      cpu.pc = cpu.pageVa + target;
    };
  }
  const link = ctx.pageOff + 4;
  return () => {
    const ret = cpu.pageVa + link;
    x[60] = ret | 0;
    x[61] = Math.floor(ret / TWO32) | 0;
    cpu.pc = cpu.pageVa + target;
  };
};

const compareBranch: Handler = (insn, ctx) => {
  ctx.endsBlock = true;
  const cpu = ctx.cpu;
  const x = cpu.x;
  const t = 2 * zrSrc(bits(insn, 4, 0));
  const target = ctx.pageOff + sbits(insn, 23, 5) * 4;
  ctx.branchTarget = target;
  const nonZero = bit(insn, 24) === 1;
  if (bit(insn, 31) === 0) {
    return nonZero
      ? () => {
          if (x[t] !== 0) cpu.pc = cpu.pageVa + target;
        }
      : () => {
          if (x[t] === 0) cpu.pc = cpu.pageVa + target;
        };
  }
  return nonZero
    ? () => {
        if ((x[t] | x[t + 1]) !== 0) cpu.pc = cpu.pageVa + target;
      }
    : () => {
        if ((x[t] | x[t + 1]) === 0) cpu.pc = cpu.pageVa + target;
      };
};

const testBranch: Handler = (insn, ctx) => {
  ctx.endsBlock = true;
  const cpu = ctx.cpu;
  const x = cpu.x;
  const bitPos = (bit(insn, 31) << 5) | bits(insn, 23, 19);
  const word = 2 * zrSrc(bits(insn, 4, 0)) + (bitPos >>> 5);
  const mask = 1 << (bitPos & 31);
  const target = ctx.pageOff + sbits(insn, 18, 5) * 4;
  ctx.branchTarget = target;
  return bit(insn, 24) === 1
    ? () => {
        if ((x[word] & mask) !== 0) cpu.pc = cpu.pageVa + target;
      }
    : () => {
        if ((x[word] & mask) === 0) cpu.pc = cpu.pageVa + target;
      };
};

const branchRegister: Handler = (insn, ctx) => {
  ctx.endsBlock = true;
  const cpu = ctx.cpu;
  const x = cpu.x;
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const opc = bits(insn, 24, 21);
  if (opc === 1) {
    // BLR: read the target before writing X30 (BLR X30 is allowed).
    const link = ctx.pageOff + 4;
    return () => {
      const target = toAddress(x[n], x[n + 1]);
      const ret = cpu.pageVa + link;
      x[60] = ret | 0;
      x[61] = Math.floor(ret / TWO32) | 0;
      cpu.pc = target;
    };
  }
  return () => {
    cpu.pc = toAddress(x[n], x[n + 1]);
  };
};

const eret: Handler = (_insn, ctx) => {
  ctx.endsBlock = true;
  const cpu = ctx.cpu;
  const here = ctx.pageOff;
  return () => {
    if (cpu.el === 0) {
      cpu.lastUndefined = { pc: cpu.pageVa + here, insn: 0xd69f03e0 };
      throw undefinedInstruction();
    }
    cpu.exceptionReturn();
  };
};

export const branches: Encoding[] = [
  { name: 'B.cond', pattern: '0101010 0 xxxxxxxxxxxxxxxxxxx 0 xxxx', handler: bCond },
  { name: 'B/BL', pattern: 'x 00101 xxxxxxxxxxxxxxxxxxxxxxxxxx', handler: bImm },
  { name: 'CBZ/CBNZ', pattern: 'x 011010 x xxxxxxxxxxxxxxxxxxx xxxxx', handler: compareBranch },
  { name: 'TBZ/TBNZ', pattern: 'x 011011 x xxxxx xxxxxxxxxxxxxx xxxxx', handler: testBranch },
  { name: 'BR', pattern: '1101011 0000 11111 000000 xxxxx 00000', handler: branchRegister },
  { name: 'BLR', pattern: '1101011 0001 11111 000000 xxxxx 00000', handler: branchRegister },
  { name: 'RET', pattern: '1101011 0010 11111 000000 xxxxx 00000', handler: branchRegister },
  { name: 'ERET', pattern: '1101011 0100 11111 000000 11111 00000', handler: eret },
];
