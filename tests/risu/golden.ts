// Golden files: what qemu-aarch64 did with every case of a group, compactly.
//
// golden/<group>.bin, little endian:
//   u32 'RSGD', u32 version, u32 seed, u32 cases, u32 full records
//   per case: u8 stop index (PC offset / 4 at the end, 255 outside the block),
//             u8 signal, u8 prefix count P, u8 0,
//             P x u32 (low hash half of the block cut after 1..P instructions),
//             2 x u32 (the whole block's 64-bit hash)
//   then the first <full records> cases' complete results, as the harness wrote them.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_BASE, decodeResults, RisuResult, STATE_BYTES } from './case-format';

const MAGIC = 0x44475352;
const VERSION = 1;
export const GOLDEN_DIR = join(__dirname, 'golden');

export interface GoldenCase {
  stop: number;
  signal: number;
  prefixes: number[];
  hash: [number, number];
}

export interface Golden {
  seed: number;
  cases: GoldenCase[];
  full: RisuResult[];
}

export function goldenPath(group: string): string {
  return join(GOLDEN_DIR, `${group}.bin`);
}

/** Index of the instruction the block stopped at (the BRK after the block when it ran through). */
export function stopIndex(r: RisuResult): number {
  const off = r.pc - BigInt(CODE_BASE);
  return off >= 0n && off < 1020n && off % 4n === 0n ? Number(off / 4n) : 255;
}

export function writeGolden(group: string, g: Golden): void {
  const words: number[] = [MAGIC, VERSION, g.seed, g.cases.length, g.full.length];
  const head = new Uint8Array(new Uint32Array(words).buffer);
  const parts: Uint8Array[] = [head];
  for (const c of g.cases) {
    const rec = new DataView(new ArrayBuffer(4 + 4 * c.prefixes.length + 8));
    rec.setUint8(0, c.stop);
    rec.setUint8(1, c.signal);
    rec.setUint8(2, c.prefixes.length);
    c.prefixes.forEach((h, i) => rec.setUint32(4 + 4 * i, h, true));
    rec.setUint32(4 + 4 * c.prefixes.length, c.hash[0], true);
    rec.setUint32(8 + 4 * c.prefixes.length, c.hash[1], true);
    parts.push(new Uint8Array(rec.buffer));
  }
  for (const r of g.full) parts.push(encodeResult(r));
  writeFileSync(goldenPath(group), Buffer.concat(parts));
}

export function readGolden(group: string): Golden {
  const buf = readFileSync(goldenPath(group));
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(0, true) !== MAGIC || dv.getUint32(4, true) !== VERSION) throw new Error(`${group}: not a version ${VERSION} golden file`);
  const seed = dv.getUint32(8, true);
  const count = dv.getUint32(12, true);
  const fullCount = dv.getUint32(16, true);
  let p = 20;
  const cases: GoldenCase[] = [];
  for (let i = 0; i < count; i++) {
    const n = dv.getUint8(p + 2);
    const prefixes: number[] = [];
    for (let k = 0; k < n; k++) prefixes.push(dv.getUint32(p + 4 + 4 * k, true));
    const q = p + 4 + 4 * n;
    cases.push({ stop: dv.getUint8(p), signal: dv.getUint8(p + 1), prefixes, hash: [dv.getUint32(q, true), dv.getUint32(q + 4, true)] });
    p = q + 8;
  }
  const full = decodeResults(new Uint8Array(buf.buffer, buf.byteOffset + p, buf.byteLength - p));
  if (full.length !== fullCount) throw new Error(`${group}: ${full.length} full records, header says ${fullCount}`);
  return { seed, cases, full };
}

function encodeResult(r: RisuResult): Uint8Array {
  const out = new Uint8Array(16 + STATE_BYTES + 8 * r.changed.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, r.signal, true);
  dv.setUint32(4, r.changed.length, true);
  dv.setBigUint64(8, r.pc, true);
  out.set(r.state, 16);
  r.changed.forEach(([i, v], k) => {
    dv.setUint32(16 + STATE_BYTES + 8 * k, i, true);
    dv.setUint32(20 + STATE_BYTES + 8 * k, v, true);
  });
  return out;
}
