// Random encodings of every integer row (prefixes, REX, ModRM, SIB,
// displacements, immediates) and their lengths as GNU objdump decodes them,
// recorded in decoder-lengths.json (committed) by `recordLengths`. objdump
// runs with -M intel64: near branches ignore 66 in 64-bit mode, as here.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integerRows } from '../../board/x86_64/isa/x86-table';

export const LENGTHS_FILE = join(__dirname, 'decoder-lengths.json');

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** One random encoding of a row (or undefined for forms the generator does not build). */
function encode(enc: string, rand: () => number): number[] | undefined {
  const t = enc.trim().split(/\s+/);
  const out: number[] = [];
  const pick = (n: number): number => Math.floor(rand() * n);
  let k = 0;
  const mandatory: number[] = [];
  if (t[k] === 'NP') k++;
  else if (['66', 'F2', 'F3'].includes(t[k]) && t.length > k + 1) mandatory.push(parseInt(t[k++], 16));
  const prefixes: number[] = [];
  if (mandatory.length === 0 && pick(4) === 0) prefixes.push(0x66);
  if (pick(6) === 0) prefixes.push(0x67);
  if (pick(8) === 0) prefixes.push([0x64, 0x65, 0x2e][pick(3)]);
  out.push(...prefixes, ...mandatory);
  if (pick(2) === 0) out.push(0x40 | pick(16));
  while (t[k] === '0F' || ((t[k] === '38' || t[k] === '3A') && out.includes(0x0f) && t.length > k + 1 && /^[0-9A-F]{2}/.test(t[k + 1]))) out.push(parseInt(t[k++], 16));
  const m = /^([0-9A-F]{2})(\+r)?$/.exec(t[k++]);
  if (m === null) return undefined;
  out.push(parseInt(m[1], 16) + (m[2] ? pick(8) : 0));
  let modrm = -1;
  let ext = -1;
  let mod = -1;
  for (; k < t.length; k++) {
    const s = t[k];
    if (s === '/r') modrm = 0;
    else if (/^\/[0-7]$/.test(s)) { modrm = 0; ext = Number(s[1]); }
    else if (s === 'mem') mod = pick(3);
    else if (s === 'reg') mod = 3;
    else if (/^[0-9A-F]{2}$/.test(s) && modrm < 0) { out.push(parseInt(s, 16)); continue; }
    else {
      if (modrm >= 0) { emitModrm(); modrm = -2; }
      const imm: Record<string, number> = { ib: 1, cb: 1, iw: 2, i16i8: 3, id: 4, cz: 4 };
      const size16 = out.includes(0x66) && !hasRexW();
      let n = imm[s];
      if (s === 'iz') n = size16 ? 2 : 4;
      if (s === 'iv') n = hasRexW() ? 8 : size16 ? 2 : 4;
      if (s === 'moffs') n = out.includes(0x67) ? 4 : 8;
      for (let b = 0; b < n; b++) out.push(pick(256));
    }
  }
  if (modrm === 0) emitModrm();
  return out;

  function hasRexW(): boolean {
    return out.some((b, i) => (b & 0xf8) === 0x48 && i < out.length - 1);
  }
  function emitModrm(): void {
    const md = mod >= 0 ? mod : pick(4);
    const reg = ext >= 0 ? ext : pick(8);
    const rm = pick(8);
    out.push((md << 6) | (reg << 3) | rm);
    if (md !== 3 && rm === 4) out.push(pick(256));
    const sibBase = md !== 3 && rm === 4 ? out[out.length - 1] & 7 : -1;
    if (md === 1) out.push(pick(256));
    else if (md === 2 || (md === 0 && (rm === 5 || sibBase === 5))) for (let b = 0; b < 4; b++) out.push(pick(256));
  }
}

/** Generates cases and records objdump's length of each (run on a host with binutils). */
export function recordLengths(perRow = 6, seed = 12345): Record<string, number> {
  const rand = rng(seed);
  const cases: number[][] = [];
  for (const row of integerRows) {
    for (let n = 0; n < perRow; n++) {
      const bytes = encode(row.enc, rand);
      if (bytes !== undefined && bytes.length <= 15) cases.push(bytes);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'salty-lengths-'));
  try {
    const blob = Buffer.alloc(cases.length * 16, 0x90);
    cases.forEach((c, i) => Buffer.from(c).copy(blob, 16 * i));
    writeFileSync(join(dir, 'b.bin'), blob);
    const dis = execFileSync('objdump', ['-D', '-b', 'binary', '-m', 'i386:x86-64', '-M', 'intel64', join(dir, 'b.bin')], { encoding: 'latin1', maxBuffer: 1 << 28 });
    const starts = new Map<number, string>();
    const addrs: number[] = [];
    for (const line of dis.split('\n')) {
      const m = /^\s+([0-9a-f]+):\t[0-9a-f ]+\t(.*)$/.exec(line); // continuation lines (bytes only) have no second tab
      if (m === null) continue;
      const a = parseInt(m[1], 16);
      if (starts.has(a)) continue;
      starts.set(a, m[2]);
      addrs.push(a);
    }
    const out: Record<string, number> = {};
    for (let i = 0; i < addrs.length - 1; i++) {
      const a = addrs[i];
      if (a % 16 !== 0) continue;
      const text = starts.get(a) ?? '';
      if (text.includes('(bad)') || text === '') continue;
      const len = addrs[i + 1] - a;
      if (len > 15) continue;
      out[Buffer.from(cases[a / 16]).toString('hex')] = len;
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function loadLengths(): Record<string, number> {
  return JSON.parse(readFileSync(LENGTHS_FILE, 'utf8')) as Record<string, number>;
}
