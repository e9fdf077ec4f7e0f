// Our side of the oracle: the same operation as oracle.c runs, done by the
// extended-precision library on a minimal x87 frame (ST0 = A, ST1 = B, TOP = 6),
// printed in the oracle's output format.

import * as fp from '../../../board/fp80';
import { parseV80, v80Hex, V80 } from './cases';

interface Frame {
  env: fp.X87Env;
  top: number;
  st: V80[]; // st[0] = ST0 ...
  mem: Uint8Array;
  ah: number;
}

type OpFn = (f: Frame) => void;

function r80(): V80 {
  return { se: fp.R80[2], hi: fp.R80[1], lo: fp.R80[0] };
}

function arith(fn: (env: fp.X87Env, a: V80, b: V80) => boolean, reverse = false): OpFn {
  return (f) => {
    f.env.fsw &= ~fp.C1;
    const [x, y] = reverse ? [f.st[1], f.st[0]] : [f.st[0], f.st[1]];
    if (fn(f.env, x, y)) f.st[0] = r80();
  };
}

const add = (e: fp.X87Env, a: V80, b: V80) => fp.add80(e, a.se, a.hi, a.lo, b.se, b.hi, b.lo, false);
const sub = (e: fp.X87Env, a: V80, b: V80) => fp.add80(e, a.se, a.hi, a.lo, b.se, b.hi, b.lo, true);
const mul = (e: fp.X87Env, a: V80, b: V80) => fp.mul80(e, a.se, a.hi, a.lo, b.se, b.hi, b.lo);
const div = (e: fp.X87Env, a: V80, b: V80) => fp.div80(e, a.se, a.hi, a.lo, b.se, b.hi, b.lo);

const ZERO: V80 = { se: 0, hi: 0, lo: 0 };

function push(f: Frame, v: V80): void {
  f.top = (f.top + 7) & 7;
  f.st = [v, f.st[0]];
}

function pop(f: Frame): void {
  f.top = (f.top + 1) & 7;
  f.st = [f.st[1], ZERO];
}

function memLoad(f: Frame, n: number): number[] {
  const w: number[] = [];
  for (let i = 0; i < n; i += 4) w.push(f.mem[i] | (f.mem[i + 1] << 8) | (f.mem[i + 2] << 16) | (f.mem[i + 3] << 24));
  return w;
}

function memStore(f: Frame, bytes: number, words: ArrayLike<number>): void {
  for (let i = 0; i < bytes; i++) f.mem[i] = (words[i >> 2] >>> (8 * (i & 3))) & 0xff;
}

function store(dest: fp.Dest.Single | fp.Dest.Double): OpFn {
  return (f) => {
    f.env.fsw &= ~fp.C1;
    const a = f.st[0];
    if (fp.toFloat(f.env, a.se, a.hi, a.lo, dest)) memStore(f, dest === fp.Dest.Single ? 4 : 8, fp.R80);
  };
}

function load(n: 32 | 64): OpFn {
  return (f) => {
    f.env.fsw &= ~fp.C1;
    const w = memLoad(f, n / 8);
    if (n === 32 ? fp.fromF32(f.env, w[0]) : fp.fromF64(f.env, w[0], w[1])) push(f, r80());
  };
}

function fist(bits: 16 | 32 | 64, chop: boolean, pops: boolean): OpFn {
  return (f) => {
    f.env.fsw &= ~fp.C1;
    const a = f.st[0];
    const ok = fp.toInt(f.env, a.se, a.hi, a.lo, bits, chop);
    if (ok) memStore(f, bits / 8, fp.R80);
    if (pops && ok) pop(f);
  };
}

function unary(fn: (env: fp.X87Env, a: V80) => boolean): OpFn {
  return (f) => {
    f.env.fsw &= ~fp.C1;
    if (fn(f.env, f.st[0])) f.st[0] = r80();
  };
}

function compare(quiet: boolean, eflags: boolean, withZero = false): OpFn {
  return (f) => {
    f.env.fsw &= ~(fp.C0 | fp.C1 | fp.C2 | fp.C3);
    const a = f.st[0];
    const b = withZero ? ZERO : f.st[1];
    const o = fp.compare80(f.env, a.se, a.hi, a.lo, b.se, b.hi, b.lo, quiet);
    if (o < 0) return;
    if (eflags) f.ah = fp.orderToEflags(o);
    else f.env.fsw |= o;
  };
}

function constant(name: fp.ConstantName | 'one'): OpFn {
  return (f) => {
    f.env.fsw &= ~fp.C1;
    if (name === 'one') fp.R80.set([0, 0x80000000 | 0, 0x3fff]);
    else fp.loadConstant(f.env, name);
    push(f, r80());
  };
}

function intoSt1(fn: (env: fp.X87Env, xSe: number, xHi: number, xLo: number, ySe: number, yHi: number, yLo: number) => boolean): OpFn {
  return (f) => {
    f.env.fsw &= ~fp.C1;
    const [x, y] = f.st;
    if (fn(f.env, x.se, x.hi, x.lo, y.se, y.hi, y.lo)) {
      f.st[1] = r80();
      pop(f);
    }
  };
}

function trigOp(which: fp.Trig, pushOne = false): OpFn {
  return (f) => {
    f.env.fsw &= ~(fp.C1 | fp.C2);
    const a = f.st[0];
    if (!fp.trig(f.env, which, a.se, a.hi, a.lo)) return;
    f.st[0] = r80();
    const nan = (fp.R80[2] & 0x7fff) === 0x7fff && fp.R80[1] !== (0x80000000 | 0);
    if (pushOne) push(f, nan ? r80() : { se: 0x3fff, hi: 0x80000000 | 0, lo: 0 });
  };
}

export const OPS: Record<string, OpFn> = {
  f2xm1: unary((e, a) => fp.f2xm1(e, a.se, a.hi, a.lo)),
  fyl2x: intoSt1(fp.fyl2x),
  fyl2xp1: intoSt1(fp.fyl2xp1),
  fpatan: intoSt1(fp.fpatan),
  fsin: trigOp(fp.Trig.Sin),
  fcos: trigOp(fp.Trig.Cos),
  fptan: trigOp(fp.Trig.Tan, true),
  fsincos: (f) => {
    f.env.fsw &= ~(fp.C1 | fp.C2);
    const a = f.st[0];
    const env = f.env;
    const before = env.fsw;
    if (!fp.trig(env, fp.Trig.Cos, a.se, a.hi, a.lo)) return;
    const cos = r80();
    const c1 = env.fsw & fp.C1;
    env.fsw = before | (env.fsw & fp.EXCEPTIONS);
    fp.trig(env, fp.Trig.Sin, a.se, a.hi, a.lo);
    env.fsw = (env.fsw & ~fp.C1) | c1;
    f.st[0] = r80();
    push(f, cos);
  },
  frndint: unary((e, a) => fp.roundInt80(e, a.se, a.hi, a.lo)),
  fscale: arith((e, a, b) => fp.scale80(e, a.se, a.hi, a.lo, b.se, b.hi, b.lo)),
  fprem: arith((e, a, b) => fp.prem80(e, a.se, a.hi, a.lo, b.se, b.hi, b.lo, false)),
  fprem1: arith((e, a, b) => fp.prem80(e, a.se, a.hi, a.lo, b.se, b.hi, b.lo, true)),
  fxtract: (f) => {
    f.env.fsw &= ~fp.C1;
    const a = f.st[0];
    if (!fp.extract80(f.env, a.se, a.hi, a.lo)) return;
    f.st[0] = { se: fp.EXPONENT[2], hi: fp.EXPONENT[1], lo: fp.EXPONENT[0] };
    push(f, r80());
  },
  fcom: compare(false, false),
  fucom: compare(true, false),
  fcomi: compare(false, true),
  fucomi: compare(true, true),
  ftst: compare(false, false, true),
  fxam: (f) => {
    f.env.fsw = (f.env.fsw & ~(fp.C0 | fp.C1 | fp.C2 | fp.C3)) | fp.examine80(f.st[0].se, f.st[0].hi, f.st[0].lo);
  },
  fld1: constant('one'),
  fldl2t: constant('l2t'),
  fldl2e: constant('l2e'),
  fldpi: constant('pi'),
  fldlg2: constant('lg2'),
  fldln2: constant('ln2'),
  fbld: (f) => {
    f.env.fsw &= ~fp.C1;
    fp.fromBcd(f.mem);
    push(f, r80());
  },
  fbstp: (f) => {
    f.env.fsw &= ~fp.C1;
    const a = f.st[0];
    if (fp.toBcd(f.env, a.se, a.hi, a.lo, f.mem)) pop(f);
  },
  fst32: store(fp.Dest.Single),
  fst64: store(fp.Dest.Double),
  fld32: load(32),
  fld64: load(64),
  fist16: fist(16, false, false),
  fist32: fist(32, false, false),
  fist64: fist(64, false, true),
  fisttp16: fist(16, true, true),
  fisttp32: fist(32, true, true),
  fisttp64: fist(64, true, true),
  add: arith(add),
  sub: arith(sub),
  subr: arith(sub, true),
  mul: arith(mul),
  div: arith(div),
  divr: arith(div, true),
  sqrt: arith((e, a) => fp.sqrt80(e, a.se, a.hi, a.lo)),
};

/** Runs one oracle input line through the library; returns the oracle's output line. */
export function runLine(line: string): string {
  const [op, fcwHex, a, b, m] = line.split(' ');
  const fn = OPS[op];
  if (!fn) throw new Error(`model: no op ${op}`);
  const mem = new Uint8Array(10);
  for (let i = 0; i < 10; i++) mem[i] = parseInt(m.slice(2 * i, 2 * i + 2), 16);
  const f: Frame = { env: { fcw: parseInt(fcwHex, 16), fsw: 0 }, top: 6, st: [parseV80(a), parseV80(b)], mem, ah: 0x44 };
  fn(f);
  let fsw = f.env.fsw & ~0x3800;
  if (fsw & ~f.env.fcw & fp.EXCEPTIONS) fsw |= fp.ES | 0x8000;
  fsw |= (f.top & 7) << 11;
  const memHex = Array.from(f.mem, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${fsw.toString(16).padStart(4, '0')} ${v80Hex(f.st[0])} ${v80Hex(f.st[1])} ${memHex} ${f.ah.toString(16).padStart(2, '0')}`;
}
