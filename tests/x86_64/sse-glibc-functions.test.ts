// glibc 2.36's own SSE2/SSSE3/SSE4.2 string routines, run on our CPU: a
// static build of tests/x86_64/sse-oracle/libc-probe.c is made at test time
// (third-party code is never committed), its segments are loaded at their
// link addresses in the test machine, and each routine is called directly
// (System V ABI, return to an INT3) on random strings at random alignments,
// page ends included. Results are checked against plain TypeScript.

import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Vector } from '../../board/x86_64/x86-fault';
import { STACK_TOP, X86TestMachine } from './x86-test-machine';
import { Rng } from './sse-oracle/gen';

const usable = arch() === 'x64' && spawnSync('gcc', ['--version']).status === 0 && spawnSync('nm', ['--version']).status === 0;

const RETURN_TO = 0x7f_f000;
const AREA = 0x70_0000; // 0x70_0000..0x7e_0000: strings
const TLS = 0x7e_0000;
const RDI = 7;
const RSI = 6;
const RDX = 2;
const RAX = 0;

function build(source = 'libc-probe.c'): { m: X86TestMachine; sym: Map<string, number>; exe: string } {
  const dir = mkdtempSync(join(tmpdir(), 'salty-glibc-'));
  const exe = join(dir, 'probe');
  execFileSync('gcc', ['-O2', '-static', '-o', exe, fileURLToPath(new URL(`./sse-oracle/${source}`, import.meta.url)), '-lm']);
  const elf = readFileSync(exe);
  const m = new X86TestMachine();
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phnum = elf.readUInt16LE(0x38);
  for (let k = 0; k < phnum; k++) {
    const p = phoff + 56 * k;
    if (elf.readUInt32LE(p) !== 1) continue; // PT_LOAD
    const off = Number(elf.readBigUInt64LE(p + 8));
    const va = Number(elf.readBigUInt64LE(p + 16));
    const filesz = Number(elf.readBigUInt64LE(p + 32));
    const memsz = Number(elf.readBigUInt64LE(p + 40));
    m.phys.fill(va, memsz, 0);
    m.phys.writeBytes(va, elf.subarray(off, off + filesz));
  }
  const sym = new Map<string, number>();
  for (const line of execFileSync('nm', [exe]).toString().split('\n')) {
    const [addr, , name] = line.split(' ');
    if (name) sym.set(name, parseInt(addr, 16));
  }
  // What glibc's cache-info setup would have stored before main.
  const setQword = (name: string, v: number): void => m.phys.writeBytes(sym.get(name)!, Uint8Array.from(Buffer.from(BigInt(v).toString(16).padStart(16, '0'), 'hex').reverse()));
  setQword('__x86_shared_non_temporal_threshold', 0xc0000);
  setQword('__x86_rep_movsb_threshold', 0x800);
  setQword('__x86_shared_cache_size', 0x100000);
  setQword('__x86_shared_cache_size_half', 0x80000);
  setQword('__x86_data_cache_size', 0x8000);
  setQword('__x86_data_cache_size_half', 0x4000);
  m.phys.writeBytes(RETURN_TO, Uint8Array.from([0xcc]));
  // A zeroed thread block for FS-relative reads (the stack protector's canary at fs:0x28).
  m.phys.fill(TLS, 0x1000, 0);
  m.cpu.state.misc[0] = TLS;
  return { m, sym, exe };
}

function call(m: X86TestMachine, fn: number, args: number[]): bigint {
  const regs = [RDI, RSI, RDX];
  args.forEach((a, k) => m.setReg(regs[k], a));
  m.setReg(4, STACK_TOP - 8);
  m.phys.writeBytes(STACK_TOP - 8, Uint8Array.from([0x00, 0xf0, 0x7f, 0, 0, 0, 0, 0]));
  m.cpu.rip = fn;
  const t = m.run(1_000_000);
  if (t.kind !== 'exception' || t.vector !== Vector.BP) throw new Error(`trap ${t.kind} ${t.vector} at 0x${t.insnRip.toString(16)} bytes ${Buffer.from(t.bytes).toString('hex')}`);
  return m.reg(RAX);
}

const ALPHA = [0x61, 0x62, 0x63, 0x41, 0x7a, 0x20, 0x80, 0xff];

function randomString(r: Rng, maxLen: number): Uint8Array {
  const n = r.below(maxLen + 1);
  return Uint8Array.from({ length: n }, () => (r.chance(0.8) ? r.pick(ALPHA) : 1 + r.below(255)));
}

/** Places bytes (plus a NUL) so that they often end near a page boundary. */
function place(m: X86TestMachine, r: Rng, bytes: Uint8Array, slot: number): number {
  const page = AREA + slot * 0x2000;
  const at = r.chance(0.5) ? page + 0x1000 - bytes.length - 1 - r.below(40) : page + r.below(64);
  m.phys.fill(page, 0x2000, 0x55);
  m.phys.writeBytes(at, bytes);
  m.phys.writeBytes(at + bytes.length, Uint8Array.from([0]));
  return at;
}

const sign = (v: bigint): number => (BigInt.asIntN(32, v) > 0n ? 1 : BigInt.asIntN(32, v) < 0n ? -1 : 0);
const cmpBytes = (a: Uint8Array, b: Uint8Array, n = Infinity): number => {
  for (let i = 0; i < n; i++) {
    const x = i < a.length ? a[i] : 0;
    const y = i < b.length ? b[i] : 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x === 0) return 0;
  }
  return 0;
};
const indexOf = (h: Uint8Array, n: Uint8Array): number => Buffer.from(h).indexOf(Buffer.from(n));

describe.runIf(usable)('glibc string routines on our CPU', () => {
  const { m, sym } = usable ? build() : ({} as ReturnType<typeof build>);
  const f = (name: string): number => {
    const a = sym.get(name);
    if (a === undefined) throw new Error(`no symbol ${name}`);
    return a;
  };
  const N = 300;

  it.each(['__strlen_sse2', '__strnlen_sse2', '__rawmemchr_sse2'])('%s', (name) => {
    const r = new Rng(0x1234 ^ name.length);
    for (let k = 0; k < N; k++) {
      const s = randomString(r, 200);
      const at = place(m, r, s, 0);
      if (name === '__strlen_sse2') expect(call(m, f(name), [at])).toBe(BigInt(s.length));
      else if (name === '__strnlen_sse2') {
        const lim = r.below(250);
        expect(call(m, f(name), [at, lim])).toBe(BigInt(Math.min(lim, s.length)));
      } else expect(call(m, f(name), [at, 0])).toBe(BigInt(at + s.length));
    }
  });

  it.each(['__strchr_sse2', '__strchr_sse2_no_bsf', '__strrchr_sse2', '__strchrnul_sse2', '__memchr_sse2'])('%s', (name) => {
    const r = new Rng(0x5678 ^ name.length);
    for (let k = 0; k < N; k++) {
      const s = randomString(r, 200);
      const at = place(m, r, s, 1);
      const c = r.chance(0.1) ? 0 : r.pick(ALPHA);
      const withNul = [...s, 0];
      let want: number;
      if (name === '__strrchr_sse2') want = withNul.lastIndexOf(c);
      else if (name === '__memchr_sse2') {
        const n = r.below(s.length + 2);
        const i = withNul.slice(0, n).indexOf(c);
        expect(call(m, f(name), [at, c, n]), `${name} n=${n}`).toBe(i < 0 ? 0n : BigInt(at + i));
        continue;
      } else want = withNul.indexOf(c);
      const got = call(m, f(name), [at, c]);
      if (name === '__strchrnul_sse2') expect(got).toBe(BigInt(at + (want < 0 ? s.length : want)));
      else expect(got).toBe(want < 0 ? 0n : BigInt(at + want));
    }
  });

  it.each(['__strcmp_sse2', '__strcmp_sse2_unaligned', '__strcmp_sse42', '__strncmp_sse2', '__strncmp_sse42', '__memcmp_sse2'])('%s', (name) => {
    const r = new Rng(0x9abc ^ name.length);
    for (let k = 0; k < N; k++) {
      const a = randomString(r, 120);
      const b = r.chance(0.6) ? Uint8Array.from(a) : randomString(r, 120);
      if (r.chance(0.4) && b.length) b[r.below(b.length)] = r.pick(ALPHA);
      const pa = place(m, r, a, 2);
      const pb = place(m, r, b, 3);
      if (name.includes('strncmp')) {
        const n = r.below(130);
        expect(sign(call(m, f(name), [pa, pb, n])), `${name} n=${n}`).toBe(cmpBytes(a, b, n));
      } else if (name === '__memcmp_sse2') {
        const n = r.below(Math.min(a.length, b.length) + 2);
        const x = [...a, 0];
        const y = [...b, 0];
        let want = 0;
        for (let i = 0; i < n && want === 0; i++) if (x[i] !== y[i]) want = x[i] < y[i] ? -1 : 1;
        expect(sign(call(m, f(name), [pa, pb, n]))).toBe(want);
      } else expect(sign(call(m, f(name), [pa, pb]))).toBe(cmpBytes(a, b));
    }
  });

  it.each(['__strstr_sse2_unaligned', '__strcspn_sse42', '__strspn_sse42'])('%s', (name) => {
    const r = new Rng(0xdef0 ^ name.length);
    for (let k = 0; k < N; k++) {
      const h = randomString(r, 150);
      // Non-empty: an empty set sends __strcspn_sse42 to strlen through a PLT slot that
      // only glibc's startup (IRELATIVE relocations) fills.
      let n = randomString(r, 5);
      if (n.length === 0) n = Uint8Array.from([r.pick(ALPHA)]);
      if (r.chance(0.5) && h.length > 2) {
        const i = r.below(h.length - 1);
        n = h.slice(i, i + 1 + r.below(Math.min(8, h.length - i)));
      }
      const ph = place(m, r, h, 4);
      const pn = place(m, r, n, 5);
      const got = call(m, f(name), [ph, pn]);
      if (name === '__strstr_sse2_unaligned') {
        const i = indexOf(h, n);
        expect(got, `strstr ${Buffer.from(h).toString('hex')} / ${Buffer.from(n).toString('hex')}`).toBe(i < 0 ? 0n : BigInt(ph + i));
      } else {
        const set = new Set(n);
        let i = 0;
        const inSet = name === '__strspn_sse42';
        while (i < h.length && set.has(h[i]) === inSet) i++;
        expect(got).toBe(BigInt(i));
      }
    }
  });

  it.each(['__memmove_sse2_unaligned', '__memcpy_ssse3', '__memmove_ssse3', '__memset_sse2_unaligned', '__strcpy_sse2_unaligned'])('%s', (name) => {
    const r = new Rng(0x1357 ^ name.length);
    for (let k = 0; k < 150; k++) {
      const n = r.chance(0.7) ? r.below(300) : r.below(9000);
      const src = Uint8Array.from({ length: n }, () => 1 + r.below(255));
      const base = AREA + 0x8000;
      m.phys.fill(base, 0x8000, 0xee);
      const s = base + r.below(64);
      const overlap = name.includes('memmove') && r.chance(0.4);
      const d = overlap ? s + r.below(80) - 40 : base + 0x4000 + r.below(64);
      m.phys.writeBytes(s, src);
      m.phys.writeBytes(s + n, Uint8Array.from([0]));
      const c = r.below(256);
      const ret = name === '__memset_sse2_unaligned' ? call(m, f(name), [d, c, n]) : name === '__strcpy_sse2_unaligned' ? call(m, f(name), [d, s]) : call(m, f(name), [d, s, n]);
      expect(ret).toBe(BigInt(d));
      const want = name === '__memset_sse2_unaligned' ? new Uint8Array(n).fill(c) : name === '__strcpy_sse2_unaligned' ? Uint8Array.from([...src, 0]) : src;
      expect(Buffer.from(m.phys.readBytes(d, want.length)).equals(Buffer.from(want)), `${name} n=${n} d-s=${d - s}`).toBe(true);
    }
  });
});

describe.runIf(usable)('glibc libm SSE2 kernels on our CPU', () => {
  it('__sin_sse2, __cos_sse2, __ieee754_exp/log/pow/atan2_sse2, __expf/__logf/__sinf_sse2 agree bit for bit with the host', () => {
    const { m, sym, exe } = build('libm-sse2-probe.c');
    const names: Record<string, string> = {
      sin: '__sin_sse2', cos: '__cos_sse2', exp: '__ieee754_exp_sse2', log: '__ieee754_log_sse2', pow: '__ieee754_pow_sse2',
      atan2: '__ieee754_atan2_sse2', expf: '__expf_sse2', logf: '__logf_sse2', sinf: '__sinf_sse2',
    };
    const lines = execFileSync(exe).toString().trim().split('\n');
    expect(lines.length).toBe(2700);
    const s = m.cpu.state;
    const bad: string[] = [];
    for (const line of lines) {
      const [name, x, y, want] = line.split(' ');
      const single = name.endsWith('f');
      s.setXmm(0, Buffer.from(x.padStart(16, '0'), 'hex').reverse());
      s.setXmm(1, Buffer.from(y.padStart(16, '0'), 'hex').reverse());
      s.misc[4] = 0x1f80;
      call(m, sym.get(names[name])!, []);
      const got = Buffer.from(s.xb.slice(0, single ? 4 : 8)).reverse().toString('hex');
      if (got !== want) bad.push(`${line} ours ${got}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
