// Cases for one group, deterministic from (group, seed).

import { DATA_WORDS, RisuCase } from './case-format';
import { choose, draw, FixContext } from './encoding-pattern';
import { fillData, Rng } from './random';
import { RisuGroup } from './risu-group';
import { StateBuilder } from './state-builder';

const MAX_TRIES = 64;

function nameSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function generateCases(group: RisuGroup, seed: number, count = group.cases): RisuCase[] {
  const rng = new Rng((seed ^ nameSeed(group.name)) >>> 0);
  const cases: RisuCase[] = [];
  for (let i = 0; i < count; i++) cases.push(generateCase(group, rng));
  return cases;
}

function generateCase(group: RisuGroup, rng: Rng): RisuCase {
  const state = StateBuilder.random(rng, group.fp);
  const dataSeed = rng.u32() || 1;
  const data = new Uint32Array(DATA_WORDS);
  fillData(data, dataSeed);
  const ctx: FixContext = { rng, state, offset: 0, data };
  const code = group.block ? blockFrom(group, ctx) : drawBlock(group, ctx);
  return { code: Uint32Array.from(code), dataSeed, state: state.bytes };
}

function blockFrom(group: RisuGroup, ctx: FixContext): number[] {
  for (let t = 0; t < MAX_TRIES; t++) {
    const b = group.block!(ctx);
    if (b !== null) return b;
  }
  throw new Error(`${group.name}: no block after ${MAX_TRIES} tries`);
}

function drawBlock(group: RisuGroup, ctx: FixContext): number[] {
  const code: number[] = [];
  for (let i = 0; i < group.blockLength; i++) {
    ctx.offset = 4 * i;
    code.push(drawInsn(group, ctx));
  }
  return code;
}

function drawInsn(group: RisuGroup, ctx: FixContext): number {
  for (let t = 0; t < MAX_TRIES; t++) {
    const p = choose(group.patterns, ctx.rng);
    const insn = p.fix ? p.fix(draw(p, ctx.rng), ctx) : draw(p, ctx.rng);
    if (insn !== null) return insn >>> 0;
  }
  throw new Error(`${group.name}: no encoding after ${MAX_TRIES} tries`);
}
