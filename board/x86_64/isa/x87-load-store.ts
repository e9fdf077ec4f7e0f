// x87 loads and stores: FLD/FST/FSTP (m32fp, m64fp, m80fp, ST(i)),
// FILD/FIST/FISTP/FISTTP (m16, m32, m64), FBLD/FBSTP, the constants
// (FLD1, FLDZ, FLDPI, ...), FXCH, FFREE, FCHS, FABS, FINCSTP, FDECSTP.

import type { X86Cpu } from '../cpu';
import { Misc } from '../cpu-state';
import type { X86Insn, X86Op, X86Row } from '../decoder';
import { effectiveAddress } from '../operands';
import * as fp from '../../fp80';
import { fopOf, X87, x87Of } from './x87-state';

type Body = (u: X87, addr: number) => void;

/** A waiting x87 instruction with a memory operand: begin, body, record, end. */
function memInsn(body: Body) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const u = x87Of(cpu);
    const ea = effectiveAddress(i, cpu);
    const fop = fopOf(i);
    return () => {
      u.begin();
      const addr = ea();
      body(u, addr);
      u.record(fop, cpu.pageVa + i.pageOff, addr);
      u.end();
    };
  };
}

/** A waiting x87 instruction without a memory operand (ST(i) = ModRM.rm). */
function regInsn(body: (u: X87, sti: number) => void) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const u = x87Of(cpu);
    const sti = i.rm & 7;
    const fop = fopOf(i);
    return () => {
      u.begin();
      body(u, sti);
      u.record(fop, cpu.pageVa + i.pageOff, -1);
      u.end();
    };
  };
}

function pushR80(u: X87): void {
  u.push(fp.R80[0], fp.R80[1], fp.R80[2]);
}

// -- loads

const fldF32: Body = (u, addr) => {
  const bits = u.cpu.mem.read32(addr);
  u.env.fsw &= ~fp.C1;
  if (!u.isEmpty(7)) return void u.push(0, 0, 0);
  if (fp.fromF32(u.env, bits)) pushR80(u);
};

const fldF64: Body = (u, addr) => {
  const t = u.cpu.t;
  u.cpu.mem.read64(addr, t, 0);
  u.env.fsw &= ~fp.C1;
  if (!u.isEmpty(7)) return void u.push(0, 0, 0);
  if (fp.fromF64(u.env, t[0], t[1])) pushR80(u);
};

const fldF80: Body = (u, addr) => {
  const t = u.cpu.t;
  u.cpu.mem.read64(addr, t, 0);
  const se = u.cpu.mem.read16(addr + 8);
  u.env.fsw &= ~fp.C1;
  u.push(t[0], t[1], se);
};

function fild(bytes: 2 | 4 | 8): Body {
  return (u, addr) => {
    const mem = u.cpu.mem;
    const t = u.cpu.t;
    if (bytes === 8) mem.read64(addr, t, 0);
    else {
      t[0] = bytes === 2 ? (mem.read16(addr) << 16) >> 16 : mem.read32(addr);
      t[1] = t[0] >> 31;
    }
    u.env.fsw &= ~fp.C1;
    fp.fromInt64(t[0], t[1]);
    pushR80(u);
  };
}

const fbld: Body = (u, addr) => {
  const bytes = new Uint8Array(10);
  for (let k = 0; k < 10; k++) bytes[k] = u.cpu.mem.read8(addr + k);
  u.env.fsw &= ~fp.C1;
  fp.fromBcd(bytes);
  pushR80(u);
};

// -- stores

/** Stores ST0 through `put` (which writes R80 to memory and returns false for nothing stored); pops when asked. */
function storeTop(u: X87, pop: boolean, convert: () => boolean, indefinite: () => void, put: () => void): void {
  u.env.fsw &= ~fp.C1;
  if (u.isEmpty(0)) {
    if (!u.stackFault(false)) return;
    indefinite();
    put();
  } else {
    u.read(0, u.a);
    if (!convert()) return;
    put();
  }
  if (pop) u.pop();
}

function fstFloat(dest: fp.Dest.Single | fp.Dest.Double, pop: boolean): Body {
  return (u, addr) => {
    const mem = u.cpu.mem;
    mem.probeWrite(addr, dest === fp.Dest.Single ? 4 : 8);
    storeTop(
      u,
      pop,
      () => fp.toFloat(u.env, u.a[2], u.a[1], u.a[0], dest),
      () => {
        fp.R80[0] = dest === fp.Dest.Single ? 0xffc00000 | 0 : 0;
        fp.R80[1] = 0xfff80000 | 0;
      },
      () => (dest === fp.Dest.Single ? mem.write32(addr, fp.R80[0]) : mem.write64v(addr, fp.R80[0], fp.R80[1])),
    );
  };
}

function fstp80(u: X87, addr: number): void {
  const mem = u.cpu.mem;
  mem.probeWrite(addr, 10);
  storeTop(
    u,
    true,
    () => {
      fp.R80.set(u.a);
      return true;
    },
    () => u.setIndefiniteR80(),
    () => {
      mem.write64v(addr, fp.R80[0], fp.R80[1]);
      mem.write16(addr + 8, fp.R80[2]);
    },
  );
}

function fist(bits: 16 | 32 | 64, pop: boolean, chop: boolean): Body {
  return (u, addr) => {
    const mem = u.cpu.mem;
    mem.probeWrite(addr, bits / 8);
    storeTop(
      u,
      pop,
      () => fp.toInt(u.env, u.a[2], u.a[1], u.a[0], bits, chop),
      () => {
        fp.R80[0] = bits === 16 ? 0x8000 : bits === 32 ? 0x80000000 | 0 : 0;
        fp.R80[1] = 0x80000000 | 0;
      },
      () => (bits === 16 ? mem.write16(addr, fp.R80[0]) : bits === 32 ? mem.write32(addr, fp.R80[0]) : mem.write64v(addr, fp.R80[0], fp.R80[1])),
    );
  };
}

const fbstp: Body = (u, addr) => {
  const mem = u.cpu.mem;
  mem.probeWrite(addr, 10);
  const out = new Uint8Array(10);
  storeTop(
    u,
    true,
    () => fp.toBcd(u.env, u.a[2], u.a[1], u.a[0], out),
    () => out.set([0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff]),
    () => {
      for (let k = 0; k < 10; k++) mem.write8(addr + k, out[k]);
    },
  );
};

// -- register forms

function fldSti(u: X87, sti: number): void {
  u.env.fsw &= ~fp.C1;
  if (u.isEmpty(sti)) {
    if (!u.stackFault(false)) return;
    u.setIndefiniteR80();
  } else {
    u.read(sti, u.a);
    fp.R80.set(u.a);
  }
  pushR80(u);
}

function fstSti(pop: boolean) {
  return (u: X87, sti: number): void => {
    u.env.fsw &= ~fp.C1;
    if (u.isEmpty(0)) {
      if (!u.stackFault(false)) return;
      u.setIndefiniteR80();
    } else {
      u.read(0, u.a);
      fp.R80.set(u.a);
    }
    u.writeR80(sti);
    if (pop) u.pop();
  };
}

function fxch(u: X87, sti: number): void {
  u.env.fsw &= ~fp.C1;
  if (u.isEmpty(0) || u.isEmpty(sti)) {
    if (!u.stackFault(false)) return;
    u.setIndefiniteR80();
    if (u.isEmpty(0)) u.writeR80(0);
    if (u.isEmpty(sti)) u.writeR80(sti);
  }
  u.read(0, u.a);
  u.read(sti, u.b);
  u.write(0, u.b[0], u.b[1], u.b[2]);
  u.write(sti, u.a[0], u.a[1], u.a[2]);
}

function ffree(pop: boolean) {
  return (u: X87, sti: number): void => {
    u.misc[Misc.FpuEmpty] |= 1 << u.phys(sti);
    if (pop) u.pop();
  };
}

/** FCHS (flip) and FABS (clear) on the sign; no exception but stack underflow. */
function signOp(flip: boolean) {
  return (u: X87): void => {
    u.env.fsw &= ~fp.C1;
    if (u.isEmpty(0)) {
      if (!u.stackFault(false)) return;
      u.setIndefiniteR80();
      u.writeR80(0);
      return;
    }
    u.read(0, u.a);
    u.write(0, u.a[0], u.a[1], flip ? u.a[2] ^ 0x8000 : u.a[2] & 0x7fff);
  };
}

function stackStep(delta: number) {
  return (u: X87): void => {
    u.env.fsw &= ~fp.C1;
    u.misc[Misc.FpuTop] = (u.misc[Misc.FpuTop] + delta) & 7;
  };
}

function constant(name: fp.ConstantName | 'one' | 'zero') {
  return (u: X87): void => {
    u.env.fsw &= ~fp.C1;
    if (name === 'one') fp.R80.set([0, 0x80000000 | 0, 0x3fff]);
    else if (name === 'zero') fp.R80.set([0, 0, 0]);
    else fp.loadConstant(u.env, name);
    pushR80(u);
  };
}

const fnop = (): void => {};

export const x87LoadStoreRows: X86Row[] = [
  { name: 'FLD m32fp', enc: 'D9 /0 mem', handler: memInsn(fldF32) },
  { name: 'FST m32fp', enc: 'D9 /2 mem', handler: memInsn(fstFloat(fp.Dest.Single, false)) },
  { name: 'FSTP m32fp', enc: 'D9 /3 mem', handler: memInsn(fstFloat(fp.Dest.Single, true)) },
  { name: 'FLD m64fp', enc: 'DD /0 mem', handler: memInsn(fldF64) },
  { name: 'FST m64fp', enc: 'DD /2 mem', handler: memInsn(fstFloat(fp.Dest.Double, false)) },
  { name: 'FSTP m64fp', enc: 'DD /3 mem', handler: memInsn(fstFloat(fp.Dest.Double, true)) },
  { name: 'FLD m80fp', enc: 'DB /5 mem', handler: memInsn(fldF80) },
  { name: 'FSTP m80fp', enc: 'DB /7 mem', handler: memInsn(fstp80) },
  { name: 'FILD m16int', enc: 'DF /0 mem', handler: memInsn(fild(2)) },
  { name: 'FILD m32int', enc: 'DB /0 mem', handler: memInsn(fild(4)) },
  { name: 'FILD m64int', enc: 'DF /5 mem', handler: memInsn(fild(8)) },
  { name: 'FIST m16int', enc: 'DF /2 mem', handler: memInsn(fist(16, false, false)) },
  { name: 'FISTP m16int', enc: 'DF /3 mem', handler: memInsn(fist(16, true, false)) },
  { name: 'FIST m32int', enc: 'DB /2 mem', handler: memInsn(fist(32, false, false)) },
  { name: 'FISTP m32int', enc: 'DB /3 mem', handler: memInsn(fist(32, true, false)) },
  { name: 'FISTP m64int', enc: 'DF /7 mem', handler: memInsn(fist(64, true, false)) },
  { name: 'FISTTP m16int', enc: 'DF /1 mem', handler: memInsn(fist(16, true, true)) },
  { name: 'FISTTP m32int', enc: 'DB /1 mem', handler: memInsn(fist(32, true, true)) },
  { name: 'FISTTP m64int', enc: 'DD /1 mem', handler: memInsn(fist(64, true, true)) },
  { name: 'FBLD m80bcd', enc: 'DF /4 mem', handler: memInsn(fbld) },
  { name: 'FBSTP m80bcd', enc: 'DF /6 mem', handler: memInsn(fbstp) },
  { name: 'FLD ST(i)', enc: 'D9 /0 reg', handler: regInsn(fldSti) },
  { name: 'FXCH ST(i)', enc: 'D9 /1 reg', handler: regInsn(fxch) },
  { name: 'FXCH4 ST(i)', enc: 'DD /1 reg', handler: regInsn(fxch) },
  { name: 'FXCH7 ST(i)', enc: 'DF /1 reg', handler: regInsn(fxch) },
  { name: 'FST ST(i)', enc: 'DD /2 reg', handler: regInsn(fstSti(false)) },
  { name: 'FSTP ST(i)', enc: 'DD /3 reg', handler: regInsn(fstSti(true)) },
  { name: 'FSTP1 ST(i)', enc: 'D9 /3 reg', handler: regInsn(fstSti(true)) },
  { name: 'FSTP8 ST(i)', enc: 'DF /2 reg', handler: regInsn(fstSti(true)) },
  { name: 'FSTP9 ST(i)', enc: 'DF /3 reg', handler: regInsn(fstSti(true)) },
  { name: 'FFREE ST(i)', enc: 'DD /0 reg', handler: regInsn(ffree(false)) },
  { name: 'FFREEP ST(i)', enc: 'DF /0 reg', handler: regInsn(ffree(true)) },
  { name: 'FNOP', enc: 'D9 D0', handler: regInsn(fnop) },
  { name: 'FCHS', enc: 'D9 E0', handler: regInsn(signOp(true)) },
  { name: 'FABS', enc: 'D9 E1', handler: regInsn(signOp(false)) },
  { name: 'FLD1', enc: 'D9 E8', handler: regInsn(constant('one')) },
  { name: 'FLDL2T', enc: 'D9 E9', handler: regInsn(constant('l2t')) },
  { name: 'FLDL2E', enc: 'D9 EA', handler: regInsn(constant('l2e')) },
  { name: 'FLDPI', enc: 'D9 EB', handler: regInsn(constant('pi')) },
  { name: 'FLDLG2', enc: 'D9 EC', handler: regInsn(constant('lg2')) },
  { name: 'FLDLN2', enc: 'D9 ED', handler: regInsn(constant('ln2')) },
  { name: 'FLDZ', enc: 'D9 EE', handler: regInsn(constant('zero')) },
  { name: 'FDECSTP', enc: 'D9 F6', handler: regInsn(stackStep(7)) },
  { name: 'FINCSTP', enc: 'D9 F7', handler: regInsn(stackStep(1)) },
];
