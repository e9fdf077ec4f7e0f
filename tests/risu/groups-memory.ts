// Loads and stores, exclusives and LSE atomics (Arm ARM C4.1.88). One access
// per block: its base register is set so the access lands in the data page.
// Constrained-unpredictable register overlaps (writeback onto the data
// register, LDP with Rt == Rt2, a store-exclusive status register equal to a
// source) are redrawn.

import { DATA_BASE } from './case-format';
import { bits, FixContext, pattern, sext, withBits } from './encoding-pattern';
import { indexValue, pickTarget } from './memory-targets';
import { RisuGroup } from './risu-group';

/** log2 of the access size of LDR/STR forms (size, V, opc). */
function ldstScale(insn: number): number {
  const size = bits(insn, 31, 30);
  return bits(insn, 26, 26) === 1 && bits(insn, 23, 23) === 1 ? 4 : size;
}

function setBase(ctx: FixContext, rn: number, target: bigint, offset: bigint): void {
  ctx.state.setX(rn, target - offset);
}

/** Writeback with Rn == Rt (integer register, Rn not SP) is constrained unpredictable. */
function writebackClash(insn: number, rn: number, ...rts: number[]): boolean {
  return bits(insn, 26, 26) === 0 && rn !== 31 && rts.includes(rn);
}

const unsignedOffset = pattern('LDR/STR (unsigned immediate)', 'ss 111 V 01 oo iiiiiiiiiiii nnnnn ttttt', (insn, ctx) => {
  const scale = ldstScale(insn);
  const target = pickTarget(ctx.rng, 1 << scale);
  setBase(ctx, bits(insn, 9, 5), target, BigInt(bits(insn, 21, 10)) << BigInt(scale));
  return insn;
}, 3);

const immediateForms = pattern('LDR/STR (unscaled, pre/post-index, unprivileged)', 'ss 111 V 00 oo 0 iiiiiiiii ww nnnnn ttttt', (insn, ctx) => {
  const rn = bits(insn, 9, 5);
  const mode = bits(insn, 11, 10);
  if ((mode & 1) === 1 && writebackClash(insn, rn, bits(insn, 4, 0))) return null;
  const target = pickTarget(ctx.rng, 1 << ldstScale(insn));
  setBase(ctx, rn, target, mode === 0b01 ? 0n : BigInt(sext(bits(insn, 20, 12), 9)));
  return insn;
}, 3);

const registerOffset = pattern('LDR/STR (register offset)', 'ss 111 V 00 oo 1 mmmmm xxx S 10 nnnnn ttttt', (insn, ctx) => {
  const rn = bits(insn, 9, 5);
  const rm = bits(insn, 20, 16);
  if (rm === rn) return null;
  const scale = ldstScale(insn);
  const { xm, offset } = indexValue(ctx.rng, bits(insn, 15, 13), bits(insn, 12, 12) ? scale : 0);
  if (rm !== 31) ctx.state.setX(rm, xm);
  setBase(ctx, rn, pickTarget(ctx.rng, 1 << scale), rm === 31 ? 0n : offset);
  return insn;
}, 2);

const pairs = pattern('LDP/STP (all forms)', 'oo 101 V 0 cc L iiiiiii TTTTT nnnnn ttttt', (insn, ctx) => {
  const opc = bits(insn, 31, 30);
  const v = bits(insn, 26, 26);
  const load = bits(insn, 22, 22) === 1;
  if (v === 0 && opc === 0b01 && !load) return null; // STGP (MTE)
  const rt = bits(insn, 4, 0);
  const rt2 = bits(insn, 14, 10);
  const rn = bits(insn, 9, 5);
  if (load && rt === rt2) return null;
  const mode = bits(insn, 24, 23);
  if ((mode & 1) === 1 && writebackClash(insn, rn, rt, rt2)) return null;
  const scale = v ? 2 + opc : opc === 0b10 ? 3 : 2;
  const target = pickTarget(ctx.rng, 1 << scale);
  setBase(ctx, rn, target, mode === 0b01 ? 0n : BigInt(sext(bits(insn, 21, 15), 7)) << BigInt(scale));
  return insn;
}, 3);

const literal = pattern('LDR (literal)', 'oo 011 V 00 iiiiiiiiiiiiiiiiiii ttttt', (insn, ctx) => {
  const target = 4 * ctx.rng.below(0x200);
  return withBits(insn, 23, 5, (target - ctx.offset) >> 2);
});

function simdPostIndex(insn: number, ctx: FixContext): number {
  const rm = bits(insn, 20, 16);
  if (rm !== 31 && rm !== bits(insn, 9, 5)) ctx.state.setX(rm, BigInt(ctx.rng.below(512) - 256));
  return insn;
}

function simdBase(insn: number, ctx: FixContext): number {
  setBase(ctx, bits(insn, 9, 5), pickTarget(ctx.rng, 16), 0n);
  return insn;
}

export const loadStore: RisuGroup = {
  name: 'load-store',
  blockLength: 1,
  cases: 16000,
  fp: false,
  patterns: [
    unsignedOffset,
    immediateForms,
    registerOffset,
    pairs,
    literal,
    pattern('LD1-LD4/ST1-ST4 (multiple structures)', '0Q 0011000 L 000000 oooo ss nnnnn ttttt', simdBase),
    pattern('LD1-LD4/ST1-ST4 (multiple, post-index)', '0Q 0011001 L 0 mmmmm oooo ss nnnnn ttttt', (insn, ctx) => simdPostIndex(simdBase(insn, ctx), ctx)),
    pattern('LD1-LD4/ST1-ST4 (single structure)', '0Q 0011010 L R 00000 ooo S ss nnnnn ttttt', simdBase),
    pattern('LD1-LD4/ST1-ST4 (single, post-index)', '0Q 0011011 L R mmmmm ooo S ss nnnnn ttttt', (insn, ctx) => simdPostIndex(simdBase(insn, ctx), ctx)),
  ],
};

function reroll(ctx: FixContext, avoid: number[]): number {
  for (;;) {
    const r = ctx.rng.below(31);
    if (!avoid.includes(r)) return r;
  }
}

/** A load-exclusive then a store-exclusive of the same size and address (or a lone store, which must fail). */
function exclusivePair(ctx: FixContext): number[] {
  const rng = ctx.rng;
  const pair = rng.chance(0.3);
  const size = pair ? 2 + rng.below(2) : rng.below(4);
  const bytes = pair ? 2 << size : 1 << size;
  const rn = rng.chance(0.15) ? 31 : rng.below(31);
  ctx.state.setX(rn, pickTarget(rng, bytes, 0.05));
  const rt = reroll(ctx, [rn]);
  const rt2 = reroll(ctx, [rn, rt]);
  const rs = reroll(ctx, [rn, rt, rt2]);
  const acq = rng.below(2);
  const rel = rng.below(2);
  const szBits = pair ? (0b10 | (size & 1)) << 30 : size << 30;
  const load = (szBits | 0x08400000 | (pair ? 1 << 21 : 0) | (0x1f << 16) | (acq << 15) | ((pair ? rt2 : 31) << 10) | (rn << 5) | rt) >>> 0;
  const store = (szBits | 0x08000000 | (pair ? 1 << 21 : 0) | (rs << 16) | (rel << 15) | ((pair ? rt2 : 31) << 10) | (rn << 5) | rt) >>> 0;
  if (rng.chance(0.2)) return [store];
  if (rng.chance(0.15)) {
    // LDAR/STLR and their LORegion forms do not use the monitor.
    const l = rng.below(2);
    return [((size << 30) | 0x08800000 | (l << 22) | (0x1f << 16) | (rng.below(2) << 15) | (0x1f << 10) | (rn << 5) | rt) >>> 0];
  }
  return [load, store];
}

export const exclusives: RisuGroup = {
  name: 'exclusives',
  blockLength: 2,
  cases: 8000,
  fp: false,
  patterns: [],
  block: exclusivePair,
};

const ATOMIC_OPS = [0, 1, 2, 3, 4, 5, 6, 7, 8]; // LDADD..LDUMIN, then SWP (o3 = 1, opc = 000)

export const lseAtomics: RisuGroup = {
  name: 'lse-atomics',
  blockLength: 1,
  cases: 14000,
  fp: false,
  patterns: [
    pattern('LD<op>/SWP', 'ss 111000 AR 1 sssss oooo 00 nnnnn ttttt', (insn, ctx) => {
      insn = withBits(insn, 15, 12, ctx.rng.pick(ATOMIC_OPS));
      ctx.state.setX(bits(insn, 9, 5), pickTarget(ctx.rng, 1 << bits(insn, 31, 30), 0.05));
      return insn;
    }, 4),
    pattern('CAS', 'ss 0010001 L 1 sssss O 11111 nnnnn ttttt', (insn, ctx) => casSetup(insn, ctx, 1 << bits(insn, 31, 30), false), 2),
    pattern('CASP', '0 s 0010000 L 1 sssss O 11111 nnnnn ttttt', (insn, ctx) => casSetup(insn, ctx, 8 << bits(insn, 30, 30), true)),
  ],
};

/** Half the time the compare value is made to match memory, so the swap happens. */
function casSetup(insn: number, ctx: FixContext, bytes: number, pair: boolean): number {
  if (pair && ctx.rng.chance(0.9)) insn = withBits(withBits(insn, 20, 16, bits(insn, 20, 16) & ~1), 4, 0, bits(insn, 4, 0) & ~1);
  const rn = bits(insn, 9, 5);
  const target = pickTarget(ctx.rng, bytes, 0.05);
  ctx.state.setX(rn, target);
  const rs = bits(insn, 20, 16);
  if (ctx.rng.chance(0.5) && rs !== 31 && rs !== rn && (!pair || rs + 1 !== rn)) {
    const each = pair ? bytes / 2 : bytes;
    ctx.state.setX(rs, memoryValue(ctx, target, each));
    if (pair && rs + 1 < 31) ctx.state.setX(rs + 1, memoryValue(ctx, target + BigInt(each), each));
  }
  return insn;
}

/** The initial little-endian value of `bytes` bytes at a data-page address. */
function memoryValue(ctx: FixContext, addr: bigint, bytes: number): bigint {
  const off = Number(addr) - DATA_BASE;
  let v = 0n;
  for (let i = bytes - 1; i >= 0; i--) {
    const b = off + i;
    v = (v << 8n) | BigInt((ctx.data[b >> 2] >>> (8 * (b & 3))) & 0xff);
  }
  return v;
}
