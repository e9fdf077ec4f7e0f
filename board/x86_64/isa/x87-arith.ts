// x87 arithmetic and compares: FADD/FMUL/FSUB(R)/FDIV(R) with m32fp, m64fp,
// m16int, m32int and ST(i) operands and their popping forms, FCOM/FCOMP/
// FCOMPP, FUCOM*, FICOM*, FCOMI/FUCOMI(P). ModRM.reg picks the operation
// (/0 add, /1 mul, /2 com, /3 comp, /4 ST0-x, /5 x-ST0, /6 ST0/x, /7 x/ST0).

import type { X86Cpu } from '../cpu';
import type { X86Insn, X86Op, X86Row } from '../decoder';
import { setArithFlags } from '../flags';
import { effectiveAddress } from '../operands';
import * as fp from '../../fp80';
import { fopOf, X87, x87Of } from './x87-state';

/** Memory operand kinds of the arithmetic escapes. */
export const enum MemKind {
  F32 = 0,
  F64 = 1,
  I16 = 2,
  I32 = 3,
}

/** A masked scratch environment: memory operands load without raising anything. */
const RAW_ENV: fp.X87Env = { fcw: 0x37f, fsw: 0 };

/**
 * Loads the memory operand into u.b as an 80-bit value, raising nothing: an
 * SNaN stays signalling (the operation's NaN rules see it), and the return
 * says whether the source was a float32/float64 denormal (DE is raised only
 * when the operation goes on with numbers, as the host does).
 */
export function loadOperand(u: X87, kind: MemKind, addr: number): boolean {
  const mem = u.cpu.mem;
  RAW_ENV.fsw = 0;
  switch (kind) {
    case MemKind.F32:
      fp.fromF32(RAW_ENV, mem.read32(addr));
      break;
    case MemKind.F64:
      mem.read64(addr, u.cpu.t, 0);
      fp.fromF64(RAW_ENV, u.cpu.t[0], u.cpu.t[1]);
      break;
    case MemKind.I16: {
      const v = (mem.read16(addr) << 16) >> 16;
      fp.fromInt64(v, v >> 31);
      break;
    }
    default: {
      const v = mem.read32(addr);
      fp.fromInt64(v, v >> 31);
    }
  }
  u.b[0] = fp.R80[0];
  u.b[1] = fp.R80[1];
  u.b[2] = fp.R80[2];
  if (RAW_ENV.fsw & fp.IE) u.b[1] &= ~0x40000000; // the loader quieted an SNaN
  return (RAW_ENV.fsw & fp.DE) !== 0;
}

/**
 * DE for a denormal memory operand of operation `op`, unless ST0 (u.a) makes
 * the result a NaN or invalid, or a division by zero (FDIVR by a zero ST0
 * raises ZE alone); false when DE is unmasked (the operation then stops, C1
 * clear).
 */
function memDenormal(u: X87, op: number): boolean {
  const c = fp.classify(u.a[2], u.a[1], u.a[0]);
  if (c === fp.Cls.Unsupported || c === fp.Cls.SNaN || c === fp.Cls.QNaN) return true;
  if (op === 7 && c === fp.Cls.Zero) return true;
  u.env.fsw = (u.env.fsw | fp.DE) & ~fp.C1;
  return (u.env.fcw & fp.DE) !== 0;
}

/** x op y for /0, /1, /4../7 (x = ST0, y = the other operand); the result in R80. */
function compute(env: fp.X87Env, op: number, x: Int32Array, y: Int32Array): boolean {
  env.fsw &= ~fp.C1;
  switch (op) {
    case 0:
      return fp.add80(env, x[2], x[1], x[0], y[2], y[1], y[0], false);
    case 1:
      return fp.mul80(env, x[2], x[1], x[0], y[2], y[1], y[0]);
    case 4:
      return fp.add80(env, x[2], x[1], x[0], y[2], y[1], y[0], true);
    case 5:
      return fp.add80(env, y[2], y[1], y[0], x[2], x[1], x[0], true);
    case 6:
      return fp.div80(env, x[2], x[1], x[0], y[2], y[1], y[0]);
    default:
      return fp.div80(env, y[2], y[1], y[0], x[2], x[1], x[0]);
  }
}

/**
 * Compares ST0 (u.a) with u.b into the condition codes; `pops` 0, 1 or 2.
 * `memDenormal`: u.b came from a float32/float64 denormal, which raises DE
 * when both are numbers; the host sets the codes even when DE is unmasked
 * (it then does not pop).
 */
function compareInto(u: X87, quiet: boolean, eflags: boolean, pops: number, emptyOperand: boolean, memDenormal = false): void {
  const env = u.env;
  env.fsw &= ~fp.C1;
  let order: number;
  if (emptyOperand) {
    u.stackFault(false); // the codes say unordered even when IE is unmasked
    order = fp.Order.Unordered;
  } else {
    order = fp.compare80(env, u.a[2], u.a[1], u.a[0], u.b[2], u.b[1], u.b[0], quiet);
    if (memDenormal && order !== fp.Order.Unordered) env.fsw |= fp.DE;
  }
  if (eflags) setArithFlags(u.cpu.lz, fp.orderToEflags(order));
  else env.fsw = (env.fsw & ~(fp.C0 | fp.C2 | fp.C3)) | order;
  if (env.fsw & ~env.fcw & (fp.IE | fp.DE)) return; // unmasked: no pop
  for (let k = 0; k < pops; k++) u.pop();
}

/** The memory forms of D8 (m32fp), DC (m64fp), DA (m32int), DE (m16int). */
function arithMem(kind: MemKind) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const u = x87Of(cpu);
    const ea = effectiveAddress(i, cpu);
    const op = i.reg & 7;
    const fop = fopOf(i);
    const rip = () => cpu.pageVa + i.pageOff;
    return () => {
      u.begin();
      const addr = ea();
      const denormal = loadOperand(u, kind, addr);
      u.record(fop, rip(), addr);
      const empty = u.isEmpty(0);
      if (!empty) u.read(0, u.a);
      if (op === 2 || op === 3) compareInto(u, false, false, op === 3 ? 1 : 0, empty, denormal);
      else if (empty) {
        if (u.stackFault(false)) {
          u.setIndefiniteR80();
          u.writeR80(0);
        }
      } else if ((!denormal || memDenormal(u, op)) && compute(u.env, op, u.a, u.b)) u.writeR80(0);
      u.end();
    };
  };
}

/**
 * Register forms: D8 (ST0 = ST0 op ST(i)), DC (ST(i) = ST0 op ST(i) with the
 * same operand order) and DE (DC, then pop).
 */
function arithReg(toSti: boolean, pop: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const u = x87Of(cpu);
    const sti = i.rm & 7;
    const op = i.reg & 7;
    const fop = fopOf(i);
    const dest = toSti ? sti : 0;
    return () => {
      u.begin();
      u.record(fop, cpu.pageVa + i.pageOff, -1);
      if (u.isEmpty(0) || u.isEmpty(sti)) {
        if (u.stackFault(false)) {
          u.setIndefiniteR80();
          u.writeR80(dest);
          if (pop) u.pop();
        }
      } else {
        u.read(0, u.a);
        u.read(sti, u.b);
        // An unmasked IE, DE or ZE leaves the destination and the stack alone.
        if (compute(u.env, op, u.a, u.b)) {
          u.writeR80(dest);
          if (pop) u.pop();
        }
      }
      u.end();
    };
  };
}

/** FCOM/FCOMP/FUCOM/FUCOMP ST(i), FCOMPP, FUCOMPP, FCOMI/FUCOMI(P) ST(i). */
function compareReg(quiet: boolean, eflags: boolean, pops: number) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const u = x87Of(cpu);
    const sti = i.rm & 7;
    const fop = fopOf(i);
    return () => {
      u.begin();
      u.record(fop, cpu.pageVa + i.pageOff, -1);
      const empty = u.isEmpty(0) || u.isEmpty(sti);
      if (!empty) {
        u.read(0, u.a);
        u.read(sti, u.b);
      }
      compareInto(u, quiet, eflags, pops, empty);
      u.end();
    };
  };
}


function rows(prefix: number, kind: MemKind, mn: string[], memSuffix: string): X86Row[] {
  const hex = prefix.toString(16).toUpperCase();
  const out: X86Row[] = [];
  for (let d = 0; d < 8; d++) out.push({ name: `${mn[d]} ${memSuffix}`, enc: `${hex} /${d} mem`, handler: arithMem(kind) });
  return out;
}

const FLOAT_NAMES = ['FADD', 'FMUL', 'FCOM', 'FCOMP', 'FSUB', 'FSUBR', 'FDIV', 'FDIVR'];
const INT_NAMES = ['FIADD', 'FIMUL', 'FICOM', 'FICOMP', 'FISUB', 'FISUBR', 'FIDIV', 'FIDIVR'];
const DC_NAMES = ['FADD', 'FMUL', 'FCOM2', 'FCOMP3', 'FSUBR', 'FSUB', 'FDIVR', 'FDIV'];


export const x87ArithRows: X86Row[] = [
  ...rows(0xd8, MemKind.F32, FLOAT_NAMES, 'm32fp'),
  ...rows(0xdc, MemKind.F64, FLOAT_NAMES, 'm64fp'),
  ...rows(0xda, MemKind.I32, INT_NAMES, 'm32int'),
  ...rows(0xde, MemKind.I16, INT_NAMES, 'm16int'),
  ...[0, 1, 4, 5, 6, 7].map((d): X86Row => ({ name: `${FLOAT_NAMES[d]} ST0,ST(i)`, enc: `D8 /${d} reg`, handler: arithReg(false, false) })),
  ...[0, 1, 4, 5, 6, 7].map((d): X86Row => ({ name: `${DC_NAMES[d]} ST(i),ST0`, enc: `DC /${d} reg`, handler: arithReg(true, false) })),
  ...[0, 1, 4, 5, 6, 7].map((d): X86Row => ({ name: `${DC_NAMES[d]}P ST(i),ST0`, enc: `DE /${d} reg`, handler: arithReg(true, true) })),
  { name: 'FCOM ST(i)', enc: 'D8 /2 reg', handler: compareReg(false, false, 0) },
  { name: 'FCOMP ST(i)', enc: 'D8 /3 reg', handler: compareReg(false, false, 1) },
  { name: 'FCOM2 ST(i)', enc: 'DC /2 reg', handler: compareReg(false, false, 0) },
  { name: 'FCOMP3 ST(i)', enc: 'DC /3 reg', handler: compareReg(false, false, 1) },
  { name: 'FCOMP5 ST(i)', enc: 'DE /2 reg', handler: compareReg(false, false, 1) },
  { name: 'FCOMPP', enc: 'DE D9', handler: compareReg(false, false, 2) },
  { name: 'FUCOM ST(i)', enc: 'DD /4 reg', handler: compareReg(true, false, 0) },
  { name: 'FUCOMP ST(i)', enc: 'DD /5 reg', handler: compareReg(true, false, 1) },
  { name: 'FUCOMPP', enc: 'DA E9', handler: compareReg(true, false, 2) },
  { name: 'FUCOMI ST0,ST(i)', enc: 'DB /5 reg', handler: compareReg(true, true, 0) },
  { name: 'FCOMI ST0,ST(i)', enc: 'DB /6 reg', handler: compareReg(false, true, 0) },
  { name: 'FUCOMIP ST0,ST(i)', enc: 'DF /5 reg', handler: compareReg(true, true, 1) },
  { name: 'FCOMIP ST0,ST(i)', enc: 'DF /6 reg', handler: compareReg(false, true, 1) },
];
