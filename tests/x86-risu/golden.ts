// Golden files: what the host CPU did with every case of a group, compactly.
//
// golden/<group>.bin.gz, gzip of, little endian:
//   u32 'XRGD', u32 version, u32 seed, u32 cases, u32 full records
//   per case: u8 stop index (instruction index, 255 off the boundaries), u8 signal,
//             u8 prefix count P, u8 0,
//             P x u16 (low hash bits of the block cut after 1..P instructions),
//             2 x u32 (the whole block's 64-bit hash)
//   then the first <full records> cases' raw results, as the harness wrote them.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { RawResult, STATE_BYTES } from './case-format';

const MAGIC = 0x44475258;
const VERSION = 1;
export const GOLDEN_DIR = join(__dirname, 'golden');
export const OFF_BOUNDARY = 255;

export interface GoldenCase {
  stop: number;
  signal: number;
  prefixes: number[];
  hash: [number, number];
}

export interface Golden {
  seed: number;
  cases: GoldenCase[];
  full: RawResult[];
}

export function goldenPath(group: string): string {
  return join(GOLDEN_DIR, `${group}.bin.gz`);
}

export function encodeGolden(g: Golden): Uint8Array {
  const parts: Uint8Array[] = [new Uint8Array(new Uint32Array([MAGIC, VERSION, g.seed, g.cases.length, g.full.length]).buffer)];
  for (const c of g.cases) {
    const rec = new DataView(new ArrayBuffer(4 + 2 * c.prefixes.length + 8));
    rec.setUint8(0, c.stop);
    rec.setUint8(1, c.signal);
    rec.setUint8(2, c.prefixes.length);
    c.prefixes.forEach((h, i) => rec.setUint16(4 + 2 * i, h, true));
    rec.setUint32(4 + 2 * c.prefixes.length, c.hash[0], true);
    rec.setUint32(8 + 2 * c.prefixes.length, c.hash[1], true);
    parts.push(new Uint8Array(rec.buffer));
  }
  for (const r of g.full) parts.push(encodeResult(r));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

export function writeGolden(group: string, g: Golden): void {
  writeFileSync(goldenPath(group), encodeGolden(g));
}

export function readGolden(group: string): Golden {
  const buf = gunzipSync(readFileSync(goldenPath(group)));
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
    for (let k = 0; k < n; k++) prefixes.push(dv.getUint16(p + 4 + 2 * k, true));
    const q = p + 4 + 2 * n;
    cases.push({ stop: dv.getUint8(p), signal: dv.getUint8(p + 1), prefixes, hash: [dv.getUint32(q, true), dv.getUint32(q + 4, true)] });
    p = q + 8;
  }
  const full: RawResult[] = [];
  while (p < buf.byteLength) {
    const n = dv.getUint32(p + 4, true);
    const changed: Array<[number, number]> = [];
    for (let k = 0; k < n; k++) changed.push([dv.getUint32(p + 16 + STATE_BYTES + 8 * k, true), dv.getUint32(p + 20 + STATE_BYTES + 8 * k, true)]);
    full.push({ signal: dv.getUint32(p, true), rip: dv.getUint32(p + 8, true) + 2 ** 32 * dv.getUint32(p + 12, true), state: buf.subarray(p + 16, p + 16 + STATE_BYTES), changed });
    p += 16 + STATE_BYTES + 8 * n;
  }
  if (full.length !== fullCount) throw new Error(`${group}: ${full.length} full records, header says ${fullCount}`);
  return { seed, cases, full };
}

function encodeResult(r: RawResult): Uint8Array {
  const out = new Uint8Array(16 + STATE_BYTES + 8 * r.changed.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, r.signal, true);
  dv.setUint32(4, r.changed.length, true);
  dv.setUint32(8, r.rip >>> 0, true);
  dv.setUint32(12, Math.floor(r.rip / 2 ** 32), true);
  out.set(r.state, 16);
  r.changed.forEach(([i, v], k) => {
    dv.setUint32(16 + STATE_BYTES + 8 * k, i, true);
    dv.setUint32(20 + STATE_BYTES + 8 * k, v, true);
  });
  return out;
}
