// Instruction encoding for the generator, written from the Intel SDM's
// encoding rules (volume 2, chapter 2): legacy prefixes, REX, opcode, ModRM,
// SIB, displacement, immediate; RIP-relative displacements and branch offsets
// are resolved when the block is laid out.

/** RFLAGS bits. */
export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const DF = 0x400;
export const OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;
/** x87 condition codes in the status word. */
export const C0 = 0x100;
export const C1 = 0x200;
export const C2 = 0x400;
export const C3 = 0x4000;
export const FCC = C0 | C1 | C2 | C3;

/** Byte register ids: 0-15 AL..R15B (4-7 are SPL..DIL, which need a REX prefix), 16-19 AH, CH, DH, BH (no REX). */
export const AH = 16;

/** A memory operand as ModRM/SIB/displacement pieces. */
export interface Mem {
  mod: number;
  rm: number;
  sib?: number;
  disp: number[];
  rexX: boolean;
  rexB: boolean;
  addr32: boolean;
  /** RIP-relative: the absolute address the displacement must reach. */
  ripTarget?: number;
  /** The address the operand reaches (for the generator's bookkeeping). */
  address: number;
}

export interface Effects {
  /** RFLAGS bits the instruction reads, writes in every case, and may leave undefined. */
  reads?: number;
  writes?: number;
  undef?: number;
  /** x87 condition codes read, written, left undefined. */
  fswReads?: number;
  fswWrites?: number;
  fswUndef?: number;
  /** GPRs whose value becomes undefined (bit n = register n). */
  poison?: number;
}

export interface Insn extends Required<Effects> {
  head: number[];
  ripTarget?: number;
  imm: number[];
  branch?: { target: number; shortOp: number[]; nearOp?: number[]; near: boolean };
  /** GPRs named by the encoding (bit n = register n), for the undefined-register check. */
  uses: number;
  name: string;
}

export interface Spec extends Effects {
  name: string;
  /** Legacy prefixes in order (66, 67, F0, F2, F3, segments); a mandatory prefix goes last. */
  pre?: number[];
  w?: boolean;
  op: number[];
  /** ModRM.reg: a register number or an opcode extension (/digit). */
  reg?: number;
  regByte?: boolean;
  /** Whether `reg` names a GPR (for the undefined-register check). */
  regIsGpr?: boolean;
  rm?: number | Mem;
  rmByte?: boolean;
  rmIsGpr?: boolean;
  /** Register in the low three bits of the last opcode byte. */
  opReg?: number;
  opRegByte?: boolean;
  imm?: number[];
  /** Extra GPRs the instruction uses implicitly. */
  implicit?: number;
  /** Let the encoder add a redundant REX (0x40) now and then. */
  redundantRex?: boolean;
}

const isMem = (x: number | Mem | undefined): x is Mem => typeof x === 'object';

/** The 3-bit field and whether REX.R/B is needed for a register (or byte register id). */
function field(id: number, byte: boolean): { bits: number; ext: boolean; needRex: boolean; noRex: boolean } {
  if (byte && id >= AH) return { bits: id - 12, ext: false, needRex: false, noRex: true };
  return { bits: id & 7, ext: id >= 8, needRex: byte && id >= 4 && id < 8, noRex: false };
}

/** Full GPR number a (byte) register id lives in. */
export function gprOf(id: number, byte = false): number {
  return byte && id >= AH ? id - AH : id;
}

export function encode(s: Spec, extraRex = false): Insn {
  let rex = s.w ? 0x48 : 0;
  let needRex = false;
  let noRex = false;
  let uses = s.implicit ?? 0;
  const head: number[] = [...(s.pre ?? [])];
  if (isMem(s.rm) && s.rm.addr32) head.unshift(0x67);
  let modrm: number | undefined;
  const tail: number[] = [];
  let ripTarget: number | undefined;
  if (s.reg !== undefined) {
    const f = field(s.reg, !!s.regByte);
    if (f.ext) rex |= 0x44;
    needRex ||= f.needRex;
    noRex ||= f.noRex;
    if (s.regIsGpr) uses |= 1 << gprOf(s.reg, s.regByte);
    modrm = f.bits << 3;
  }
  if (s.rm !== undefined) {
    modrm ??= 0;
    if (isMem(s.rm)) {
      const m = s.rm;
      modrm |= (m.mod << 6) | m.rm;
      if (m.rexX) rex |= 0x42;
      if (m.rexB) rex |= 0x41;
      if (m.sib !== undefined) tail.push(m.sib);
      if (m.ripTarget !== undefined) ripTarget = m.ripTarget;
      else tail.push(...m.disp);
    } else {
      const f = field(s.rm, !!s.rmByte);
      modrm |= 0xc0 | f.bits;
      if (f.ext) rex |= 0x41;
      needRex ||= f.needRex;
      noRex ||= f.noRex;
      if (s.rmIsGpr) uses |= 1 << gprOf(s.rm, s.rmByte);
    }
  }
  const op = [...s.op];
  if (s.opReg !== undefined) {
    const f = field(s.opReg, !!s.opRegByte);
    if (f.ext) rex |= 0x41;
    needRex ||= f.needRex;
    noRex ||= f.noRex;
    uses |= 1 << gprOf(s.opReg, s.opRegByte);
    op[op.length - 1] |= f.bits;
  }
  if (noRex && (rex || needRex)) throw new Error(`${s.name}: AH..BH with a REX prefix`);
  if (needRex || (extraRex && !noRex)) rex |= 0x40;
  if (rex) head.push(rex);
  head.push(...op);
  if (modrm !== undefined) head.push(modrm);
  head.push(...tail);
  return {
    head, ripTarget, imm: s.imm ?? [], uses, name: s.name,
    reads: s.reads ?? 0, writes: s.writes ?? 0, undef: s.undef ?? 0,
    fswReads: s.fswReads ?? 0, fswWrites: s.fswWrites ?? 0, fswUndef: s.fswUndef ?? 0, poison: s.poison ?? 0,
  };
}

export function insnLength(i: Insn): number {
  if (i.branch) return i.head.length + (i.branch.near ? i.branch.nearOp!.length + 4 : i.branch.shortOp.length + 1);
  return i.head.length + (i.ripTarget !== undefined ? 4 : 0) + i.imm.length;
}

export function le(v: number, bytes: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < bytes; k++) out.push(k < 4 ? (v >>> (8 * k)) & 0xff : v < 0 ? 0xff : 0);
  return out;
}

export const fitsS8 = (v: number) => v >= -128 && v <= 127;

/**
 * Lays a block out at `base`: offsets, branch forms (short when the target is in
 * reach, else near when the instruction has one) and displacements. Null when a
 * short-only branch (LOOP, JRCXZ) cannot reach its target.
 */
export function layout(insns: Insn[], base: number): { code: Uint8Array; offsets: number[] } | null {
  for (let pass = 0; pass < 8; pass++) {
    const offsets = [0];
    for (const i of insns) offsets.push(offsets[offsets.length - 1] + insnLength(i));
    let changed = false;
    const bytes: number[] = [];
    insns.forEach((i, k) => {
      const end = offsets[k + 1];
      if (i.branch) {
        const rel = offsets[i.branch.target] - end;
        if (!i.branch.near && !fitsS8(rel)) {
          if (!i.branch.nearOp) return;
          i.branch.near = true;
          changed = true;
        }
        bytes.push(...i.head, ...(i.branch.near ? [...i.branch.nearOp!, ...le(rel, 4)] : [...i.branch.shortOp, rel & 0xff]));
        return;
      }
      bytes.push(...i.head);
      if (i.ripTarget !== undefined) bytes.push(...le(i.ripTarget - (base + end), 4));
      bytes.push(...i.imm);
    });
    if (changed) continue;
    if (bytes.length !== offsets[insns.length]) return null;
    return { code: Uint8Array.from(bytes), offsets };
  }
  return null;
}
