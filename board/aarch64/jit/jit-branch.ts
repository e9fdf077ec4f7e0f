// A block's last instruction when it is a branch: B, BL, B.cond, CBZ/CBNZ,
// TBZ/TBNZ, BR, BLR, RET. Each pushes the next PC (f64, pageVa + offset or
// the register's value as a JS number, as the interpreter computes it) and
// says where a direct branch goes, so a self-loop can repeat in place.

import { bit, bits, sbits } from '../decoder';
import { i64n } from './jit-alu';
import { Jit, P_PAGE_VA } from './jit-context';
import { Op, T } from '../../jit/wasm-module';

export interface BranchExit {
  /** Page offset of a direct branch's target, or undefined for a branch to a register. */
  readonly target?: number;
}

/** Pushes cond ? pageVa + target : pageVa + next (the i32 condition is on the stack). */
function choose(j: Jit, target: number, next: number): void {
  const t = j.tmp(T.I32);
  j.code.set(t);
  j.pcF64(target);
  j.pcF64(next);
  j.code.get(t).op(Op.Select);
  if (j.links !== undefined) {
    // The exit's link: the taken branch's or the next instruction's.
    const pc = j.tmp(T.F64);
    j.code.set(pc).i32(j.links.link(`t${target}`)).i32(j.links.link(`t${next}`)).get(t).op(Op.Select);
    j.exitSiteValue();
    j.code.get(pc);
    j.free(T.F64, pc);
  }
  j.free(T.I32, t);
}

function link(j: Jit, pageOff: number): void {
  j.code.get(j.pageVa64);
  i64n(j, pageOff + 4);
  j.code.op(Op.I64Add);
  j.setX(30, 1);
}

/** Emits the branch at page offset `pageOff`, leaving the next PC on the stack; null when insn is not one of these branches. */
export function translateBranch(j: Jit, insn: number, pageOff: number): BranchExit | null {
  const c = j.code;
  const next = pageOff + 4;
  if ((insn & 0x7c000000) === 0x14000000) {
    const target = pageOff + sbits(insn, 25, 0) * 4;
    if (bit(insn, 31) === 1) link(j, pageOff);
    j.exitSite(`t${target}`);
    j.pcF64(target);
    return { target };
  }
  if ((insn & 0xff000010) === 0x54000000) {
    const target = pageOff + sbits(insn, 23, 5) * 4;
    j.condition(bits(insn, 3, 0));
    choose(j, target, next);
    return { target };
  }
  if ((insn & 0x7e000000) === 0x34000000) {
    const target = pageOff + sbits(insn, 23, 5) * 4;
    const rt = bits(insn, 4, 0);
    (bit(insn, 31) === 1 ? j.x(rt) : j.wz(rt)).code.op(Op.I64Eqz);
    if (bit(insn, 24) === 1) c.op(Op.I32Eqz);
    choose(j, target, next);
    return { target };
  }
  if ((insn & 0x7e000000) === 0x36000000) {
    const target = pageOff + sbits(insn, 18, 5) * 4;
    const pos = (bit(insn, 31) << 5) | bits(insn, 23, 19);
    j.x(bits(insn, 4, 0)).code.i64(pos).op(Op.I64ShrU).i64(1).op(Op.I64And, Op.I64Eqz);
    if (bit(insn, 24) === 1) c.op(Op.I32Eqz);
    choose(j, target, next);
    return { target };
  }
  const kind = (insn & 0xfffffc1f) >>> 0;
  if (kind === 0xd61f0000 || kind === 0xd63f0000 || kind === 0xd65f0000) {
    j.exitSite(`d${pageOff}`);
    j.x(bits(insn, 9, 5)).code.op(Op.F64ConvertI64S);
    if (kind === 0xd63f0000) {
      const t = j.tmp(T.F64);
      c.set(t);
      link(j, pageOff);
      c.get(t);
      j.free(T.F64, t);
    }
    return {};
  }
  void P_PAGE_VA;
  return null;
}
