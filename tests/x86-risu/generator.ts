// Cases for one group, deterministic from (group, seed): the random initial
// state, then a block drawn instruction by instruction while the generator
// tracks what the SDM leaves undefined (flags, x87 condition codes, GPRs), so
// no instruction reads an undefined value and the compare masks what is left.

import { Rng } from '../risu/random';
import { CODE_BASE, DATA_BASE, HOT_BASE, HOT_SIZE, Undefined, X86Case } from './case-format';
import { encode, fitsS8, Insn, layout, le, Mem, Spec } from './encoder';
import { Slot, SLOT_BYTES, StateBuilder, StateOptions } from './state-builder';
import { U64 } from './values';

export type Op = (g: Gen) => Spec | Insn | null;

export interface X86Group {
  name: string;
  /** Instructions per block. */
  blockLength: number;
  cases: number;
  ops: Array<[number, Op]>;
  state: StateOptions;
  /** Registers the group's instructions use implicitly: never a base or index register. */
  implicit?: number;
  /** Extra set-up of the initial state and reserved registers. */
  setup?: (g: Gen) => void;
  /** Whether [RSP + disp] operands may be drawn (RSP does not move in the group). */
  rspBase?: boolean;
  /** Why the group is not compared yet, when it is not. */
  note?: string;
}

export const RSP = 4;
export const RSP_VALUE = DATA_BASE + 0x1800;
const BASE_CANDIDATES = [3, 5, 8, 9, 10, 11, 12, 13, 14, 15];
const INDEX_VALUES = [0, 0, 1, 2, 3, 5, 7, -1, -2, -3, -8];
const MAX_TRIES = 200;
const SEGMENT_PREFIXES = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65];

export class Gen {
  readonly s: StateBuilder;
  /** Base and index registers of memory operands, and their values. */
  readonly base: number;
  readonly index: number;
  readonly baseValue: number;
  readonly indexValue: number;
  /** GPRs no instruction may write (bit n = register n). */
  reserved: number;
  /** Current instruction index and block length. */
  k = 0;
  readonly n: number;
  u: Undefined = { flags: 0, fsw: 0, gprs: 0 };
  /** GPRs written so far (bit n) and whether memory may have changed. */
  written = 0;
  memDirty = false;
  readonly pending = new Map<number, Undefined>();

  constructor(readonly rng: Rng, readonly group: X86Group) {
    this.s = StateBuilder.random(rng, group.state);
    this.n = group.blockLength;
    const implicit = group.implicit ?? 0;
    const candidates = BASE_CANDIDATES.filter((r) => !((implicit >> r) & 1));
    this.base = rng.pick(candidates);
    this.index = rng.pick(candidates.filter((r) => r !== this.base));
    this.baseValue = HOT_BASE + 16 * (8 + rng.below(48));
    this.indexValue = rng.pick(INDEX_VALUES);
    this.s.setGprNumber(this.base, this.baseValue);
    this.s.setGprNumber(this.index, this.indexValue);
    this.s.setGprNumber(RSP, RSP_VALUE);
    this.reserved = (1 << RSP) | (1 << this.base) | (1 << this.index);
    group.setup?.(this);
  }

  /** Any GPR (a source). */
  gpr(): number {
    return this.rng.below(16);
  }

  /** A GPR the instruction may write. */
  dst(): number {
    for (;;) {
      const r = this.rng.below(16);
      if (!((this.reserved >> r) & 1)) return r;
    }
  }

  writable(r: number): boolean {
    return !((this.reserved >> r) & 1);
  }

  width(): 8 | 16 | 32 | 64 {
    return this.rng.pick([8, 16, 32, 32, 64, 64] as const);
  }

  /** A byte register id: with `rex` any of AL..R15B (SPL..DIL included), without it AL..BL or AH..BH. */
  byteReg(rex: boolean | undefined, writable: boolean): number {
    for (;;) {
      const id = rex === false ? this.rng.pick([0, 1, 2, 3, 16, 17, 18, 19]) : rex === true ? this.rng.below(16) : this.rng.below(20);
      const full = id >= 16 ? id - 16 : id;
      if (!writable || this.writable(full)) return id;
    }
  }

  /** Immediate bytes of a size, biased towards boundaries. */
  imm(bytes: number): number[] {
    const r = this.rng.below(6);
    let v: number;
    if (r === 0) v = this.rng.pick([0, 1, -1, 0x7f, -0x80, 0x7fff, -0x8000, 0x7fffffff, -0x80000000]);
    else if (r === 1) v = this.rng.below(64);
    else v = this.rng.u32() | 0;
    return le(v, bytes);
  }

  /** The initial value of a GPR. */
  initial(r: number): U64 {
    return this.s.getGpr(r);
  }

  /** A hot slot's index holding a kind of value (any slot when none holds it). */
  slotOf(kind: Slot): number {
    const list = this.s.slots.map((k, i) => (k === kind ? i : -1)).filter((i) => i >= 0);
    return list.length ? this.rng.pick(list) : this.rng.below(this.s.slots.length);
  }

  /**
   * A memory operand of `size` bytes in the hot region: aligned to `align`
   * (misaligned now and then unless `exact`), or at the start of a slot of `kind`.
   */
  mem(size: number, opts: { align?: number; kind?: Slot; misalign?: number } = {}): Mem {
    const rng = this.rng;
    let target: number;
    if (opts.kind !== undefined) target = HOT_BASE + SLOT_BYTES * this.slotOf(opts.kind);
    else {
      const align = opts.align ?? Math.min(size, 16);
      const misalign = rng.chance(opts.misalign ?? 0.1);
      target = HOT_BASE + Math.floor(rng.below(HOT_SIZE - size - 16) / align) * align + (misalign ? 1 + rng.below(align > 1 ? align - 1 : 1) : 0);
      // Never across a cache line: a LOCKed split access is a bus lock the kernel slows down (split-lock detection).
      const line = (target + size - 1) & ~63;
      if (size <= 64 && line > target) target = line - size;
    }
    return this.addressing(target);
  }

  /** ModRM/SIB/displacement reaching `target` through the base/index registers, RIP, RSP or an absolute address. */
  addressing(target: number): Mem {
    const rng = this.rng;
    const scale = rng.below(4);
    const idx = this.indexValue * (1 << scale);
    const addr32 = rng.chance(0.1);
    const forms = ['base', 'base', 'base-index', 'base-index', 'index', 'abs', 'rip', 'rip'];
    if (this.group.rspBase) forms.push('rsp');
    const form = rng.pick(forms);
    const dispFor = (d: number, allowNone: boolean, low3: number): { mod: number; disp: number[] } => {
      if (d === 0 && allowNone && low3 !== 5 && rng.chance(0.7)) return { mod: 0, disp: [] };
      if (fitsS8(d) && rng.chance(0.8)) return { mod: 1, disp: [d & 0xff] };
      return { mod: 2, disp: le(d, 4) };
    };
    const m = (x: Partial<Mem>): Mem => ({ mod: 0, rm: 0, disp: [], rexX: false, rexB: false, addr32, address: target, ...x });
    switch (form) {
      case 'base': {
        const b = this.base;
        const { mod, disp } = dispFor(target - this.baseValue, true, b & 7);
        if ((b & 7) === 4) return m({ mod, rm: 4, sib: 0x24 | (rng.below(4) << 6), disp, rexB: b >= 8 });
        return m({ mod, rm: b & 7, disp, rexB: b >= 8 });
      }
      case 'base-index': {
        const b = this.base;
        const { mod, disp } = dispFor(target - this.baseValue - idx, true, b & 7);
        return m({ mod, rm: 4, sib: (scale << 6) | ((this.index & 7) << 3) | (b & 7), disp, rexB: b >= 8, rexX: this.index >= 8 });
      }
      case 'index':
        return m({ rm: 4, sib: (scale << 6) | ((this.index & 7) << 3) | 5, disp: le(target - idx, 4), rexX: this.index >= 8 });
      case 'abs':
        return m({ rm: 4, sib: (rng.below(4) << 6) | 0x25, disp: le(target, 4) });
      case 'rsp': {
        const { mod, disp } = dispFor(target - RSP_VALUE, true, 4);
        return m({ mod, rm: 4, sib: 0x24 | (rng.chance(0.2) ? 0x20 << 1 : 0), disp });
      }
      default:
        return m({ rm: 5, ripTarget: target });
    }
  }

  /** Undefined state merged into a later boundary (the taken side of a forward branch). */
  mergeAt(index: number, u: Undefined): void {
    const p = this.pending.get(index) ?? { flags: 0, fsw: 0, gprs: 0 };
    this.pending.set(index, { flags: p.flags | u.flags, fsw: p.fsw | u.fsw, gprs: p.gprs | u.gprs });
  }

  /** Accepts an instruction when it reads nothing undefined; updates the undefined state. */
  accept(i: Insn): boolean {
    const u = this.u;
    if (i.reads & u.flags || i.fswReads & u.fsw || i.uses & u.gprs) return false;
    this.u = {
      flags: (u.flags & ~i.writes) | i.undef,
      fsw: (u.fsw & ~i.fswWrites) | i.fswUndef,
      gprs: u.gprs | i.poison,
    };
    if (i.branch) this.mergeAt(i.branch.target, this.u);
    return true;
  }
}

function nameSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function generateCases(group: X86Group, seed: number, count = group.cases): X86Case[] {
  const rng = new Rng((seed ^ nameSeed(group.name)) >>> 0);
  const cases: X86Case[] = [];
  for (let i = 0; i < count; i++) cases.push(generateCase(group, rng));
  return cases;
}

function generateCase(group: X86Group, rng: Rng): X86Case {
  for (let attempt = 0; attempt < 16; attempt++) {
    const g = new Gen(rng, group);
    const insns: Insn[] = [];
    const undef: Undefined[] = [];
    const total = group.ops.reduce((a, [w]) => a + w, 0);
    for (g.k = 0; g.k < g.n; g.k++) {
      const p = g.pending.get(g.k);
      if (p) g.u = { flags: g.u.flags | p.flags, fsw: g.u.fsw | p.fsw, gprs: g.u.gprs | p.gprs };
      undef.push(g.u);
      insns.push(draw(g, total));
    }
    const p = g.pending.get(g.n);
    if (p) g.u = { flags: g.u.flags | p.flags, fsw: g.u.fsw | p.fsw, gprs: g.u.gprs | p.gprs };
    undef.push(g.u);
    const laid = layout(insns, CODE_BASE);
    if (!laid) continue;
    return { code: laid.code, offsets: laid.offsets, undef, names: insns.map((i) => i.name), dataSeed: rng.u32() || 1, hot: g.s.hot, state: g.s.bytes };
  }
  throw new Error(`${group.name}: no block could be laid out`);
}

function draw(g: Gen, total: number): Insn {
  for (let t = 0; t < MAX_TRIES; t++) {
    let r = g.rng.below(total);
    const op = g.group.ops.find(([w]) => (r -= w) < 0)![1];
    const got = op(g);
    if (got === null) continue;
    if (!('head' in got) && typeof got.rm === 'object' && g.rng.chance(0.06)) {
      // A segment override on a memory operand: ignored (ES/CS/SS/DS) or a zero base (FS/GS) in this process.
      got.pre = [g.rng.pick(SEGMENT_PREFIXES), ...(got.pre ?? [])];
      got.name = `seg ${got.name}`;
    }
    if (!('head' in got) && got.pre?.length && g.rng.chance(0.03)) {
      // A REX followed by a legacy prefix is ignored (it must come right before the opcode).
      got.pre = [0x40 | g.rng.below(16), ...got.pre];
      got.name = `ignored-rex ${got.name}`;
    }
    const insn = 'head' in got ? got : encode(got, g.rng.chance(0.08));
    if (g.accept(insn)) return insn;
  }
  throw new Error(`${g.group.name}: no instruction after ${MAX_TRIES} tries`);
}
