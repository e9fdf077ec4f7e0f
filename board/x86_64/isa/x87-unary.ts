// x87 operations on the top of the stack (D9 E4..FF): FTST, FXAM, FSQRT,
// FRNDINT, FSCALE, FXTRACT, FPREM/FPREM1 and the transcendentals; and
// FCMOVcc (DA/DB C0..DF).

import type { X86Cpu } from '../cpu';
import type { X86Insn, X86Op, X86Row } from '../decoder';
import { condition } from '../flags';
import * as fp from '../../fp80';
import { fopOf, X87, x87Of } from './x87-state';

function op(needs: number, body: (u: X87) => void, popsIntoSt1 = false) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const u = x87Of(cpu);
    const fop = fopOf(i);
    return () => {
      u.begin();
      u.record(fop, cpu.pageVa + i.pageOff, -1);
      u.env.fsw &= ~fp.C1;
      if (u.isEmpty(0) || (needs === 2 && u.isEmpty(1))) underflow(u, popsIntoSt1);
      else {
        u.read(0, u.a);
        if (needs === 2) u.read(1, u.b);
        body(u);
      }
      u.end();
    };
  };
}

/** Stack underflow: masked, the destination (ST0, or ST1 then a pop) gets the indefinite. */
function underflow(u: X87, popsIntoSt1: boolean): void {
  if (!u.stackFault(false)) return;
  u.setIndefiniteR80();
  u.writeR80(popsIntoSt1 ? 1 : 0);
  if (popsIntoSt1) u.pop();
}

/** ST0 = f(ST0). */
function unary(f: (env: fp.X87Env, se: number, hi: number, lo: number) => boolean) {
  return op(1, (u) => {
    if (f(u.env, u.a[2], u.a[1], u.a[0])) u.writeR80(0);
  });
}

/** ST0 = f(ST0, ST1) (FSCALE, FPREM, FPREM1). */
function binary(f: (env: fp.X87Env, aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number) => boolean) {
  return op(2, (u) => {
    if (f(u.env, u.a[2], u.a[1], u.a[0], u.b[2], u.b[1], u.b[0])) u.writeR80(0);
  });
}

/** ST1 = f(ST0, ST1), pop (FYL2X, FYL2XP1, FPATAN). */
function intoSt1(f: (env: fp.X87Env, xSe: number, xHi: number, xLo: number, ySe: number, yHi: number, yLo: number) => boolean) {
  return op(2, (u) => {
    if (!f(u.env, u.a[2], u.a[1], u.a[0], u.b[2], u.b[1], u.b[0])) return;
    u.writeR80(1);
    u.pop();
  }, true);
}

const ftst = op(1, (u) => {
  const o = fp.compare80(u.env, u.a[2], u.a[1], u.a[0], 0, 0, 0, false);
  u.env.fsw = (u.env.fsw & ~(fp.C0 | fp.C2 | fp.C3)) | o;
});

function fxam(i: X86Insn, cpu: X86Cpu): X86Op {
  const u = x87Of(cpu);
  const fop = fopOf(i);
  return () => {
    u.begin();
    u.record(fop, cpu.pageVa + i.pageOff, -1);
    u.read(0, u.a);
    let codes = fp.examine80(u.a[2], u.a[1], u.a[0]);
    if (u.isEmpty(0)) codes = (codes & fp.C1) | fp.C3 | fp.C0;
    u.env.fsw = (u.env.fsw & ~(fp.C0 | fp.C1 | fp.C2 | fp.C3)) | codes;
    u.end();
  };
}

/** FXTRACT: ST0 = significand, then push... the exponent goes below it. */
/** A push onto a full stack by FXTRACT, FPTAN, FSINCOS: masked, ST0 and the new top become the indefinite. */
function overflowBoth(u: X87): void {
  if (!u.stackFault(true)) return;
  u.setIndefiniteR80();
  u.writeR80(0);
  u.push(fp.R80[0], fp.R80[1], fp.R80[2]);
}

const fxtract = op(1, (u) => {
  if (!u.isEmpty(7)) return overflowBoth(u);
  if (!fp.extract80(u.env, u.a[2], u.a[1], u.a[0])) return;
  const sig = [fp.R80[0], fp.R80[1], fp.R80[2]];
  u.write(0, fp.EXPONENT[0], fp.EXPONENT[1], fp.EXPONENT[2]);
  u.push(sig[0], sig[1], sig[2]);
});

/** FSIN, FCOS: C2 = 1 and ST0 unchanged when |ST0| >= 2^63. */
function trigOp(which: fp.Trig) {
  return op(1, (u) => {
    u.env.fsw &= ~fp.C2;
    if (fp.trig(u.env, which, u.a[2], u.a[1], u.a[0])) u.writeR80(0);
  });
}

/** FPTAN: ST0 = tan(ST0), then push 1.0. */
const fptan = op(1, (u) => {
  u.env.fsw &= ~fp.C2;
  if (!u.isEmpty(7)) return overflowBoth(u);
  if (!fp.trig(u.env, fp.Trig.Tan, u.a[2], u.a[1], u.a[0])) return;
  u.writeR80(0);
  // A NaN result (invalid or NaN operand) is pushed again instead of 1.0.
  if ((fp.R80[2] & 0x7fff) === 0x7fff && fp.R80[1] !== (0x80000000 | 0)) u.push(fp.R80[0], fp.R80[1], fp.R80[2]);
  else u.push(0, 0x80000000 | 0, 0x3fff);
});

/** FSINCOS: ST0 = sin, then push cos. */
const fsincos = op(1, (u) => {
  u.env.fsw &= ~fp.C2;
  if (!u.isEmpty(7)) return overflowBoth(u);
  const env = u.env;
  const saved = env.fsw;
  if (!fp.trig(env, fp.Trig.Cos, u.a[2], u.a[1], u.a[0])) return;
  const cos = [fp.R80[0], fp.R80[1], fp.R80[2]];
  const c1 = env.fsw & fp.C1;
  env.fsw = saved | (env.fsw & fp.EXCEPTIONS);
  if (!fp.trig(env, fp.Trig.Sin, u.a[2], u.a[1], u.a[0])) return;
  env.fsw = (env.fsw & ~fp.C1) | c1;
  u.writeR80(0);
  u.push(cos[0], cos[1], cos[2]);
});

/** FCMOVcc: ST0 = ST(i) when the RFLAGS condition holds. */
function fcmov(cc: number) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const u = x87Of(cpu);
    const sti = i.rm & 7;
    const fop = fopOf(i);
    return () => {
      u.begin();
      u.record(fop, cpu.pageVa + i.pageOff, -1);
      u.env.fsw &= ~fp.C1;
      if (u.isEmpty(0) || u.isEmpty(sti)) {
        if (u.stackFault(false)) {
          u.setIndefiniteR80();
          u.writeR80(0);
        }
      } else if (condition(cpu.lz, cc)) {
        u.read(sti, u.b);
        u.write(0, u.b[0], u.b[1], u.b[2]);
      }
      u.end();
    };
  };
}

export const x87UnaryRows: X86Row[] = [
  { name: 'FTST', enc: 'D9 E4', handler: ftst },
  { name: 'FXAM', enc: 'D9 E5', handler: fxam },
  { name: 'F2XM1', enc: 'D9 F0', handler: unary(fp.f2xm1) },
  { name: 'FYL2X', enc: 'D9 F1', handler: intoSt1(fp.fyl2x) },
  { name: 'FPTAN', enc: 'D9 F2', handler: fptan },
  { name: 'FPATAN', enc: 'D9 F3', handler: intoSt1(fp.fpatan) },
  { name: 'FXTRACT', enc: 'D9 F4', handler: fxtract },
  { name: 'FPREM1', enc: 'D9 F5', handler: binary((e, a, b, c, d, f, g) => fp.prem80(e, a, b, c, d, f, g, true)) },
  { name: 'FPREM', enc: 'D9 F8', handler: binary((e, a, b, c, d, f, g) => fp.prem80(e, a, b, c, d, f, g, false)) },
  { name: 'FYL2XP1', enc: 'D9 F9', handler: intoSt1(fp.fyl2xp1) },
  { name: 'FSQRT', enc: 'D9 FA', handler: unary(fp.sqrt80) },
  { name: 'FSINCOS', enc: 'D9 FB', handler: fsincos },
  { name: 'FRNDINT', enc: 'D9 FC', handler: unary(fp.roundInt80) },
  { name: 'FSCALE', enc: 'D9 FD', handler: binary(fp.scale80) },
  { name: 'FSIN', enc: 'D9 FE', handler: trigOp(fp.Trig.Sin) },
  { name: 'FCOS', enc: 'D9 FF', handler: trigOp(fp.Trig.Cos) },
  { name: 'FCMOVB ST0,ST(i)', enc: 'DA /0 reg', handler: fcmov(2) },
  { name: 'FCMOVE ST0,ST(i)', enc: 'DA /1 reg', handler: fcmov(4) },
  { name: 'FCMOVBE ST0,ST(i)', enc: 'DA /2 reg', handler: fcmov(6) },
  { name: 'FCMOVU ST0,ST(i)', enc: 'DA /3 reg', handler: fcmov(10) },
  { name: 'FCMOVNB ST0,ST(i)', enc: 'DB /0 reg', handler: fcmov(3) },
  { name: 'FCMOVNE ST0,ST(i)', enc: 'DB /1 reg', handler: fcmov(5) },
  { name: 'FCMOVNBE ST0,ST(i)', enc: 'DB /2 reg', handler: fcmov(7) },
  { name: 'FCMOVNU ST0,ST(i)', enc: 'DB /3 reg', handler: fcmov(11) },
];

