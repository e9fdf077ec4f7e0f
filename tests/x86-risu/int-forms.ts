// Operand forms shared by the integer groups: widths, register/memory
// operands with their prefixes, and condition-code flag reads.

import { AF, CF, gprOf, Mem, OF, PF, Spec, SF, ZF } from './encoder';
import { Gen } from './generator';

export type Width = 8 | 16 | 32 | 64;

/** Flags a condition code (the low nibble of Jcc/SETcc/CMOVcc) reads. */
export const CC_READS = [OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF, ZF | SF | OF, ZF | SF | OF];
export const LOGIC_UNDEF = AF;

export function sizePrefix(w: Width): number[] {
  return w === 16 ? [0x66] : [];
}

/** Immediate bytes for a width (imm32 sign-extended at 64). */
export function immFor(g: Gen, w: Width): number[] {
  return g.imm(w === 8 ? 1 : w === 16 ? 2 : 4);
}

/**
 * An r/m operand and a reg operand of width w: `rmDst`/`regDst` say which one
 * the instruction writes. Memory operands come with a chance of `memChance`.
 */
export interface Operands {
  w: Width;
  reg: number;
  rm: number | Mem;
  mem: boolean;
}

export function operands(g: Gen, w: Width, o: { regDst?: boolean; rmDst?: boolean; memChance?: number; noMem?: boolean }): Operands {
  const useMem = !o.noMem && g.rng.chance(o.memChance ?? 0.35);
  if (w !== 8) {
    const reg = o.regDst ? g.dst() : g.gpr();
    const rm = useMem ? g.mem(w / 8) : o.rmDst ? g.dst() : g.gpr();
    return { w, reg, rm, mem: useMem };
  }
  if (useMem) {
    const m = g.mem(1);
    const rex = m.rexB || m.rexX ? true : undefined;
    return { w, reg: g.byteReg(rex, !!o.regDst), rm: m, mem: true };
  }
  const reg = g.byteReg(undefined, !!o.regDst);
  const rex = reg >= 16 ? false : reg >= 4 ? true : undefined;
  return { w, reg, rm: g.byteReg(rex, !!o.rmDst), mem: false };
}

/** Spec fields for a ModRM instruction with these operands at width w (prefix 66, REX.W, byte registers). */
export function modrmSpec(o: Operands): Pick<Spec, 'pre' | 'w' | 'reg' | 'rm' | 'regByte' | 'rmByte' | 'regIsGpr' | 'rmIsGpr'> {
  return {
    pre: sizePrefix(o.w),
    w: o.w === 64,
    reg: o.reg,
    rm: o.rm,
    regByte: o.w === 8,
    rmByte: o.w === 8,
    regIsGpr: true,
    rmIsGpr: !o.mem,
  };
}

/** An r/m operand alone (the reg field holds an opcode extension). */
export function rmOnly(g: Gen, w: Width, dst: boolean, memChance = 0.35): { rm: number | Mem; mem: boolean } {
  if (g.rng.chance(memChance)) return { rm: g.mem(w / 8), mem: true };
  if (w === 8) return { rm: g.byteReg(undefined, dst), mem: false };
  return { rm: dst ? g.dst() : g.gpr(), mem: false };
}

export function extSpec(w: Width, digit: number, rm: number | Mem, mem: boolean): Pick<Spec, 'pre' | 'w' | 'reg' | 'rm' | 'rmByte' | 'rmIsGpr'> {
  return { pre: sizePrefix(w), w: w === 64, reg: digit, rm, rmByte: w === 8, rmIsGpr: !mem };
}

/** A LOCK prefix now and then on a memory read-modify-write. */
export function lockPre(g: Gen, mem: boolean): number[] {
  return mem && g.rng.chance(0.3) ? [0xf0] : [];
}

/** Whether a byte register id's full register may be written. */
export function byteWritable(g: Gen, id: number): boolean {
  return g.writable(gprOf(id, true));
}
