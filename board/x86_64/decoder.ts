// The x86-64 decoder: prefixes, REX, the opcode maps (one-byte, 0F, 0F38,
// 0F3A), ModRM/SIB/displacement and immediates, driven by a table of rows.
// A row names one opcode form, written as the SDM writes it:
//
//   '01 /r'            ADD Ev, Gv           '80 /0 ib'      ADD Eb, Ib
//   'B8+r iv'          MOV r, imm           'F3 0F B8 /r'   POPCNT
//   '66 0F 6F /r'      MOVDQA (mandatory 66) 'NP 0F 10 /r'  MOVUPS (no 66/F2/F3)
//   '0F 01 /7 mem'     ModRM.mod != 3 only  '0F AE /5 reg'  ModRM.mod == 3 only
//   '0F 01 F9'         a fixed ModRM byte (mod 3, reg and rm given)
//   '0F 20 /r anymod'  ModRM.rm is a register whatever mod says (MOV CR/DR)
//
// The row's handler runs once per decoded instruction and returns the closure
// executed each time the instruction runs (or null: #UD).

import type { X86Cpu } from './cpu';

export type X86Op = () => void;

/** Opcode maps. */
export const enum OpMap {
  One = 0,
  M0F = 1,
  M0F38 = 2,
  M0F3A = 3,
}

/** Immediate kinds: bytes that follow ModRM/SIB/displacement. */
export type ImmKind = 'ib' | 'iw' | 'iz' | 'id' | 'iv' | 'i16i8' | 'moffs' | 'cb' | 'cz';

/**
 * Operand-size rules: 'b' byte; 'v' 16/32/64 by 66 and REX.W (default 32);
 * 'd64' 16/64 (default 64: PUSH, POP, near indirect branches);
 * 'q' always 64 (near relative branches: 66 is ignored, as Intel does);
 * 'w' always 16; 'd' always 32.
 */
export type Width = 'b' | 'v' | 'd64' | 'q' | 'w' | 'd';

export type X86Handler = (i: X86Insn, cpu: X86Cpu) => X86Op | null;

export interface X86Row {
  /** Mnemonic and operands as the SDM names them, e.g. 'ADD Ev,Gv'. */
  readonly name: string;
  /** The encoding (see the top of the file). */
  readonly enc: string;
  readonly width?: Width;
  /** LOCK is allowed (with a memory destination); otherwise LOCK is #UD. */
  readonly lockable?: boolean;
  /**
   * Which arithmetic flags the decoded instruction always writes and which
   * it reads (RFLAGS bit masks), for the block's dead-flag pass. Rows
   * without it count as reading every flag. A row that declares it and
   * whose handler honours `i.flagsDead` skips its flag work when no later
   * instruction can observe it.
   */
  readonly flagUse?: (i: X86Insn) => FlagUse;
  readonly handler: X86Handler;
}

export interface FlagUse {
  readonly writes: number;
  readonly reads: number;
}

/** Mandatory-prefix values. */
export const enum Mp {
  None = 0,
  P66 = 0x66,
  F2 = 0xf2,
  F3 = 0xf3,
}

export const enum Seg {
  None = 0,
  Fs = 1,
  Gs = 2,
}

/** One decoded instruction: what a handler receives. */
export class X86Insn {
  // -- position
  /** Page offset of the first byte (may be past 4095 only for the bytes of a page-crossing instruction). */
  pageOff = 0;
  length = 0;
  /** Page offset of the next instruction (pageOff + length): the RIP that RIP-relative operands use. */
  get nextOff(): number {
    return this.pageOff + this.length;
  }
  // -- prefixes
  p66 = false;
  addr32 = false;
  lock = false;
  /** The last of F2/F3 (0 when neither). */
  rep = 0;
  /** The mandatory prefix selecting the row: F2/F3 when present, else 66, else none. */
  mp: Mp = Mp.None;
  seg: Seg = Seg.None;
  /** The REX byte (0 when absent). */
  rex = 0;
  rexW = false;
  // -- opcode
  map: OpMap = OpMap.One;
  opcode = 0;
  // -- ModRM
  hasModrm = false;
  mod = 0;
  /** ModRM.reg with REX.R (0..15). */
  reg = 0;
  /** ModRM.rm with REX.B (0..15) when mod == 3. */
  rm = 0;
  /** The register in the low 3 bits of the opcode (+r forms), with REX.B. */
  opReg = 0;
  // -- memory operand (mod != 3)
  isMem = false;
  /** Base register 0..15, -1 for none, 16 for RIP-relative. */
  base = -1;
  /** Index register 0..15, -1 for none. */
  index = -1;
  scale = 0;
  disp = 0;
  // -- immediates
  /** Sign-extended immediate (ib, iz, id, cb, cz), or unsigned (iw). */
  imm = 0;
  /** iv/moffs: the 64-bit immediate's halves (imm holds the low half too). */
  immLo = 0;
  immHi = 0;
  /** ENTER's second immediate. */
  imm2 = 0;
  /** Operand size in bytes from the row's width rule. */
  opsize = 4;
  // -- results of the handler
  /** Set by a handler whose instruction may change RIP, CPL, paging or flags other code depends on. */
  endsBlock = false;
  /** Set by a direct branch: the page offset of its target. */
  branchTarget: number | undefined;
  /** A stack reference (PUSH/POP/CALL/RET/ENTER/LEAVE, or an RSP/RBP base): a non-canonical address raises #SS. */
  stack = false;
  /** Set by the block's dead-flag pass: nothing can observe the flags this instruction writes. */
  flagsDead = false;
  /** Position of the instruction in its block (RDTSC adds it to the retired count, which moves per block). */
  indexInBlock = 0;
  row: X86Row | undefined;
  bytes: Uint8Array = EMPTY;
}

const EMPTY = new Uint8Array(0);

/** Thrown by the decoder when an instruction runs past the bytes it was given. */
export class NeedMoreBytes {}
const NEED_MORE = new NeedMoreBytes();

export const MAX_INSN_LENGTH = 15;

interface CompiledRow {
  readonly row: X86Row;
  readonly mp: number; // -1: any
  readonly ext: number; // -1: any
  readonly mod: number; // -1 any, 0 memory, 1 register
  readonly rm: number; // -1 any
  readonly modrm: boolean;
  /** ModRM.rm names a register whatever mod says (no SIB or displacement follows). */
  readonly anyMod: boolean;
  readonly imm: ImmKind | undefined;
  readonly specificity: number;
}

const IMM_KINDS = new Set(['ib', 'iw', 'iz', 'id', 'iv', 'i16i8', 'moffs', 'cb', 'cz']);

function parseEnc(row: X86Row): { map: OpMap; ops: number[]; c: CompiledRow } {
  const t = row.enc.trim().split(/\s+/);
  let k = 0;
  let mp = -1;
  if (t[k] === 'NP') { mp = Mp.None; k++; }
  else if ((t[k] === '66' || t[k] === 'F2' || t[k] === 'F3') && t.length > k + 1) {
    mp = parseInt(t[k], 16);
    k++;
  }
  let map = OpMap.One;
  if (t[k] === '0F') {
    k++;
    map = OpMap.M0F;
    if (t[k] === '38' && t.length > k + 1 && /^[0-9A-F]{2}(\+r)?$/.test(t[k + 1])) { map = OpMap.M0F38; k++; }
    else if (t[k] === '3A' && t.length > k + 1 && /^[0-9A-F]{2}(\+r)?$/.test(t[k + 1])) { map = OpMap.M0F3A; k++; }
  }
  const m = /^([0-9A-F]{2})(\+r)?$/.exec(t[k++] ?? '');
  if (m === null) throw new Error(`row '${row.name}': bad encoding '${row.enc}'`);
  const op = parseInt(m[1], 16);
  const ops = m[2] !== undefined ? [0, 1, 2, 3, 4, 5, 6, 7].map((r) => op + r) : [op];
  let modrm = false;
  let ext = -1;
  let mod = -1;
  let rm = -1;
  let anyMod = false;
  let imm: ImmKind | undefined;
  for (; k < t.length; k++) {
    const s = t[k];
    if (s === '/r') modrm = true;
    else if (s === 'anymod') anyMod = true;
    else if (/^\/[0-7]$/.test(s)) { modrm = true; ext = Number(s[1]); }
    else if (s === 'mem') mod = 0;
    else if (s === 'reg') mod = 1;
    else if (/^[0-9A-F]{2}$/.test(s) && !modrm) {
      const b = parseInt(s, 16);
      if (b < 0xc0) throw new Error(`row '${row.name}': fixed ModRM byte must have mod 3`);
      modrm = true; mod = 1; ext = (b >> 3) & 7; rm = b & 7;
    } else if (IMM_KINDS.has(s)) imm = s as ImmKind;
    else throw new Error(`row '${row.name}': unknown token '${s}' in '${row.enc}'`);
  }
  const specificity = (mp >= 0 ? 8 : 0) + (ext >= 0 ? 4 : 0) + (mod >= 0 ? 2 : 0) + (rm >= 0 ? 1 : 0);
  return { map, ops, c: { row, mp, ext, mod, rm, modrm, anyMod, imm, specificity } };
}

export class X86DecodeTable {
  private readonly slots: CompiledRow[][] = [];

  constructor(rows: readonly X86Row[]) {
    for (let i = 0; i < 4 * 256; i++) this.slots.push([]);
    for (const row of rows) {
      const { map, ops, c } = parseEnc(row);
      for (const op of ops) {
        const list = this.slots[map * 256 + op];
        for (const o of list) {
          if (o.modrm !== c.modrm) throw new Error(`rows '${o.row.name}' and '${row.name}' disagree on ModRM`);
          if (o.mp === c.mp && o.ext === c.ext && o.mod === c.mod && o.rm === c.rm) throw new Error(`rows '${o.row.name}' and '${row.name}' have the same encoding`);
        }
        list.push(c);
        list.sort((a, b) => b.specificity - a.specificity);
      }
    }
  }

  /** Rows of one opcode, most specific first (empty: #UD). */
  rowsOf(map: OpMap, opcode: number): readonly CompiledRow[] {
    return this.slots[map * 256 + opcode];
  }

  /**
   * Decodes the instruction at buf[start]; bytes at or past `limit` are not
   * available (NeedMoreBytes is thrown). Returns the insn with `row`
   * undefined for an encoding no row accepts (#UD).
   */
  decode(buf: Uint8Array, start: number, limit: number, i: X86Insn): X86Insn {
    const rd = new ByteReader(buf, start, limit);
    let b = rd.byte();
    for (;;) {
      if (b === 0x66) i.p66 = true;
      else if (b === 0x67) i.addr32 = true;
      else if (b === 0xf2 || b === 0xf3) i.rep = b;
      else if (b === 0xf0) i.lock = true;
      else if (b === 0x64) i.seg = Seg.Fs;
      else if (b === 0x65) i.seg = Seg.Gs;
      else if (b === 0x26 || b === 0x2e || b === 0x36 || b === 0x3e) i.seg = Seg.None;
      else if ((b & 0xf0) === 0x40) {
        i.rex = b;
        b = rd.byte();
        // A REX byte counts only right before the opcode.
        if ((b & 0xf0) === 0x40 || isLegacyPrefix(b)) { i.rex = 0; continue; }
        break;
      } else break;
      i.rex = 0;
      b = rd.byte();
    }
    i.rexW = (i.rex & 8) !== 0;
    i.mp = i.rep !== 0 ? (i.rep as Mp) : i.p66 ? Mp.P66 : Mp.None;
    let map = OpMap.One;
    if (b === 0x0f) {
      map = OpMap.M0F;
      b = rd.byte();
      if (b === 0x38) { map = OpMap.M0F38; b = rd.byte(); }
      else if (b === 0x3a) { map = OpMap.M0F3A; b = rd.byte(); }
    }
    i.map = map;
    i.opcode = b;
    i.opReg = (b & 7) | ((i.rex & 1) << 3);
    const rows = this.slots[map * 256 + b];
    if (rows.length === 0) return rd.finish(i);
    let modrm = -1;
    if (rows[0].modrm) {
      modrm = rd.byte();
      i.hasModrm = true;
      i.mod = modrm >> 6;
      i.reg = ((modrm >> 3) & 7) | ((i.rex & 4) << 1);
      i.rm = (modrm & 7) | ((i.rex & 1) << 3);
    }
    const c = selectRow(rows, i, modrm);
    if (c === undefined) return rd.finish(i);
    i.row = c.row;
    i.opsize = operandSize(c.row.width ?? 'v', i);
    if (modrm >= 0 && i.mod !== 3 && !c.anyMod) decodeMemory(i, modrm, rd);
    decodeImmediate(c.imm, i, rd);
    return rd.finish(i);
  }
}

class ByteReader {
  p: number;
  constructor(
    readonly buf: Uint8Array,
    readonly start: number,
    readonly limit: number,
  ) {
    this.p = start;
  }

  byte(): number {
    if (this.p - this.start >= MAX_INSN_LENGTH) throw TOO_LONG;
    if (this.p >= this.limit) throw NEED_MORE;
    return this.buf[this.p++];
  }

  /** Little-endian signed value of n bytes (1, 2 or 4); 2-byte values are unsigned. */
  int(n: number): number {
    let v = 0;
    for (let k = 0; k < n; k++) v |= this.byte() << (8 * k);
    return n === 1 ? (v << 24) >> 24 : v;
  }

  finish(i: X86Insn): X86Insn {
    i.length = this.p - this.start;
    i.bytes = this.buf.slice(this.start, this.p);
    return i;
  }
}

/** Thrown by the decoder for an instruction longer than 15 bytes (#GP(0)). */
export class InsnTooLong {}
const TOO_LONG = new InsnTooLong();

function isLegacyPrefix(b: number): boolean {
  return b === 0x66 || b === 0x67 || b === 0xf2 || b === 0xf3 || b === 0xf0 || b === 0x64 || b === 0x65 || b === 0x26 || b === 0x2e || b === 0x36 || b === 0x3e;
}

function selectRow(rows: readonly CompiledRow[], i: X86Insn, modrm: number): CompiledRow | undefined {
  const ext = (modrm >> 3) & 7;
  const isReg = i.mod === 3;
  for (const c of rows) {
    if (c.mp >= 0 && c.mp !== i.mp) continue;
    if (c.ext >= 0 && c.ext !== ext) continue;
    if (c.mod >= 0 && (c.mod === 1) !== isReg) continue;
    if (c.rm >= 0 && (modrm & 7) !== c.rm) continue;
    return c;
  }
  return undefined;
}

function operandSize(w: Width, i: X86Insn): number {
  switch (w) {
    case 'b': return 1;
    case 'v': return i.rexW ? 8 : i.p66 ? 2 : 4;
    case 'd64': return i.p66 && !i.rexW ? 2 : 8;
    case 'q': return 8;
    case 'w': return 2;
    default: return 4;
  }
}

function decodeMemory(i: X86Insn, modrm: number, rd: ByteReader): void {
  i.isMem = true;
  const mod = modrm >> 6;
  const rm = modrm & 7;
  if (rm === 4) {
    const sib = rd.byte();
    i.scale = sib >> 6;
    const idx = ((sib >> 3) & 7) | ((i.rex & 2) << 2);
    i.index = idx === 4 ? -1 : idx;
    const base = sib & 7;
    i.base = base === 5 && mod === 0 ? -1 : base | ((i.rex & 1) << 3);
    if (base === 5 && mod === 0) i.disp = rd.int(4);
  } else if (rm === 5 && mod === 0) {
    i.base = 16;
    i.disp = rd.int(4);
  } else {
    i.base = rm | ((i.rex & 1) << 3);
  }
  if (mod === 1) i.disp = rd.int(1);
  else if (mod === 2) i.disp = rd.int(4);
  if (i.base === 4 || i.base === 5) i.stack = true;
}

function decodeImmediate(kind: ImmKind | undefined, i: X86Insn, rd: ByteReader): void {
  switch (kind) {
    case undefined: return;
    case 'ib':
    case 'cb': i.imm = rd.int(1); return;
    case 'iw': i.imm = rd.int(2); return;
    case 'i16i8': i.imm = rd.int(2); i.imm2 = rd.int(1) & 0xff; return;
    case 'id':
    case 'cz': i.imm = rd.int(4); return;
    case 'iz':
      i.imm = i.opsize === 2 ? (rd.int(2) << 16) >> 16 : rd.int(4);
      return;
    case 'iv':
      if (i.opsize === 2) { i.imm = i.immLo = rd.int(2); return; }
      i.imm = i.immLo = rd.int(4);
      if (i.opsize === 8) i.immHi = rd.int(4);
      else i.immHi = 0;
      return;
    case 'moffs':
      i.imm = i.immLo = rd.int(4);
      i.immHi = i.addr32 ? 0 : rd.int(4);
      return;
  }
}
