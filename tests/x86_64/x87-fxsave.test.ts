// FXSAVE/FXRSTOR against the host CPU: each snippet sets up a known x87/SSE
// state (or FXRSTORs a crafted image), FXSAVEs it, and the 512-byte area is
// compared byte for byte, FIP and FDP (bytes 8..23) excluded. Host results
// and the snippets' machine code are committed in x87-oracle/fxsave-goldens.json
// (re-recorded here when the snippet changes and the host is x86-64 Linux).

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vector } from '../../board/x86_64/x86-fault';
import { CODE, DATA, x86Machine } from './x86-test-machine';

const GOLDENS = join(__dirname, 'x87-oracle', 'fxsave-goldens.json');
/** Input at DATA: 0x000 XMM0-15, 0x100 eight m80 values, 0x180 FCW, 0x184 MXCSR, 0x200 the FXSAVE area, 0x400 an FXRSTOR image. */
const BYTES = 0x600;
const OUT = 0x200;
const IMG = 0x400;

interface Golden {
  code: string;
  out?: string;
  signal?: string;
}

const PRELUDE = `
fninit
mov eax, ${DATA}
ldmxcsr [rax + 0x184]
${Array.from({ length: 16 }, (_, n) => `movdqu xmm${n}, [rax + ${16 * n}]`).join('\n')}
`;

const fld = (k: number): string => `fld tbyte ptr [rax + ${0x100 + 16 * k}]`;

/** Cases: name, snippet after the prelude, how the input is patched. */
const CASES: { name: string; code: string; patch?: (b: Buffer) => void }[] = [
  { name: 'five values, default control word', code: `${[0, 1, 2, 3, 4].map(fld).join('\n')}\nfxsave [rax + ${OUT}]` },
  {
    name: 'REX.W form, rounding/precision set, masked flags raised',
    code: `fldcw [rax + 0x180]\n${[5, 6, 7].map(fld).join('\n')}\nfdiv st(0), st(1)\nfsqrt\nfxsave64 [rax + ${OUT}]`,
    patch: (b) => b.writeUInt16LE(0x0b7f, 0x180),
  },
  {
    name: 'pending unmasked ZE (FOP recorded), FXSAVE does not wait',
    code: `${[1, 0].map(fld).join('\n')}\nfldcw [rax + 0x180]\nfdiv st(0), st(1)\nfxsave [rax + ${OUT}]\nfninit`,
    patch: (b) => b.writeUInt16LE(0x037b, 0x180),
  },
  {
    name: 'FXRSTOR of a crafted image (reserved FCW bits set), then FXSAVE',
    code: `fxrstor [rax + ${IMG}]\nfxsave [rax + ${OUT}]\nfninit`,
    patch: (b) => {
      b.writeUInt16LE(0xffff, IMG);
      b.writeUInt16LE(0x3a81, IMG + 2);
      b.writeUInt8(0xa5, IMG + 4);
      b.writeUInt16LE(0xffff, IMG + 6);
      b.writeUInt32LE(0xffbf, IMG + 24);
    },
  },
  {
    name: 'FXRSTOR of an image with an unmasked flag but ES clear, then FXSAVE',
    code: `fxrstor [rax + ${IMG}]\nfxsave [rax + ${OUT}]\nfninit`,
    patch: (b) => {
      b.writeUInt16LE(0x0372, IMG);
      b.writeUInt16LE(0x2024, IMG + 2);
      b.writeUInt32LE(0x1f80, IMG + 24);
    },
  },
  {
    name: 'FXRSTOR64, then arithmetic on the restored stack',
    code: `fxrstor64 [rax + ${IMG}]\nfadd st(0), st(1)\nfxch st(2)\nfxsave64 [rax + ${OUT}]`,
    patch: (b) => {
      b.writeUInt16LE(0x037f, IMG);
      b.writeUInt16LE(0x3000, IMG + 2); // TOP = 6
      b.writeUInt8(0xc1, IMG + 4); // physical 0, 6, 7 valid
      b.writeUInt32LE(0x1f80, IMG + 24);
      for (const [slot, p] of [[0, 6], [1, 7], [2, 0]]) {
        b.writeBigUInt64LE(0xc000000000000000n + BigInt(p) * 0x1234567n, IMG + 32 + 16 * slot);
        b.writeUInt16LE(0x3fff + p, IMG + 40 + 16 * slot);
      }
    },
  },
  {
    name: 'FXRSTOR with a reserved MXCSR bit: #GP',
    code: `fxrstor [rax + ${IMG}]\nfxsave [rax + ${OUT}]`,
    patch: (b) => {
      b.writeUInt16LE(0x037f, IMG);
      b.writeUInt32LE(0x11f80, IMG + 24);
    },
  },
  { name: 'misaligned FXSAVE: #GP', code: `fxsave [rax + ${OUT + 8}]` },
];

/** Deterministic input bytes: XMM noise, m80 values of several classes, everything else noise. */
function input(seed: number, patch?: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(BYTES);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < BYTES; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  const m80: [bigint, number][] = [
    [0xc000000000000000n, 0x3fff], // 1.5
    [0n, 0x8000], // -0
    [0x8000000000000000n, 0x7fff], // +inf
    [0x0000000000012345n, 0x0000], // denormal
    [0xa000000000000000n, 0xffff], // SNaN
    [0xb504f333f9de6484n, 0x3fff], // sqrt 2
    [0x8000000000000000n, 0x4002], // 8
    [0xc90fdaa22168c235n, 0x4000], // pi
  ];
  m80.forEach(([sig, se], k) => {
    b.writeBigUInt64LE(sig, 0x100 + 16 * k);
    b.writeUInt16LE(se, 0x108 + 16 * k);
  });
  b.writeUInt16LE(0x037f, 0x180);
  b.writeUInt32LE(0x1f80 | (seed & 0x6000), 0x184);
  patch?.(b);
  return b;
}

function toolsDir<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'salty-fxsave-'));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function assemble(code: string): Buffer {
  return toolsDir((dir) => {
    writeFileSync(join(dir, 'a.s'), `.intel_syntax noprefix\n.text\n${code}\n`);
    execFileSync('as', ['--64', '-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    execFileSync('ld', [`-Ttext=0x${CODE.toString(16)}`, '-e', `0x${CODE.toString(16)}`, '-o', join(dir, 'a.elf'), join(dir, 'a.o')]);
    execFileSync('objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.elf'), join(dir, 'a.bin')]);
    return readFileSync(join(dir, 'a.bin'));
  });
}

/** The snippet in a static program with the input at DATA; it writes the FXSAVE area to stdout. */
function runNative(code: string, inp: Buffer): Golden {
  const src = [
    '.intel_syntax noprefix',
    '.section .buf, "aw"',
    `.byte ${Array.from(inp).join(',')}`,
    '.text',
    '.globl _start',
    '_start:',
    code,
    'mov eax, 1',
    'mov edi, 1',
    `mov rsi, ${DATA + OUT}`,
    'mov edx, 512',
    'syscall',
    'mov eax, 60',
    'xor edi, edi',
    'syscall',
  ].join('\n');
  return toolsDir((dir) => {
    writeFileSync(join(dir, 'p.s'), src + '\n');
    execFileSync('as', ['--64', '-o', join(dir, 'p.o'), join(dir, 'p.s')]);
    execFileSync('ld', ['-static', `--section-start=.buf=0x${DATA.toString(16)}`, '-o', join(dir, 'p'), join(dir, 'p.o')]);
    const res = spawnSync(join(dir, 'p'), { encoding: 'buffer' });
    if (res.signal !== null) return { code: '', signal: res.signal };
    if (res.stdout.length !== 512) throw new Error(`native program wrote ${res.stdout.length} bytes`);
    return { code: '', out: res.stdout.toString('hex') };
  });
}

let goldens: Record<string, Golden> | undefined;

function golden(code: string, inp: Buffer): Golden {
  goldens ??= existsSync(GOLDENS) ? (JSON.parse(readFileSync(GOLDENS, 'utf8')) as Record<string, Golden>) : {};
  const key = createHash('sha1').update(code).update(inp).digest('hex').slice(0, 16);
  const known = goldens[key];
  if (known) return known;
  if (process.arch !== 'x64' || process.platform !== 'linux') throw new Error(`no FXSAVE golden for ${key} and this host cannot run x86-64 Linux code`);
  const g = { ...runNative(code, inp), code: assemble(code).toString('hex') };
  goldens[key] = g;
  const lines = Object.keys(goldens).sort().map((k) => ` ${JSON.stringify(k)}: ${JSON.stringify(goldens![k])}`);
  writeFileSync(GOLDENS, `{\n${lines.join(',\n')}\n}\n`);
  return g;
}

function emulate(code: Buffer, inp: Buffer): { out?: string; signal?: string } {
  const m = x86Machine(Uint8Array.from(code));
  m.phys.writeBytes(DATA, Uint8Array.from(inp));
  const t = m.run();
  if (t.kind !== 'exception' || t.vector !== Vector.BP || t.insnRip !== CODE + code.length) {
    return { signal: t.kind === 'exception' && (t.vector === Vector.GP || t.vector === Vector.PF) ? 'SIGSEGV' : `${t.kind} ${t.vector}` };
  }
  return { out: Buffer.from(m.phys.readBytes(DATA + OUT, 512)).toString('hex') };
}

/** The area without FIP (8..15) and FDP (16..23), as named 16-byte rows for readable diffs. */
function fields(hex: string | undefined): Record<string, string> | undefined {
  if (hex === undefined) return undefined;
  const b = Buffer.from(hex, 'hex');
  b.fill(0, 8, 24);
  const out: Record<string, string> = {};
  for (let r = 0; r < 32; r++) out[`+${(16 * r).toString(16).padStart(3, '0')}`] = b.subarray(16 * r, 16 * r + 16).toString('hex');
  return out;
}

describe('FXSAVE/FXRSTOR against the host', () => {
  CASES.forEach((c, n) => {
    it(c.name, () => {
      const code = `${PRELUDE}\n${c.code}`;
      const inp = input(0x5eed0000 + 977 * n, c.patch);
      const g = golden(code, inp);
      const ours = emulate(Buffer.from(g.code, 'hex'), inp);
      expect(ours.signal).toBe(g.signal);
      expect(fields(ours.out)).toEqual(fields(g.out));
    });
  });
});
